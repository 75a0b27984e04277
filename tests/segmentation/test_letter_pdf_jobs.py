"""PDF letters as jobs: the letters page's PDF formats and the logged segment's Print letters.

Started through the pages (POST), run by a worker in this process
(`run_worker --batch`) that converts with the test session's unoserver, and
read back with pdftotext.
"""

import zipfile

import pytest
from django.urls import reverse

from contacts.models import CorrespondenceType
from core.models import Job
from segmentation.services import add_contacts_by_hand, log_segment
from tests.factories import (
    InteractionTemplateFactory,
    PersonFactory,
    SalespersonFactory,
    SegmentFactory,
    TemplateDocumentFactory,
)
from tests.office import needs_libreoffice, pdf_pages

pytestmark = pytest.mark.django_db(transaction=True)

NAMES = ["Alice Andersson", "Bruno Berg", "Cecilia Cech", "Dana Dahl", "Erik Ek"]
HARD_COPY = {"Bruno Berg", "Dana Dahl", "Erik Ek"}
LONG_COMMENT = "\n".join(f"Line {number} of a long note." for number in range(90))


@pytest.fixture
def segment(transactional_db, settings):
    """Five English letters in chunks of two; Bruno's runs over two pages."""
    settings.LETTERS_PER_CHUNK = 2
    template = InteractionTemplateFactory(code="INVIT", default_language="en")
    TemplateDocumentFactory(template=template, language="en")
    segment = SegmentFactory(
        number="SM00077", template=template, salesperson=SalespersonFactory()
    )
    add_contacts_by_hand(
        segment,
        contacts=[PersonFactory(name=name, language="en") for name in NAMES],
        user=None,
    )
    segment.lines.filter(contact__name="Bruno Berg").update(
        personal_comment=LONG_COMMENT
    )
    return segment


@pytest.fixture
def converter(unoserver, settings):
    """Workers in this process convert with the session's unoserver."""
    settings.UNOSERVER_PORT = unoserver.port
    return unoserver


@pytest.fixture
def no_libreoffice(settings, tmp_path):
    settings.UNOSERVER_DIR = tmp_path / "no-unoserver"
    settings.UNOSERVER_PORT = None


def _start(client, segment, format: str) -> Job:
    url = reverse("segmentation:segment_letters_download", args=[segment.pk])
    response = client.post(url, {"format": format})
    job = Job.objects.get()
    assert response.url == job.get_absolute_url()
    return job


def _finished(job: Job, run_jobs) -> Job:
    run_jobs()
    job.refresh_from_db()
    assert job.state == "done", job.error
    return job


def _names_in(text: str) -> list[str]:
    return [name for name in NAMES if name in text]


def _letter_starts(pages: list[str]) -> list[str]:
    """The contact of each letter's first page, in page order."""
    starts = []
    for page in pages:
        names = _names_in(page)
        assert len(names) <= 1, page
        if names:
            starts.append(names[0])
    return starts


@needs_libreoffice
def test_the_letters_page_offers_both_pdf_formats(marketing_client, segment):
    response = marketing_client.get(
        reverse("segmentation:segment_letters", args=[segment.pk])
    )

    page = response.content.decode()
    assert "Download as PDF" in page
    assert 'name="format" value="pdf" class="btn' in page
    assert "PDF, one per letter (zip)" in page
    assert "PDF for printing (one file, each letter on a new page)" in page
    assert "disabled" not in page
    assert "PDF needs LibreOffice" not in page


@needs_libreoffice
def test_a_pdf_job_makes_one_pdf_per_letter_with_that_contacts_letter(
    marketing_client, segment, converter, run_jobs
):
    job = _start(marketing_client, segment, "pdf")
    assert job.title == "Letters · SM00077 · PDF, one per letter (zip)"
    assert job.chunks.count() == 3

    job = _finished(job, run_jobs)

    assert (job.done, job.details["failures"]) == (5, [])
    assert job.result_name == "SM00077 letters.zip"
    with job.result.open("rb") as file, zipfile.ZipFile(file) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    assert len(files) == 5
    for name in NAMES:
        [file_name] = [file for file in files if name in file]
        assert file_name.endswith(".pdf")
        pages = pdf_pages(files[file_name])
        assert _names_in("".join(pages)) == [name]
        if name == "Bruno Berg":
            assert len(pages) >= 2
            assert "Line 89 of a long note." in pages[-1]
        else:
            assert len(pages) == 1


@needs_libreoffice
def test_the_print_pdf_starts_each_letter_on_a_new_page_in_line_order(
    marketing_client, segment, converter, run_jobs
):
    job = _start(marketing_client, segment, "print")
    assert job.title == (
        "Letters · SM00077 · PDF for printing (one file, each letter on a new page)"
    )

    job = _finished(job, run_jobs)

    assert job.result_name == "SM00077 letters.pdf"
    with job.result.open("rb") as file:
        pages = pdf_pages(file.read())
    in_line_order = list(
        segment.lines.order_by("pk").values_list("contact__name", flat=True)
    )
    assert _letter_starts(pages) == in_line_order
    # Bruno's letter runs on over pages of its own, up to the next letter's start.
    starts = [index for index, page in enumerate(pages) if _names_in(page)]
    bruno = in_line_order.index("Bruno Berg")
    first, following = starts[bruno], starts[bruno + 1]
    assert following - first >= 2
    assert "Line 89 of a long note." in pages[following - 1]


def test_opening_a_pdf_download_link_only_asks(marketing_client, segment):
    url = reverse("segmentation:segment_letters_download", args=[segment.pk])

    response = marketing_client.get(url + "?format=print")

    assert response.status_code == 200
    assert 'value="print"' in response.content.decode()
    assert not Job.objects.exists()


def test_without_libreoffice_the_pdf_buttons_are_disabled_and_say_why(
    marketing_client, segment, no_libreoffice
):
    response = marketing_client.get(
        reverse("segmentation:segment_letters", args=[segment.pk])
    )

    page = response.content.decode()
    assert page.count('aria-describedby="pdf-note" disabled') == 2
    assert "PDF needs LibreOffice, which is not installed on this server." in page


@pytest.mark.parametrize("format", ["pdf", "print"])
def test_without_libreoffice_posting_a_pdf_format_says_so_and_starts_nothing(
    marketing_client, segment, no_libreoffice, format
):
    url = reverse("segmentation:segment_letters_download", args=[segment.pk])

    response = marketing_client.post(url, {"format": format}, follow=True)

    assert response.status_code == 200
    assert "PDF needs LibreOffice, which is not installed on this server." in (
        response.content.decode()
    )
    assert not Job.objects.exists()


def test_a_worker_without_a_converter_fails_the_job_with_a_message(
    marketing_client, segment, run_jobs, settings, monkeypatch
):
    # The web server sees an external unoserver; the worker has none (nor the
    # one this test session started).
    settings.UNOSERVER_PORT = 1
    job = _start(marketing_client, segment, "pdf")
    settings.UNOSERVER_PORT = None
    monkeypatch.setattr("core.office._started_ports", [])

    run_jobs()

    job.refresh_from_db()
    assert job.state == "failed"
    assert job.error.startswith(
        "PDF needs LibreOffice, which is not running beside this worker."
    )


@pytest.fixture
def logged(segment, marketing_user):
    """Logged with three hard copies (one of them cancelled later) and two without."""
    segment.lines.filter(contact__name__in=HARD_COPY).update(
        correspondence_type=CorrespondenceType.HARD_COPY
    )
    segment.lines.exclude(contact__name__in=HARD_COPY).update(
        correspondence_type=CorrespondenceType.BLANK
    )
    logged = log_segment(segment, user=marketing_user)
    logged.entries.filter(contact__name="Erik Ek").update(cancelled=True)
    return logged


@needs_libreoffice
def test_print_letters_makes_one_pdf_of_the_hard_copies_in_line_order(
    marketing_client, logged, converter, run_jobs
):
    page = marketing_client.get(logged.get_absolute_url()).content.decode()
    assert 'id="print-letters"' in page
    assert "Print letters (PDF)" in page

    response = marketing_client.post(
        reverse("segmentation:logged_segment_print_letters", args=[logged.pk])
    )

    job = Job.objects.get()
    assert response.url == job.get_absolute_url()
    assert job.title == (
        "Print letters · SM00077 · PDF for printing (one file, each letter on a new page)"
    )
    job = _finished(job, run_jobs)
    assert (job.total, job.done) == (2, 2)
    job_page = marketing_client.get(job.get_absolute_url()).content.decode()
    download = reverse("core:job_download", args=[job.pk])
    assert download in job_page
    pdf = b"".join(marketing_client.get(download).streaming_content)
    pages = pdf_pages(pdf)
    assert _letter_starts(pages) == ["Bruno Berg", "Dana Dahl"]
    assert "Dana Dahl" in pages[-1]


def test_print_letters_is_not_offered_without_hard_copies(marketing_client, segment):
    segment.lines.update(correspondence_type=CorrespondenceType.BLANK)
    logged = log_segment(segment, user=None)

    page = marketing_client.get(logged.get_absolute_url()).content.decode()
    response = marketing_client.post(
        reverse("segmentation:logged_segment_print_letters", args=[logged.pk]),
        follow=True,
    )

    assert "Print letters (PDF)" not in page
    assert "This logged segment has no letters to print." in response.content.decode()
    assert not Job.objects.exists()


def test_without_libreoffice_print_letters_is_disabled_and_posting_says_so(
    marketing_client, logged, no_libreoffice
):
    page = marketing_client.get(logged.get_absolute_url()).content.decode()
    response = marketing_client.post(
        reverse("segmentation:logged_segment_print_letters", args=[logged.pk]),
        follow=True,
    )

    assert 'aria-describedby="print-letters-note" disabled' in page
    assert "PDF needs LibreOffice, which is not installed on this server." in page
    assert response.status_code == 200
    assert "PDF needs LibreOffice" in response.content.decode()
    assert not Job.objects.exists()


def test_print_letters_needs_a_post(marketing_client, logged):
    url = reverse("segmentation:logged_segment_print_letters", args=[logged.pk])

    assert marketing_client.get(url).status_code == 405
    assert not Job.objects.exists()
