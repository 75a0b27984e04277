"""The load through the proxy: reads, Adds, Logs and letter jobs, with the kills in between.

Writes are retried as a user would retry them when the server answered with an
error or not at all (the kill): an Add again (it adds nobody twice), a Log by
opening its page again (a logged segment is gone), a letter batch again (the
one already running is shown instead). The checks afterwards (plan.py) say
whether the database holds each write exactly once.
"""

import asyncio
import re
import statistics
import time
from dataclasses import dataclass, field

import httpx

from loadtest.client import hidden_fields, session
from scaletest.plan import Plan

ATTEMPTS = 8
STALE = "changed after this page was shown"
JOB_URL = re.compile(r"/jobs/(\d+)/")
# How long HAProxy may take to see a killed server as down (3 checks, 1 s apart).
DOWN_AFTER_SECONDS = 4.0


@dataclass
class Request:
    kind: str
    started: float
    ended: float
    outcome: int | str  # the status code, or the transport error's name

    @property
    def failed(self) -> bool:
        return isinstance(self.outcome, str) or self.outcome >= 500


@dataclass
class Traffic:
    """Every request sent through the proxy, and when the kill came."""

    requests: list[Request] = field(default_factory=list)
    killed_at: float | None = None
    unexpected: list[str] = field(default_factory=list)
    # When each part of the load ended (perf_counter), for the timeline.
    marks: dict[str, float] = field(default_factory=dict)

    def after_kill(self, settle: float = 0.0) -> list[Request]:
        if self.killed_at is None:
            return []
        return [r for r in self.requests if r.started >= self.killed_at + settle]

    def interrupted(self) -> list[Request]:
        """Failed requests the kill caught on their way (sent before it)."""
        if self.killed_at is None:
            return []
        return [
            r
            for r in self.requests
            if r.failed and r.started < self.killed_at + DOWN_AFTER_SECONDS
        ]

    def read_milliseconds(self, share: float) -> float:
        times = sorted(
            (r.ended - r.started) * 1000 for r in self.requests if r.kind == "read"
        )
        if not times:
            return 0.0
        if share == 0.5:
            return statistics.median(times)
        return times[min(len(times) - 1, int(share * len(times)))]


async def send(client, traffic: Traffic, kind: str, method: str, url: str, data=None):
    """One request; None when it failed (5xx, or no answer at all)."""
    started = time.perf_counter()
    if data is not None:
        data = {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"]}
    try:
        response = await client.request(method, url, data=data)
        outcome = response.status_code
    except httpx.TransportError as error:
        response, outcome = None, type(error).__name__
    request = Request(kind, started, time.perf_counter(), outcome)
    traffic.requests.append(request)
    return None if request.failed else response


async def read_pages(client, traffic: Traffic, urls: list[str], stop: asyncio.Event):
    number = 0
    while not stop.is_set():
        url = urls[number % len(urls)]
        number += 1
        response = await send(client, traffic, "read", "GET", url)
        if response is None:
            await asyncio.sleep(1)  # as a user would, before reloading
        elif response.status_code != 200:
            traffic.unexpected.append(f"{response.status_code} GET {url}")


async def add(client, traffic: Traffic, segment: int, numbers: list[str]) -> None:
    url = f"/segments/{segment}/add-contacts/"
    for _attempt in range(ATTEMPTS):
        response = await send(
            client, traffic, "add", "POST", url, {"number": " ".join(numbers)}
        )
        if response is not None and response.status_code == 302:
            return
        await asyncio.sleep(1)
    traffic.unexpected.append(f"Add to segment {segment} never went through")


async def log(client, traffic: Traffic, segment: int) -> None:
    url = f"/segments/{segment}/log/"
    for _attempt in range(ATTEMPTS):
        page = await send(client, traffic, "log", "GET", url)
        if page is not None and page.status_code == 404:
            return  # logged by someone else: the segment is gone
        if page is not None and page.status_code == 200:
            response = await send(
                client, traffic, "log", "POST", url, hidden_fields(page.text)
            )
            if response is not None and response.status_code == 302:
                return  # logged, or "already logged" by another user
            if response is not None and STALE not in response.text:
                traffic.unexpected.append(f"{response.status_code} Log {segment}")
                return
        await asyncio.sleep(1)
    traffic.unexpected.append(f"Log of segment {segment} never went through")


async def start_letters(client, traffic: Traffic, segment: int) -> int | None:
    url = f"/segments/{segment}/letters/download/"
    for _attempt in range(ATTEMPTS):
        response = await send(
            client, traffic, "letters", "POST", url, {"format": "zip"}
        )
        found = (
            JOB_URL.search(response.headers.get("Location", "")) if response else None
        )
        if found:
            return int(found.group(1))
        await asyncio.sleep(1)
    traffic.unexpected.append(f"letters of segment {segment} never started")
    return None


async def wait_for_jobs(client, traffic: Traffic, jobs: list[int], timeout: float):
    deadline = time.perf_counter() + timeout
    waiting = set(jobs)
    while waiting and time.perf_counter() < deadline:
        for job in sorted(waiting):
            response = await send(client, traffic, "job", "GET", f"/jobs/{job}/status/")
            if response is not None and response.json().get("finished"):
                waiting.discard(job)
        await asyncio.sleep(2)
    for job in sorted(waiting):
        traffic.unexpected.append(f"job {job} did not finish in {timeout:.0f} s")


async def drive(
    base: str, plan: Plan, *, credentials, kill, job_timeout: float, loggers: int
):
    """The whole load; `kill` (a coroutine function) kills a server and a worker."""
    traffic = Traffic()
    users = [await session(base, *credentials) for _ in range(12)]
    readers, writers = users[:4], users[4:]
    stop = asyncio.Event()
    urls = [
        "/contacts/",
        "/contacts/?q=berg",
        f"/segments/{plan.letter_segments[0]}/",
        "/interactions/",
        "/jobs/",
    ]
    reading = [
        asyncio.create_task(read_pages(client, traffic, urls, stop))
        for client in readers
    ]
    try:
        jobs = await asyncio.gather(
            *(
                start_letters(writers[index % len(writers)], traffic, segment)
                for index, segment in enumerate(plan.letter_segments)
            )
        )
        jobs = [job for job in jobs if job is not None]
        half_adds, half_logs = len(plan.adds) // 2, len(plan.log_segments) // 2
        logs = list(plan.log_segments)
        before = asyncio.create_task(
            _writes(writers, traffic, plan.adds[:half_adds], logs[:half_logs], loggers)
        )
        traffic.marks["load began"] = time.perf_counter()
        before.add_done_callback(
            lambda _task: traffic.marks.update(
                {"first half of the writes done": time.perf_counter()}
            )
        )
        traffic.killed_at = await kill()
        await before
        await _writes(
            writers, traffic, plan.adds[half_adds:], logs[half_logs:], loggers
        )
        traffic.marks["second half of the writes done"] = time.perf_counter()
        await wait_for_jobs(writers[0], traffic, jobs, job_timeout)
        traffic.marks["letter jobs done"] = time.perf_counter()
    finally:
        stop.set()
        await asyncio.gather(*reading)
        for client in users:
            await client.aclose()
    return traffic, jobs


async def _writes(writers, traffic: Traffic, adds, logs, loggers: int) -> None:
    """The Adds, and each Log confirmed by `loggers` users at once."""
    await asyncio.gather(
        *(
            add(writers[index % len(writers)], traffic, segment, numbers)
            for index, (segment, numbers) in enumerate(adds)
        ),
        *(
            log(writers[(index + turn) % len(writers)], traffic, segment)
            for index, segment in enumerate(logs)
            for turn in range(loggers)
        ),
    )
