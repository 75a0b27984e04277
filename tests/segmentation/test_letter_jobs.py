"""Letters as jobs: volumes for a combined download, a segment logged meanwhile.

The worker runs in this process (`run_worker --batch`) and commits.
"""

import io
import zipfile

import docx
import pytest
from django.core.management import call_command

from segmentation.letters.jobs import start_letters_job
from segmentation.services import log_segment
from tests.factories import SalespersonFactory, segment_with_letters

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def segment(transactional_db):
    segment = segment_with_letters(5)
    segment.salesperson = SalespersonFactory()
    segment.save()
    return segment


def _run_workers():
    call_command("run_worker", batch=True, startup_delay=False, verbosity=0)


def _text_of(document: bytes) -> str:
    paragraphs = docx.Document(io.BytesIO(document)).paragraphs
    return "\n".join(paragraph.text for paragraph in paragraphs)


def test_a_big_combined_download_is_a_zip_of_volumes(segment, settings, marketing_user):
    settings.LETTERS_PER_VOLUME = 2
    job = start_letters_job(user=marketing_user, format="combined", segment=segment)
    assert job.chunks.count() == 3

    _run_workers()

    job.refresh_from_db()
    assert (job.state, job.done) == ("done", 5)
    assert job.result_name == f"{segment.number} letters.zip"
    with job.result.open("rb") as file, zipfile.ZipFile(file) as archive:
        names = archive.namelist()
        volumes = [archive.read(name) for name in names]
    assert names == [
        f"{segment.number} letters, volume {number}.docx" for number in (1, 2, 3)
    ]
    contacts = [line.contact.name for line in segment.lines.order_by("pk")]
    texts = [_text_of(volume) for volume in volumes]
    assert [[name for name in contacts if name in text] for text in texts] == [
        contacts[0:2],
        contacts[2:4],
        contacts[4:5],
    ]


def test_a_combined_download_of_one_volume_is_one_document(segment, marketing_user):
    job = start_letters_job(user=marketing_user, format="combined", segment=segment)

    _run_workers()

    job.refresh_from_db()
    assert job.result_name == f"{segment.number} letters.docx"
    with job.result.open("rb") as file:
        document = docx.Document(file)
    assert len(document.sections) == 5


def test_a_segment_logged_meanwhile_fails_the_job_with_a_message(
    segment, marketing_user
):
    job = start_letters_job(user=marketing_user, format="zip", segment=segment)
    log_segment(segment, user=marketing_user)

    _run_workers()

    job.refresh_from_db()
    assert job.state == "failed"
    assert job.error == (
        f"Segment {segment.number} no longer exists; download its letters "
        "from the logged segment."
    )


def test_a_logged_segments_letters_are_a_job_too(segment, marketing_user, settings):
    settings.LETTERS_PER_CHUNK = 2
    logged = log_segment(segment, user=marketing_user)
    job = start_letters_job(user=marketing_user, format="zip", logged_segment=logged)

    _run_workers()

    job.refresh_from_db()
    assert (job.state, job.done, job.chunks.count()) == ("done", 5, 3)
    with job.result.open("rb") as file, zipfile.ZipFile(file) as archive:
        assert len(set(archive.namelist())) == 5
