"""Benchmark plumbing: `make bench` runs tests marked `bench` and writes bench-results.json.

Benchmarks run in a fresh test database on the server named by DATABASE_URL
(SQLite by default). BENCH_CONTACTS sets the size of the generated contact
table (default 1,000,000).
"""

import json
import os
import re
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

SERVER_SIDE_CURSOR = re.compile(r"^DECLARE .*? CURSOR (WITH(OUT)? HOLD )?FOR ")
RESULTS_FILE = Path(__file__).resolve().parents[2] / "bench-results.json"
BENCH_CONTACTS = int(os.environ.get("BENCH_CONTACTS", "1000000"))


@dataclass
class Measurement:
    name: str
    value: float
    unit: str
    rows: int
    floor: float | None = None
    database: str = ""

    @property
    def ratio_to_floor(self) -> float | None:
        return round(self.value / self.floor, 2) if self.floor else None

    def line(self) -> str:
        ratio = (
            f"  ({self.ratio_to_floor}x floor {self.floor:.4g})" if self.floor else ""
        )
        return f"{self.name:<48} {self.value:>10.4g} {self.unit:<8} rows={self.rows:,}{ratio}"


class BenchResults:
    def __init__(self):
        self.measurements: list[Measurement] = []

    def record(self, name, value, unit, *, rows, floor=None) -> Measurement:
        measurement = Measurement(name, value, unit, rows, floor, connection.vendor)
        self.measurements.append(measurement)
        print(f"\nBENCH {measurement.line()}")
        return measurement

    def write(self) -> None:
        RESULTS_FILE.write_text(
            json.dumps(
                [
                    {**asdict(m), "ratio_to_floor": m.ratio_to_floor}
                    for m in self.measurements
                ],
                indent=2,
            )
        )


@pytest.fixture(scope="session", autouse=True)
def _bench_media(tmp_path_factory):
    """One media folder for the whole run: the documents the session's demo data
    stores must outlive the test that first asked for them."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("bench-media")):
        yield


@pytest.fixture(autouse=True)
def _temporary_media():
    """Benchmarks keep the session's media folder (see _bench_media)."""


@pytest.fixture(scope="session")
def bench_results():
    results = BenchResults()
    yield results
    results.write()
    print(f"\nWrote {len(results.measurements)} measurements to {RESULTS_FILE}")


def best_of(repeats: int, action) -> float:
    """Median seconds of `repeats` runs of `action` (the first run warms caches)."""
    action()
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def compare_with_floor(service, floor, reset, runs: int = 3) -> tuple[float, float]:
    """Median seconds of a service and of its hand-written SQL floor, run in turns.

    `reset` puts the data back before each run, untimed.
    """
    timings = {service: [], floor: []}
    for _ in range(runs):
        for action in (service, floor):
            reset()
            started = time.perf_counter()
            action()
            timings[action].append(time.perf_counter() - started)
    return statistics.median(timings[service]), statistics.median(timings[floor])


def sql_floor(queries) -> float:
    """Seconds a page's own SQL takes when run directly: what no page can beat."""
    with connection.cursor() as cursor:
        started = time.perf_counter()
        for query in queries:
            # Choice fields read through server-side cursors; run their plain SELECT.
            cursor.execute(SERVER_SIDE_CURSOR.sub("", query["sql"]))
            if cursor.description:
                cursor.fetchall()
        return time.perf_counter() - started


def measure_page(client, url, params, *, name, rows, bench_results) -> None:
    """Record a page's median server time (against its own SQL) and its query count."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    # Copy now: the next request empties the connection's query log.
    queries = list(captured.captured_queries)
    seconds = best_of(3, lambda: client.get(url, params))
    floor = min(sql_floor(queries) for _ in range(3))
    bench_results.record(name, seconds, "s", rows=rows, floor=floor)
    bench_results.record(f"{name} queries", len(queries), "queries", rows=rows)


@pytest.fixture(scope="session")
def generated_contacts(django_db_setup, django_db_blocker, bench_results):
    """BENCH_CONTACTS contacts, generated once and committed for all benchmarks."""
    with django_db_blocker.unblock():
        call_command("load_demo_data", verbosity=0)
        started = time.perf_counter()
        call_command("load_demo_data", contacts=BENCH_CONTACTS, verbosity=0)
        seconds = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    bench_results.record(
        "generate contacts (load_demo_data --contacts)",
        seconds,
        "s",
        rows=BENCH_CONTACTS,
    )
    return BENCH_CONTACTS
