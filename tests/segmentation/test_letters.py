"""Letters: a segment merged with Word documents, personalised per contact, downloaded."""

import datetime
import io
import re
import zipfile
from urllib.parse import quote

import docx
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from core.models import Job
from interactions.models import CompanyInformation
from segmentation.letters import views as letter_views
from segmentation.services import add_contacts_by_hand, log_segment, update_line
from tests import word_files
from tests.factories import (
    ContactFactory,
    InteractionTemplateFactory,
    PersonFactory,
    SalespersonFactory,
    SegmentFactory,
    TemplateDocumentFactory,
    UserFactory,
    WordDocumentFactory,
)

pytestmark = pytest.mark.django_db

TRICKY = "Tom & Jerry <b>\"quoted\" 'single'</b> 😀 Žluťoučký kůň Åsa Öberg"
TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")


def _text(part: bytes) -> str:
    return (
        "".join(TEXT.findall(part.decode()))
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&amp;", "&")
    )


def _parts(docx_bytes: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(response) -> dict[str, bytes]:
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture
def company():
    return CompanyInformation.objects.create(
        name="Segmenta & Co",
        phone="+46 8 123",
        email="hello@segmenta.example",
        country="SE",
    )


@pytest.fixture
def template():
    template = InteractionTemplateFactory(code="INVIT", default_language="en")
    for language in ("en", "cs"):
        TemplateDocumentFactory(template=template, language=language)
    return template


@pytest.fixture
def segment(template, company):
    segment = SegmentFactory(
        number="SM00042",
        description="Spring event",
        subject="Invitation & more",
        template=template,
        salesperson=SalespersonFactory(
            name="Eva Karlsson", job_title="Key account manager", phone="+46 70 1"
        ),
        date=datetime.date(2026, 3, 5),
    )
    add_contacts_by_hand(
        segment,
        contacts=[
            PersonFactory(
                name=TRICKY,
                language="cs",
                formal_salutation="Vážená paní Nováková",
                address="Dlouhá 12",
                post_code="110 00",
                city="Praha",
                country="CZ",
                company__name="Brno Tools s.r.o.",
            ),
            ContactFactory(name="Paul Martin", language="fr", country="SE"),
        ],
        user=None,
    )
    return segment


def test_each_contact_gets_a_merged_letter_in_a_zip(marketing_client, segment):
    update_line(
        segment.lines.get(contact__name=TRICKY),
        fields={"personal_comment": "Thank you!\nSee you in Brno."},
        user=UserFactory(),
    )

    response = marketing_client.get(
        reverse("segmentation:segment_letters_download", args=[segment.pk])
    )

    assert (
        response["Content-Disposition"] == 'attachment; filename="SM00042 letters.zip"'
    )
    files = _zip(response)
    czech_name = next(name for name in files if "Žluťoučký" in name)
    assert re.fullmatch(r"SM00042 CT\d+ Tom & Jerry b .*\.docx", czech_name)
    assert not any(character in czech_name for character in '<>"/')
    letter = _parts(files[czech_name])
    body = _text(letter["word/document.xml"])
    for value in (
        TRICKY,
        "Brno Tools s.r.o.",
        "Dlouhá 12",
        "110 00 Praha",
        "5. března 2026",
        "Invitation & more",
        "Vážená paní Nováková",
        "Thank you!",
        "See you in Brno.",
        "Eva Karlsson",
        "Key account manager",
    ):
        assert value in body, value
    assert "MERGEFIELD" not in letter["word/document.xml"].decode()
    assert "Segmenta & Co" in _text(letter["word/header1.xml"])
    assert "hello@segmenta.example" in _text(letter["word/footer1.xml"])
    docx.Document(io.BytesIO(files[czech_name]))


def test_a_line_without_a_document_in_its_language_gets_the_default_one(
    marketing_client, segment, template
):
    files = _zip(
        marketing_client.get(
            reverse("segmentation:segment_letters_download", args=[segment.pk])
        )
    )

    french = next(content for name, content in files.items() if "Paul Martin" in name)
    assert "We are delighted to invite you" in _text(
        _parts(french)["word/document.xml"]
    )
    page = marketing_client.get(
        reverse("segmentation:segment_letters", args=[segment.pk])
    ).content.decode()
    assert "1 line has no document in its language" in page
    assert "Paul Martin — fr → en" in page


def test_one_combined_document_keeps_each_letters_footer(marketing_client, segment):
    for line in segment.lines.all():
        update_line(line, fields={"language": "en"}, user=UserFactory())

    response = marketing_client.get(
        reverse("segmentation:segment_letters_download", args=[segment.pk]),
        {"format": "combined"},
    )

    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument"
    )
    parts = _parts(response.content)
    body = parts["word/document.xml"].decode()
    assert body.count("<w:sectPr") == 2
    footers = [_text(content) for name, content in parts.items() if "footer" in name]
    numbers = list(
        segment.lines.order_by("pk").values_list("contact__number", flat=True)
    )
    for number in numbers:
        assert any(number in footer for footer in footers), number


def test_letters_with_different_documents_combine_per_document_in_a_zip(
    marketing_client, segment
):
    response = marketing_client.get(
        reverse("segmentation:segment_letters_download", args=[segment.pk]),
        {"format": "combined"},
    )

    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == [
            "letters 1 (cs).docx",
            "letters 2 (en).docx",
        ]


def test_a_letter_that_cannot_be_made_is_listed_and_the_others_are_made(
    marketing_client, segment
):
    no_template = InteractionTemplateFactory(code="CALL", default_language="")
    update_line(
        segment.lines.get(contact__name="Paul Martin"),
        fields={"template": no_template},
        user=UserFactory(),
    )

    files = _zip(
        marketing_client.get(
            reverse("segmentation:segment_letters_download", args=[segment.pk])
        )
    )

    assert len([name for name in files if name.endswith(".docx")]) == 1
    report = files["failures.txt"].decode()
    assert "There is no Word document for this letter." in report
    assert segment.lines.get(contact__name="Paul Martin").contact.number in report


def test_personalising_a_letter_round_trip(marketing_client, segment, template):
    line = segment.lines.get(contact__name="Paul Martin")
    shared = template.documents.get(language="en").document
    shared_bytes = shared.file.read()
    downloaded = marketing_client.get(
        reverse("segmentation:line_letter_download", args=[segment.pk, line.pk])
    ).content
    edited = docx.Document(io.BytesIO(downloaded))
    edited.add_paragraph("P.S. A special offer just for you.")
    buffer = io.BytesIO()
    edited.save(buffer)

    marketing_client.post(
        reverse("segmentation:line_personalise", args=[segment.pk, line.pk]),
        {"document": SimpleUploadedFile("paul.docx", buffer.getvalue())},
    )

    line.refresh_from_db()
    assert line.personal_document.file_name == "paul.docx"
    files = _zip(
        marketing_client.get(
            reverse("segmentation:segment_letters_download", args=[segment.pk])
        )
    )
    paul = next(content for name, content in files.items() if "Paul Martin" in name)
    assert paul == buffer.getvalue()
    other = next(content for name, content in files.items() if "Žluťoučký" in name)
    assert "special offer" not in _text(_parts(other)["word/document.xml"])
    shared.file.seek(0)
    assert shared.file.read() == shared_bytes
    assert (
        "personalised"
        in marketing_client.get(segment.get_absolute_url()).content.decode()
    )

    marketing_client.post(
        reverse("segmentation:line_personalise", args=[segment.pk, line.pk]),
        {"reset": "1"},
    )

    line.refresh_from_db()
    assert line.personal_document is None


def test_a_bad_personalised_upload_is_refused(marketing_client, segment):
    line = segment.lines.first()

    response = marketing_client.post(
        reverse("segmentation:line_personalise", args=[segment.pk, line.pk]),
        {"document": SimpleUploadedFile("notes.docx", b"not a word file")},
        follow=True,
    )

    assert "not a Word document" in response.content.decode()
    line.refresh_from_db()
    assert line.personal_document is None


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (word_files.remote_template, "attached to a template stored outside it"),
        (word_files.activex_control, "ActiveX controls"),
        (word_files.text_bomb, "too large when unpacked"),
    ],
    ids=["remote template", "activex", "95 MB text part"],
)
def test_a_hostile_personalised_letter_is_refused(
    marketing_client, segment, make, message
):
    line = segment.lines.first()

    response = marketing_client.post(
        reverse("segmentation:line_personalise", args=[segment.pk, line.pk]),
        {"document": SimpleUploadedFile("edited.docx", make())},
        follow=True,
    )

    assert message in response.content.decode()
    line.refresh_from_db()
    assert line.personal_document is None


def test_the_check_page_warns_of_fields_a_merge_cannot_fill(marketing_client, segment):
    letter = word_files.letter_with(
        word_files.field(" MERGEFIELD Contact_Name ", result="«Contact_Name»"),
        word_files.field(
            " IF ",
            word_files.field(" MERGEFIELD Contact_Country ", result="CZ"),
            ' = "CZ" "Vážený pane" "Dear Sir" ',
            result="Dear Sir",
        ),
        word_files.field(" NEXT "),
    )
    segment.document = WordDocumentFactory(content=letter)
    segment.save()

    page = marketing_client.get(
        reverse("segmentation:segment_letters", args=[segment.pk])
    ).content.decode()

    assert "Fields that cannot be filled" in page
    assert "<code>NEXT</code>" in page
    assert "<code>MERGEFIELD Contact_Country</code>" in page
    assert "inside another field" in page


def test_the_check_page_has_no_warning_for_a_letter_that_merges(
    marketing_client, segment
):
    page = marketing_client.get(
        reverse("segmentation:segment_letters", args=[segment.pk])
    ).content.decode()

    assert "Fields that cannot be filled" not in page


def test_the_check_page_reports_unknown_fields_with_a_suggestion(
    marketing_client, segment
):
    document = WordDocumentFactory()
    document.merge_fields = ["Contact_Nmae", "Formal_Salutation", "Shoe_Size"]
    document.save()
    segment.document = document
    segment.save()

    page = marketing_client.get(
        reverse("segmentation:segment_letters", args=[segment.pk])
    ).content.decode()

    assert "Contact_Nmae → did you mean Contact_Name?" in page
    assert "Shoe_Size – unknown, stays empty" in page
    assert '<code class="me-2">Formal_Salutation</code>' in page


def test_logged_letters_are_made_with_what_was_logged(
    marketing_client, segment, template, marketing_user
):
    logged = log_segment(segment, user=marketing_user)
    row = template.documents.get(language="cs")
    row.document = WordDocumentFactory(language="en")  # a later version
    row.save()

    files = _zip(
        marketing_client.get(
            reverse("segmentation:logged_segment_letters_download", args=[logged.pk])
        )
    )

    czech = next(content for name, content in files.items() if "Žluťoučký" in name)
    body = _text(_parts(czech)["word/document.xml"])
    assert "S potěšením vás zveme" in body
    assert "Invitation & more" in body
    assert "SM00042" in next(iter(files))


# The worker closes the connections it finds inside a transaction: this test commits.
@pytest.mark.django_db(transaction=True)
def test_many_letters_are_made_by_the_worker_with_progress_and_failures(
    marketing_client, segment, monkeypatch
):
    monkeypatch.setattr(letter_views, "LETTERS_IN_REQUEST", 1)
    update_line(
        segment.lines.get(contact__name="Paul Martin"),
        fields={
            "template": InteractionTemplateFactory(code="CALL", default_language="")
        },
        user=UserFactory(),
    )

    response = marketing_client.post(
        reverse("segmentation:segment_letters_download", args=[segment.pk]),
        follow=True,
    )

    job = Job.objects.get()
    assert response.redirect_chain[-1][0] == job.get_absolute_url()
    assert "2 letters are being made in the background." in response.content.decode()
    assert job.state == "queued"

    call_command("run_worker", batch=True, startup_delay=False, verbosity=0)

    job.refresh_from_db()
    assert (job.state, job.done, job.total) == ("done", 2, 2)
    assert job.details["failures"][0][1] == "There is no Word document for this letter."
    status = marketing_client.get(reverse("core:job_status", args=[job.pk])).json()
    assert status["state"] == "done"
    assert (status["done"], status["total"], status["finished"]) == (2, 2, True)
    page = marketing_client.get(job.get_absolute_url()).content.decode()
    assert "Letters that could not be made" in page
    download = marketing_client.get(
        reverse("core:job_download", args=[job.pk]), follow=True
    )
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        assert len([name for name in archive.namelist() if name.endswith(".docx")]) == 1
        assert "failures.txt" in archive.namelist()


def test_outsiders_cannot_download_letters(outsider_client, segment):
    url = reverse("segmentation:segment_letters_download", args=[segment.pk])

    assert outsider_client.get(url).status_code == 403


def _combined_button(client, segment) -> str:
    page = client.get(reverse("segmentation:segment_letters", args=[segment.pk]))
    return re.search(r'\?format=combined">([^<]*)</a>', page.content.decode()).group(1)


def test_the_one_document_button_says_when_it_gives_a_zip(marketing_client, segment):
    assert (
        _combined_button(marketing_client, segment)
        == "Download as one document per Word document (zip)"
    )

    for line in segment.lines.all():
        update_line(line, fields={"language": "en"}, user=UserFactory())

    assert _combined_button(marketing_client, segment) == "Download as one document"


def test_a_download_name_outside_ascii_reaches_the_browser_intact(
    marketing_client, segment
):
    """RFC 6266: filename*=utf-8''…, which browsers read; a quoted name in
    Czech would arrive as RFC 2047 gibberish."""
    marketing_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cs"
    line = segment.lines.get(contact__name=TRICKY)

    response = marketing_client.get(
        reverse("segmentation:line_letter_download", args=[segment.pk, line.pk])
    )

    disposition = response["Content-Disposition"]
    assert "filename*=utf-8''" in disposition
    assert quote("Žluťoučký") in disposition
