"""The scenarios in order, each checked against the database once it has run."""

import asyncio

from django.db import connection

from loadtest import data, scenarios
from loadtest.client import Stats, read_load, session

LEVELS = (1, 8, 32)


def run_all(base: str, plan: data.Plan, args, all_stats: list, problems: list) -> None:
    big, race = plan.big.pk, plan.race.pk
    # The mixed read load: contact list (plain, search, filters), segment page,
    # Interaction Log, count preview. No page numbers (?page=): the long lists
    # page by key, not by number.
    urls = [
        "/contacts/",
        "/contacts/?q=berg",
        "/contacts/?country=SE&type=person&correspondence_type=email",
        f"/segments/{big}/",
        "/interactions/",
        f"/interactions/?contact={plan.some_contact}",
        f"/segments/{big}/add-contacts/?language=sv",
    ]
    # Warm every server process first (templates compiled, cached panels
    # written), as a server that has run for a while is; not measured.
    warm_up = Stats("warm-up")
    asyncio.run(
        _with_sessions(
            base,
            args.workers,
            lambda sessions: read_load(
                sessions,
                urls,
                requests=args.workers * 2 * len(urls),
                deadline=args.deadline,
                stats=warm_up,
            ),
        )
    )
    problems.extend(f"warm-up: {error}" for error in warm_up.errors)
    for level in LEVELS:
        stats = Stats(f"mixed read c={level}", headline=True)
        asyncio.run(
            _with_sessions(
                base,
                level,
                lambda sessions, stats=stats, level=level: read_load(
                    sessions,
                    urls,
                    requests=args.requests * level,
                    deadline=args.deadline,
                    stats=stats,
                ),
            )
        )
        all_stats.append(stats)
        print(stats.line(), flush=True)

    lines = data.line_count(plan.big)
    stats = Stats(f"{data.ADDS} concurrent Adds")
    asyncio.run(
        _with_sessions(
            base,
            data.ADDS,
            lambda sessions: scenarios.concurrent_adds(
                sessions, big, plan.add_numbers, stats
            ),
        )
    )
    all_stats.append(stats)
    print(stats.line(), flush=True)
    added = len({number for numbers in plan.add_numbers for number in numbers})
    if data.duplicated_lines(plan.big):
        problems.append("concurrent Adds: a contact is on the segment twice")
    if data.line_count(plan.big) != lines + added:
        problems.append(
            f"concurrent Adds: {data.line_count(plan.big)} lines, not {lines + added}"
        )

    stats = Stats("Log while another user adds")
    add_went_first = asyncio.run(
        _with_sessions(
            base,
            2,
            lambda sessions: scenarios.log_while_adding(
                *sessions, race, plan.race_add_numbers, stats
            ),
        )
    )
    all_stats.append(stats)
    print(stats.line(), flush=True)
    expected = data.RACE_LINES + (data.RACE_ADD if add_went_first else 0)
    problems.extend(data.logged_problems(plan.race, expected={expected}))

    lines = data.line_count(plan.big)
    connection.close()
    stats = Stats("20 concurrent Logs of one segment")
    asyncio.run(
        _with_sessions(
            base, 20, lambda sessions: scenarios.concurrent_logs(sessions, big, stats)
        )
    )
    all_stats.append(stats)
    print(stats.line(), flush=True)
    problems.extend(data.logged_problems(plan.big, expected={lines}))


async def _with_sessions(base: str, count: int, work):
    sessions = [await session(base, data.USERNAME, data.PASSWORD) for _ in range(count)]
    try:
        return await work(sessions)
    finally:
        for client in sessions:
            await client.aclose()
