"""Run the scale test: `python -m scaletest` (`make scale-test`); see docs/deployment.md."""

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from loadtest import server
from scaletest import processes

RESULTS = server.ROOT / "scale-test-results.json"
WORKDIR = server.ROOT / "var" / "scaletest"


def main(argv=None) -> int:
    args = _arguments(argv)
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        print(
            "The scale test needs PostgreSQL (PgBouncer sits in front of it): set "
            "DATABASE_URL=postgres://… to a database of its own.",
            file=sys.stderr,
        )
        return 2
    for tool in ("haproxy", "pgbouncer"):
        if not shutil.which(tool) and not os.path.exists(f"/usr/sbin/{tool}"):
            print(
                f"The scale test needs {tool}: apt-get install {tool}", file=sys.stderr
            )
            return 2
    began = time.perf_counter()
    # The media folder is kept with the database (the Word documents the demo
    # data made are in it); the rest is this run's.
    media, heartbeats = WORKDIR / "media", WORKDIR / "workers"
    for folder in (WORKDIR / "logs", heartbeats, media / "jobs"):
        shutil.rmtree(folder, ignore_errors=True)
    (WORKDIR / "logs").mkdir(parents=True)
    direct = server.environment(database_url, media)
    server.prepare(direct)
    from django.db import connection

    from loadtest import data
    from scaletest.plan import Sizes, make_plan

    data.generate(contacts=args.contacts, entries=args.entries, seed=args.seed)
    sizes = Sizes()
    plan = make_plan(sizes)
    connection.close()
    set_up = time.perf_counter() - began
    print(f"Set up in {set_up:.0f} s; starting the cluster", flush=True)

    cluster = processes.Cluster(logs=WORKDIR / "logs", config=Path(tempfile.mkdtemp()))
    try:
        return _run(args, cluster, database_url, media, heartbeats, plan, sizes, began)
    finally:
        cluster.stop()
        shutil.rmtree(cluster.config, ignore_errors=True)


def _run(args, cluster, database_url, media, heartbeats, plan, sizes, began) -> int:
    from scaletest.drive import drive
    from scaletest.results import judge

    _bouncer, pooled_url = processes.pgbouncer(cluster, database_url)
    env = {
        **server.environment(pooled_url, media),
        "DISABLE_SERVER_SIDE_CURSORS": "true",
        "TRUSTED_PROXIES": "127.0.0.1",
        "JOB_HEARTBEAT_DIR": str(heartbeats),
        "JOB_STALE_SECONDS": str(args.stale_seconds),
        "JOB_REAP_SECONDS": "2",
        "LETTERS_PER_CHUNK": str(args.letters_per_chunk),
        "WORKER_UNOSERVER": "false",
    }
    servers = [
        processes.app_server(
            cluster,
            f"app-{n}",
            env=env,
            workers=args.app_workers,
            threads=args.app_threads,
        )
        for n in (1, 2)
    ]
    workers = [
        processes.job_worker(cluster, f"worker-{n}", env=env)
        for n in range(1, args.workers + 1)
    ]
    proxy = processes.haproxy(cluster, servers, per_server=args.app_workers)
    _wait_until_up(cluster, [s.name for s in servers])
    base = f"http://127.0.0.1:{proxy.port}"
    print(
        f"HAProxy {base} → {', '.join(str(s.port) for s in servers)}; "
        f"PgBouncer {_bouncer.port}",
        flush=True,
    )

    async def kill() -> float:
        """kill -9 a worker in the middle of a letter chunk, then an app server."""
        began_load = time.perf_counter()
        worker = await asyncio.to_thread(_busy_worker, workers, 60)
        worker.kill()
        print(f"kill -9: {worker.name}, running a letter chunk", flush=True)
        await asyncio.sleep(
            max(0.0, began_load + args.kill_after - time.perf_counter())
        )
        killed_at = time.perf_counter()
        servers[0].kill()
        print(f"kill -9: {servers[0].name}", flush=True)
        return killed_at

    started = time.perf_counter()
    from loadtest import data

    traffic, jobs = asyncio.run(
        drive(
            base,
            plan,
            credentials=(data.USERNAME, data.PASSWORD),
            kill=kill,
            job_timeout=args.job_timeout,
            loggers=sizes.loggers,
        )
    )
    load_seconds = time.perf_counter() - started
    states = processes.server_states(cluster)

    from django.db import connection

    connection.close()
    problems, rows = judge(
        plan, jobs, traffic, states, killed=servers[0].name, alive=servers[1].name
    )
    rows += [
        ("scale: load and checks", round(load_seconds, 1), "s"),
        ("scale: whole run", round(time.perf_counter() - began, 1), "s"),
    ]
    results = [
        {"name": name, "value": value, "unit": unit} for name, value, unit in rows
    ]
    RESULTS.write_text(json.dumps(results, indent=2))
    for row in results:
        print(f"{row['name']:<62} {row['value']:>8} {row['unit']}")
    for request in [r for r in traffic.requests if r.failed][:30]:
        print(
            f"failed: {request.kind} {request.outcome} sent "
            f"{request.started - (traffic.killed_at or started):+.1f} s from the kill"
        )
    for problem in problems[:50]:
        print("PROBLEM", problem, file=sys.stderr)
    print(
        f"{len(problems)} problems; results in {RESULTS.name}; logs in {cluster.logs}"
    )
    return 1 if problems else 0


def _busy_worker(workers, timeout: float):
    """The worker that is running a letter chunk (waits for one), to kill mid-task."""
    from django.db import connection
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from core.jobs.running import run_job_chunk

    by_name = {worker.name: worker for worker in workers}
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            running = DBTaskResult.objects.filter(
                status=TaskResultStatus.RUNNING, task_path=run_job_chunk.module_path
            ).values_list("worker_ids", flat=True)
            for worker_ids in running:
                if worker_ids and worker_ids[-1] in by_name:
                    return by_name[worker_ids[-1]]
            time.sleep(0.2)
    finally:
        connection.close()
    raise RuntimeError("no worker took a letter chunk within a minute")


def _wait_until_up(cluster, names: list[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        states = processes.server_states(cluster)
        # HAProxy starts a server as UP; only a passed check (L7OK) says it answers.
        if all(
            states.get(name, {}).get("status") == "UP"
            and states[name].get("check_status") == "L7OK"
            for name in names
        ):
            return
        time.sleep(0.5)
    raise RuntimeError(f"HAProxy does not see the app servers up: {states}")


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m scaletest", description=__doc__)
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--app-workers", type=int, default=2, help="gunicorn workers per server"
    )
    parser.add_argument(
        "--app-threads", type=int, default=3, help="threads per gunicorn worker"
    )
    parser.add_argument(
        "--workers", type=int, default=3, help="job workers (one is killed)"
    )
    parser.add_argument("--letters-per-chunk", type=int, default=100)
    parser.add_argument("--stale-seconds", type=float, default=6)
    parser.add_argument(
        "--kill-after", type=float, default=5, help="seconds into the writes"
    )
    parser.add_argument("--job-timeout", type=float, default=300)
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
