"""Run the load test: `python -m loadtest` (`make loadtest`); see docs/loadtest.md."""

import argparse
import json
import os
import sys
import time

from loadtest import server

RESULTS = server.ROOT / "loadtest-results.json"
WORKDIR = server.ROOT / "var" / "loadtest"


def main(argv=None) -> int:
    args = _arguments(argv)
    WORKDIR.mkdir(parents=True, exist_ok=True)
    # A quick run's smaller data lives apart from the full run's.
    sqlite_file = "loadtest-quick.sqlite3" if args.quick else "loadtest.sqlite3"
    database_url = os.environ.get("DATABASE_URL", f"sqlite:///{WORKDIR / sqlite_file}")
    env = server.environment(database_url, WORKDIR / "media")
    server.prepare(env)
    from django.db import connection

    from loadtest import data

    started = time.perf_counter()
    rows = [
        {"name": name, "value": round(seconds, 1), "unit": "s"}
        for name, seconds in data.generate(
            contacts=args.contacts, entries=args.entries, seed=args.seed
        ).items()
    ]
    plan = data.plan(segment_lines=args.segment_lines)
    rows.append(
        {
            "name": "set up segments",
            "value": round(time.perf_counter() - started, 1),
            "unit": "s",
        }
    )
    connection.close()
    print(f"Database: {connection.vendor}, {database_url.split('@')[-1]}")
    all_stats, problems = [], []
    with server.gunicorn(
        env=env, workers=args.workers, log=WORKDIR / "gunicorn.log"
    ) as base:
        from loadtest.run import run_all

        run_all(base, plan, args, all_stats, problems)
    for stats in all_stats:
        rows.extend(stats.rows())
    rows.append({"name": "check problems", "value": len(problems), "unit": "problems"})
    RESULTS.write_text(json.dumps(rows, indent=2))
    from loadtest.client import HEADER

    print(HEADER)
    for stats in all_stats:
        print(stats.line())
    errors = [error for stats in all_stats for error in stats.errors] + problems
    for error in errors[:50]:
        print("ERROR", error, file=sys.stderr)
    print(f"{len(errors)} errors; results in {RESULTS.name}")
    return 1 if errors else 0


# Sizes of a full run, and of --quick (a few minutes); an option given wins.
FULL = {
    "contacts": 200_000,
    "entries": 1_000_000,
    "segment_lines": 20_000,
    "requests": 30,
    "deadline": 120,
}
QUICK = {
    "contacts": 20_000,
    "entries": 100_000,
    "segment_lines": 2_000,
    "requests": 5,
    "deadline": 30,
}


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m loadtest", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small sizes and short read levels: a few minutes (needs its own database)",
    )
    parser.add_argument("--contacts", type=int)
    parser.add_argument("--entries", type=int)
    parser.add_argument("--segment-lines", type=int)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--requests", type=int, help="read requests per concurrent user"
    )
    parser.add_argument("--deadline", type=float, help="seconds per read level at most")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    for name, value in (QUICK if args.quick else FULL).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


if __name__ == "__main__":
    sys.exit(main())
