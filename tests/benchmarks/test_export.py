"""Export of the filtered Interaction Log, 1M rows to CSV, against PostgreSQL's COPY.

The floor is `COPY (SELECT …) TO STDOUT` of the export's own SELECT (the same
rows and columns, the related rows' codes joined in, choices as their labels)
into a file, in the same run. The export is COPY too on PostgreSQL
(core/csv_copy.py); it adds the keyset chunks (a query for each chunk's last
key, then its COPY) and the SQL that writes each column as the Python path
does (the formula guard, ISO dates, True/False). SQLite has no COPY: there the
row is the Python path's, recorded without a floor.

Memory: the same export of 10,000 and of BENCH_EXPORT_ROWS rows, each in a
fresh process (export_process.py), whose peak RSS must stay flat.
BENCH_EXPORT_ROWS (default 1,000,000) makes it smaller while developing;
BENCH_EXPORT_RUNS (default 3) sets the runs of each in turn.
"""

import json
import os
import random
import subprocess
import sys
import tempfile

import pytest
from django.db import connection
from django.db.models import Max

from core.export_jobs import write_export
from interactions.demo_data import generate_log_entries
from interactions.exports import interaction_log_table
from interactions.models import InteractionLogEntry, InteractionTemplate, LoggedSegment
from tests.benchmarks.conftest import compare_with_floor
from tests.workers import PROJECT_ROOT, worker_environment

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

BENCH_EXPORT_ROWS = int(os.environ.get("BENCH_EXPORT_ROWS", "1000000"))
BENCH_EXPORT_RUNS = int(os.environ.get("BENCH_EXPORT_RUNS", "3"))
SMALL_ROWS = 10_000
NAME = "export: interaction log 1M rows CSV"


def _logged_segment(rows: int, number: str) -> LoggedSegment:
    """`rows` new entries, all in one logged segment (an Interaction Log filter)."""
    logged = LoggedSegment.objects.create(segment_number=number, description=number)
    first = (InteractionLogEntry.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    generate_log_entries(
        rows,
        templates=list(InteractionTemplate.objects.all()),
        randomness=random.Random(rows),
    )
    InteractionLogEntry.objects.filter(pk__gte=first).update(
        logged_segment=logged, segment_number=number
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return logged


@pytest.fixture(scope="session")
def logged_segments(generated_contacts, django_db_blocker):
    """Committed, so that the fresh processes read them too."""
    with django_db_blocker.unblock():
        return (
            _logged_segment(SMALL_ROWS, "BENCH-EXPORT-S"),
            _logged_segment(BENCH_EXPORT_ROWS, "BENCH-EXPORT-L"),
        )


def _copy_statement(logged: LoggedSegment) -> str:
    """COPY of the export's own SELECT: the same rows, columns, codes and labels."""
    table = interaction_log_table({"query": f"logged_segment={logged.pk}"})
    sql, params = table.values().query.sql_with_params()
    with connection.cursor() as cursor:
        select = cursor.mogrify(sql, params).decode()
    return f"COPY ({select}) TO STDOUT WITH (FORMAT csv, HEADER)"


def _copy(statement: str) -> None:
    with connection.cursor() as cursor, tempfile.TemporaryFile() as output:
        cursor.cursor.copy_expert(statement, output)


def _export(logged: LoggedSegment) -> None:
    table = interaction_log_table({"query": f"logged_segment={logged.pk}"})
    with tempfile.TemporaryFile() as output:
        write_export(table, output, file_format="csv")


def _in_fresh_process(logged: LoggedSegment) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.export_process", str(logged.pk)],
        cwd=PROJECT_ROOT,
        env=worker_environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_export_interaction_log_csv(logged_segments, bench_results):
    small, large = logged_segments
    if connection.vendor == "postgresql":
        statement = _copy_statement(large)
        seconds, floor = compare_with_floor(
            lambda: _export(large),
            lambda: _copy(statement),
            reset=lambda: None,
            runs=BENCH_EXPORT_RUNS,
        )
    else:
        seconds, floor = compare_with_floor(
            lambda: _export(large), lambda: None, reset=lambda: None, runs=1
        )
        floor = None
    bench_results.record(NAME, seconds, "s", rows=BENCH_EXPORT_ROWS, floor=floor)

    small_run = _in_fresh_process(small)
    large_run = _in_fresh_process(large)
    bench_results.record(
        "export: interaction log 10k rows CSV, peak RSS",
        small_run["peak_rss_mib"],
        "MiB",
        rows=SMALL_ROWS,
    )
    bench_results.record(
        f"{NAME}, peak RSS",
        large_run["peak_rss_mib"],
        "MiB",
        rows=BENCH_EXPORT_ROWS,
        floor=small_run["peak_rss_mib"],
    )
