"""Letters: merge speed against the bare docx-mailmerge2 loop, and the worker's memory.

The worker runs as its own process (`manage.py db_worker --batch`), as in
production, against the committed benchmark database; its peak RSS is read from
the operating system when it exits.
"""

import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from mailmerge import MailMerge

from contacts.models import Contact
from interactions.models import InteractionTemplate, WordDocument
from interactions.word_merge import normalise_field_name
from segmentation.letters.batches import start_letter_batch
from segmentation.letters.building import LetterOutcome, segment_letters, zip_chunks
from segmentation.models import LetterBatch, Segment, SegmentLine
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
SIZES = {"1k": 1_000, "10k": 10_000}
# manage.py db_worker --batch, then the process's own peak resident memory (KiB).
# VmHWM, not getrusage's ru_maxrss: Linux carries the latter over from the forked
# parent (the big test process) across exec.
WORKER = """
import runpy, sys
sys.argv = ["manage.py", "db_worker", "--batch", "--max-tasks", "1",
            "--no-startup-delay", "--no-reload", "--verbosity", "0"]
runpy.run_path("manage.py", run_name="__main__")
with open("/proc/self/status") as status:
    print(next(line.split()[1] for line in status if line.startswith("VmHWM")))
"""


BATCHES = [("1k", False), ("10k", False), ("10k", True)]


@pytest.fixture(scope="session")
def letter_segments(generated_contacts, django_db_blocker):
    """Committed segments of 1,000 and 10,000 persons with the demo letters, and
    committed letter batches queued for the worker in the order of BATCHES."""
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
        batches = [
            start_letter_batch(user=user, combined=combined, segment=segments[label])
            for label, combined in BATCHES
        ]
    return segments, batches


def test_separate_letters_against_the_bare_merge_loop(letter_segments, bench_results):
    segments, _batches = letter_segments
    segment = segments["1k"]
    # The floor gets its rows ready-made: each letter's document and values,
    # keyed by the exact field names the documents use.
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

    def service():
        with tempfile.TemporaryFile() as output:
            for chunk in zip_chunks(segment_letters(segment), LetterOutcome()):
                output.write(chunk)

    def floor():
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

    service_seconds, floor_seconds = compare_with_floor(service, floor, lambda: None)

    bench_results.record(
        "letters: 1,000 separate letters to a zip",
        service_seconds,
        "s",
        rows=len(rows),
        floor=floor_seconds,
    )


@pytest.mark.parametrize("index", range(len(BATCHES)))
def test_the_worker_process(letter_segments, bench_results, index):
    _segments, batches = letter_segments
    batch = batches[index]

    started = time.perf_counter()
    worker = subprocess.run(
        [sys.executable, "-c", WORKER],
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            "DATABASE_URL": _database_url(),
            "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        },
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    peak_kib = int(worker.stdout.strip().splitlines()[-1])

    batch.refresh_from_db()
    assert batch.status == LetterBatch.Status.DONE, batch.error
    kind = "one combined document" if batch.combined else "separate letters (zip)"
    bench_results.record(
        f"letters worker: {batch.total:,} {kind}", seconds, "s", rows=batch.total
    )
    bench_results.record(
        f"letters worker: {batch.total:,} {kind}, peak RSS",
        peak_kib / 1024,
        "MiB",
        rows=batch.total,
    )


def _database_url() -> str:
    database = django_settings.DATABASES["default"]
    return (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}"
    )
