"""The write scenarios: concurrent Logs, concurrent Adds, a Log while another user adds.

Each returns what the database must hold afterwards; `__main__` checks it.
"""

import asyncio
import time

import httpx

from loadtest.client import Stats, hidden_fields, timed

STALE = "changed after this page was shown"
GONE = "no longer exists; it may have been logged"


async def concurrent_logs(
    sessions: list[httpx.AsyncClient], segment: int, stats: Stats
) -> None:
    """Every session opens the Log page, then all confirm at once: one Log, the rest refused."""
    url = f"/segments/{segment}/log/"
    forms = [hidden_fields((await client.get(url)).text) for client in sessions]
    stats.started = time.perf_counter()
    responses = await asyncio.gather(
        *(
            timed(client, stats, "POST", url, form)
            for client, form in zip(sessions, forms, strict=True)
        )
    )
    for client, response in zip(sessions, responses, strict=True):
        await _expect_logged(client, response, stats)
    stats.ended = time.perf_counter()


async def _expect_logged(client, response: httpx.Response, stats: Stats) -> None:
    location = response.headers.get("Location", "")
    if response.status_code == 302 and "/segments/logged/" in location:
        page = (await client.get(location)).text
        if "has already been logged" in page:
            stats.refusals += 1
    elif response.status_code == 200 and STALE in response.text:
        stats.refusals += 1
    elif response.status_code < 500:
        stats.errors.append(f"{response.status_code} Log: {location}")


async def concurrent_adds(
    sessions: list[httpx.AsyncClient],
    segment: int,
    numbers: list[list[str]],
    stats: Stats,
) -> None:
    """Every session adds its contacts (half of them another's) to one segment at once."""
    url = f"/segments/{segment}/add-contacts/"
    responses = await asyncio.gather(
        *(
            timed(client, stats, "POST", url, {"number": " ".join(chosen)})
            for client, chosen in zip(sessions, numbers, strict=True)
        )
    )
    for response in responses:
        if response.status_code == 200:
            stats.refusals += 1  # the page again, with the reason on it
        elif response.status_code != 302 and response.status_code < 500:
            stats.errors.append(f"{response.status_code} Add")
    stats.ended = time.perf_counter()


async def log_while_adding(
    logger: httpx.AsyncClient,
    adder: httpx.AsyncClient,
    segment: int,
    numbers: list[str],
    stats: Stats,
) -> bool:
    """One user confirms Log while another adds: returns whether the Add went first.

    If it did, Log must refuse the confirmation (the page shows the new figures),
    and the user confirms again; if Log went first, the Add finds no segment.
    """
    log_url = f"/segments/{segment}/log/"
    form = hidden_fields((await logger.get(log_url)).text)
    logged, added = await asyncio.gather(
        timed(logger, stats, "POST", log_url, form),
        timed(
            adder,
            stats,
            "POST",
            f"/segments/{segment}/add-contacts/",
            {"number": " ".join(numbers)},
        ),
    )
    add_went_first = added.status_code == 302
    if added.status_code == 404 or GONE in added.text:
        stats.refusals += 1  # logged and gone: the Add finds no segment
    elif not add_went_first and added.status_code < 500:
        stats.errors.append(f"{added.status_code} Add while logging")
    if logged.status_code == 200 and STALE in logged.text:
        stats.refusals += 1
        again = hidden_fields(logged.text)
        logged = await timed(logger, stats, "POST", log_url, again)
    if logged.status_code != 302 and logged.status_code < 500:
        stats.errors.append(f"{logged.status_code} Log while adding")
    stats.ended = time.perf_counter()
    return add_went_first
