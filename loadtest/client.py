"""The asyncio load client: logged-in sessions, timed requests, bounded runs.

A response is an error if it is a 5xx or not what the scenario expects. A 503
("the database is busy") is retried after its Retry-After, up to BUSY_RETRIES
times; it counts as an error only if the retries run out.
"""

import asyncio
import re
import statistics
import time
from dataclasses import dataclass, field

import httpx

BUSY_RETRIES = 10
HIDDEN = re.compile(r'type="hidden" name="(\w+)" value="([^"]*)"')


@dataclass
class Stats:
    """The requests of one scenario: their times and how they ended."""

    name: str
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    refusals: int = 0
    busy: int = 0
    # Read load only: each page's times, to say which pages are slow.
    pages: dict[str, list[float]] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)
    ended: float = 0.0
    # The scenario's two headline rows, "<name> req/s" and "<name> p95 ms".
    headline: bool = False

    def percentile(self, share: float) -> float:
        if not self.seconds:
            return 0.0
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    @property
    def throughput(self) -> float:
        return len(self.seconds) / max(self.ended - self.started, 1e-9)

    def rows(self) -> list[dict]:
        headline = [
            {
                "name": f"{self.name} req/s",
                "value": round(self.throughput, 2),
                "unit": "req/s",
            },
            {
                "name": f"{self.name} p95 ms",
                "value": round(self.percentile(0.95)),
                "unit": "ms",
            },
        ]
        return (
            (headline if self.headline else [])
            + [
                {
                    "name": f"{self.name}: {label}",
                    "value": round(value, 2),
                    "unit": unit,
                }
                for label, value, unit in [
                    ("requests", len(self.seconds), "requests"),
                    ("throughput", self.throughput, "requests/s"),
                    ("p50", self.percentile(0.50), "ms"),
                    ("p95", self.percentile(0.95), "ms"),
                    ("p99", self.percentile(0.99), "ms"),
                    ("errors", len(self.errors), "requests"),
                    ("intended refusals", self.refusals, "requests"),
                    ("busy (503, retried)", self.busy, "responses"),
                ]
            ]
            + [
                {
                    "name": f"{self.name}: p50 of {page}",
                    "value": round(statistics.median(seconds) * 1000),
                    "unit": "ms",
                }
                for page, seconds in self.pages.items()
            ]
        )

    def line(self) -> str:
        median = statistics.median(self.seconds) * 1000 if self.seconds else 0
        return (
            f"{self.name:<36} {len(self.seconds):>5} {self.throughput:>8.1f} "
            f"{median:>8.0f} {self.percentile(0.95):>8.0f} "
            f"{self.percentile(0.99):>8.0f} {len(self.errors):>6} "
            f"{self.refusals:>8} {self.busy:>5}"
        )


HEADER = (
    f"{'scenario':<36} {'reqs':>5} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
    f"{'p99 ms':>8} {'errors':>6} {'refusals':>8} {'503s':>5}"
)


async def session(base: str, username: str, password: str) -> httpx.AsyncClient:
    """A logged-in client, as a browser is after the login form."""
    client = httpx.AsyncClient(base_url=base, timeout=180, follow_redirects=False)
    await client.get("/accounts/login/")
    response = await client.post(
        "/accounts/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": client.cookies["csrftoken"],
        },
    )
    if response.status_code != 302:
        raise RuntimeError(f"login failed: {response.status_code}")
    return client


async def timed(
    client: httpx.AsyncClient, stats: Stats, method: str, url: str, data=None
) -> httpx.Response:
    """One request, retried while the database is busy; its time goes to stats."""
    started = time.perf_counter()
    for _ in range(BUSY_RETRIES + 1):
        if data is None:
            response = await client.request(method, url)
        else:
            data = {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"]}
            response = await client.request(method, url, data=data)
        if response.status_code != 503:
            break
        stats.busy += 1
        await asyncio.sleep(float(response.headers.get("Retry-After", "1")))
    stats.seconds.append(time.perf_counter() - started)
    if response.status_code >= 500:
        stats.errors.append(f"{response.status_code} {method} {url}")
    return response


def hidden_fields(page: str) -> dict[str, str]:
    return dict(HIDDEN.findall(page))


async def read_load(
    sessions: list[httpx.AsyncClient],
    urls: list[str],
    *,
    requests: int,
    deadline: float,
    stats: Stats,
) -> None:
    """Every session asks for the next URL in turn until `requests` or the deadline."""
    queue = iter(range(requests))
    stop = time.perf_counter() + deadline

    async def user(client):
        for number in queue:
            if time.perf_counter() > stop:
                return
            url = urls[number % len(urls)]
            response = await timed(client, stats, "GET", url)
            stats.pages.setdefault(url, []).append(stats.seconds[-1])
            if response.status_code != 200 and response.status_code < 500:
                stats.errors.append(f"{response.status_code} GET {response.url}")

    await asyncio.gather(*(user(client) for client in sessions))
    stats.ended = time.perf_counter()
