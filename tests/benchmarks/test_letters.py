"""Letters: merge speed against the bare docx-mailmerge2 loop, and the workers.

The workers run as their own processes (`manage.py run_worker`), as in
production, against the committed benchmark database: one job timed with 1 and
with 2 workers already running, one worker's peak RSS (read from the operating
system when it exits), and the recovery of a job whose worker is killed (kill -9)
halfway, with the production stale time.
"""

import io
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections
from mailmerge import MailMerge

from contacts.models import Contact
from core.models import Job
from interactions.models import InteractionTemplate, WordDocument
from interactions.word_merge import normalise_field_name
from segmentation.letters.building import LetterOutcome, segment_letters, zip_chunks
from segmentation.letters.jobs import COMBINED, ZIP, start_letters_job
from segmentation.models import Segment, SegmentLine
from tests.benchmarks.conftest import compare_with_floor
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.bench,
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker process needs a database it can reach: PostgreSQL",
    ),
]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SIZES = {"1k": 1_000, "5k": 5_000, "10k": 10_000}
# manage.py run_worker --batch, then the process's own peak resident memory (KiB).
# VmHWM, not getrusage's ru_maxrss: Linux carries the latter over from the forked
# parent (the big test process) across exec.
WORKER = """
import runpy, sys
sys.argv = ["manage.py", "run_worker", "--batch", "--no-startup-delay", "--verbosity", "0"]
runpy.run_path("manage.py", run_name="__main__")
with open("/proc/self/status") as status:
    print(next(line.split()[1] for line in status if line.startswith("VmHWM")))
"""


BATCHES = [("1k", ZIP), ("10k", ZIP), ("10k", COMBINED)]


@pytest.fixture(scope="session")
def letter_segments(generated_contacts, django_db_blocker):
    """Committed segments of 1,000, 5,000 and 10,000 persons with the demo letters,
    and a user to start their jobs."""
    with django_db_blocker.unblock():
        template = InteractionTemplate.objects.get(code="BUS")
        persons = list(
            Contact.objects.filter(type="person", privacy_blocked=False)
            .order_by("pk")
            .values_list("pk", flat=True)[: max(SIZES.values())]
        )
        segments = {}
        for label, size in SIZES.items():
            segment = Segment.objects.create(
                number=f"BENCH-L{label}", description="Letters", template=template
            )
            SegmentLine.objects.bulk_create(
                SegmentLine(segment=segment, contact_id=contact_id)
                for contact_id in persons[:size]
            )
            segments[label] = segment
        user = UserFactory(username="bench-letters", is_superuser=True)
    return segments, user


def _bare_rows(segment):
    """Each letter's document and values, keyed by the exact field names the
    documents use: the bare loop gets them ready-made."""
    documents = {}
    rows = []
    for letter in segment_letters(segment):
        if letter.document_id not in documents:
            stored = WordDocument.objects.get(pk=letter.document_id)
            with stored.file.open("rb") as file:
                documents[letter.document_id] = file.read()
        content = documents[letter.document_id]
        with MailMerge(io.BytesIO(content)) as document:
            fields = document.get_merge_fields()
        values = {
            field: str(letter.values.get(normalise_field_name(field), ""))
            for field in fields
        }
        rows.append((letter.file_name, content, values))
    return rows


def _bare_loop(rows) -> None:
    """docx-mailmerge2 alone writing the letters into a stored zip."""
    with (
        tempfile.TemporaryFile() as output,
        zipfile.ZipFile(output, "w", zipfile.ZIP_STORED) as archive,
    ):
        for name, content, values in rows:
            with MailMerge(io.BytesIO(content)) as document:
                document.merge(**values)
                letter = io.BytesIO()
                document.write(letter)
            archive.writestr(name, letter.getvalue())


def test_separate_letters_against_the_bare_merge_loop(letter_segments, bench_results):
    segments, _user = letter_segments
    segment = segments["1k"]
    rows = _bare_rows(segment)

    def service():
        with tempfile.TemporaryFile() as output:
            for chunk in zip_chunks(segment_letters(segment), LetterOutcome()):
                output.write(chunk)

    service_seconds, floor_seconds = compare_with_floor(
        service, lambda: _bare_loop(rows), lambda: None
    )

    bench_results.record(
        "letters: 1,000 separate letters to a zip",
        service_seconds,
        "s",
        rows=len(rows),
        floor=floor_seconds,
    )


@pytest.mark.parametrize("index", range(len(BATCHES)))
def test_the_worker_process(letter_segments, bench_results, index):
    segments, user = letter_segments
    label, output = BATCHES[index]
    job = _start_job(user=user, format=output, segment=segments[label])

    started = time.perf_counter()
    worker = subprocess.run(
        [sys.executable, "-c", WORKER],
        cwd=PROJECT_ROOT,
        env=_worker_environment(),
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    peak_kib = int(worker.stdout.strip().splitlines()[-1])

    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    kind = "one combined document" if output == COMBINED else "separate letters (zip)"
    bench_results.record(
        f"letters worker: {job.total:,} {kind}", seconds, "s", rows=job.total
    )
    bench_results.record(
        f"letters worker: {job.total:,} {kind}, peak RSS",
        peak_kib / 1024,
        "MiB",
        rows=job.total,
    )


def test_two_workers_against_one_and_the_bare_loop(
    letter_segments, bench_results, tmp_path
):
    segments, user = letter_segments
    segment = segments["10k"]
    timings = {}
    for count in (1, 2):
        with _running_workers(count, tmp_path / f"workers-{count}"):
            timings[count] = _time_job(user, segment)
    rows = _bare_rows(segment)
    started = time.perf_counter()
    _bare_loop(rows)
    bare_seconds = time.perf_counter() - started

    bench_results.record(
        "letters: 10,000 letters, 2 workers vs 1",
        timings[2],
        "s",
        rows=len(rows),
        floor=timings[1],
    )
    bench_results.record(
        "letters: 10,000 letters, 1 worker vs bare loop",
        timings[1],
        "s",
        rows=len(rows),
        floor=bare_seconds,
    )


def test_recovery_after_kill_9(letter_segments, bench_results, tmp_path):
    segments, user = letter_segments
    segment = segments["5k"]
    with _running_workers(1, tmp_path / "uninterrupted"):
        uninterrupted = _time_job(user, segment)

    heartbeats = tmp_path / "interrupted"
    with _running_workers(1, heartbeats) as workers:
        started = time.perf_counter()
        job = _start_job(user=user, format=ZIP, segment=segment)
        _wait_for(lambda: _progress(job) >= job.total // 2)
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait()
        # A service manager starts the worker again.
        workers.append(_start_worker(heartbeats))
        _wait_for(lambda: _progress(job) is None)
        interrupted = time.perf_counter() - started
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    with job.result.open("rb") as file, zipfile.ZipFile(file) as archive:
        assert len(set(archive.namelist())) == len(archive.namelist()) == job.total

    bench_results.record(
        "jobs: recovery after kill -9",
        interrupted - uninterrupted,
        "s",
        rows=job.total,
    )


def _time_job(user, segment) -> float:
    """Seconds from queueing a zip of the segment's letters until its file is stored."""
    started = time.perf_counter()
    job = _start_job(user=user, format=ZIP, segment=segment)
    _wait_for(lambda: _progress(job) is None)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    return seconds


def _start_job(**arguments) -> Job:
    """Start a letters job and commit it, so the worker processes see it.

    The test itself runs inside a transaction that is rolled back; a thread has a
    connection of its own, outside it (the session's data is committed).
    """
    started = []

    def start():
        try:
            started.append(start_letters_job(**arguments))
        finally:
            connections.close_all()

    thread = threading.Thread(target=start)
    thread.start()
    thread.join()
    return started[0]


def _progress(job: Job) -> int | None:
    """Letters done so far, or None once the job has finished."""
    job.refresh_from_db(fields=["state", "done"])
    return None if job.is_finished else job.done


def _wait_for(condition, timeout: float = 1800) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


class _running_workers:
    """`count` workers started and ready (beating) before the timing starts."""

    def __init__(self, count: int, heartbeats: Path):
        self.count = count
        self.heartbeats = heartbeats
        self.workers: list[subprocess.Popen] = []

    def __enter__(self) -> list[subprocess.Popen]:
        self.workers += [_start_worker(self.heartbeats) for _ in range(self.count)]
        _wait_for(lambda: len(list(self.heartbeats.glob("*.alive"))) == self.count)
        return self.workers

    def __exit__(self, *exception):
        for worker in self.workers:
            worker.terminate()
        for worker in self.workers:
            worker.wait()


def _start_worker(heartbeats: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "run_worker",
            "--no-startup-delay",
            "--interval=0.2",
            "--verbosity=0",
        ],
        cwd=PROJECT_ROOT,
        env={**_worker_environment(), "JOB_HEARTBEAT_DIR": str(heartbeats)},
    )


def _worker_environment() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        # These rows time .docx letters: no LibreOffice beside each worker.
        "WORKER_UNOSERVER": "false",
    }


def _database_url() -> str:
    database = django_settings.DATABASES["default"]
    return (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}"
    )
