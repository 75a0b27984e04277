"""The reference's merge field names merge with real values, before and after Log."""

import io
import re
import zipfile

import pytest
from django.urls import reverse

from interactions.merge_fields import check_fields
from interactions.models import CompanyInformation
from segmentation.services import add_contacts_by_hand, log_segment
from tests import word_files
from tests.factories import (
    ContactFactory,
    InteractionTemplateFactory,
    SalespersonFactory,
    SegmentFactory,
    WordDocumentFactory,
)

pytestmark = pytest.mark.django_db

TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
# The 16 reference names Segmenta did not know, each with the value it must merge.
REFERENCE_FIELDS = {
    "Contact Fax No.": "+420 2 555",
    "Contact VAT Registration No.": "CZ12345678",
    "Contact Home Page": "https://brno-tools.example",
    "Salesperson/Purchaser Code": "EVA",
    "Company Information Name 2": "Nordic branch",
    "Company Information Address 2": "Floor 3",
    "Company Information County": "Stockholms län",
    "Company Information Country/Region Name": "Sweden",
    "Company Information Registration No.": "556677-8899",
    "Company Information Fax No.": "+46 8 999",
    "Company Information Bank Name": "Nordbank",
    "Company Information Bank Branch No.": "6001",
    "Company Information Bank Account No.": "1234 5678",
    "Company Information Giro No.": "123-4567",
    "FaxMailTo": "jana@brno-tools.example",
}


@pytest.fixture
def segment():
    CompanyInformation.objects.create(
        name="Segmenta & Co",
        name_2="Nordic branch",
        address_2="Floor 3",
        county="Stockholms län",
        country="SE",
        registration_number="556677-8899",
        fax="+46 8 999",
        bank_name="Nordbank",
        bank_branch_number="6001",
        bank_account_number="1234 5678",
        giro_number="123-4567",
    )
    paragraphs = [
        f"<w:r><w:t>{name}=</w:t></w:r>"
        + word_files.field(f' MERGEFIELD "{name}" ', result=f"«{name}»")
        for name in ["Entry No.", *REFERENCE_FIELDS]
    ]
    segment = SegmentFactory(
        template=InteractionTemplateFactory(correspondence_type="email"),
        salesperson=SalespersonFactory(code="EVA"),
        document=WordDocumentFactory(content=word_files.letter_with(*paragraphs)),
    )
    add_contacts_by_hand(
        segment,
        contacts=[
            ContactFactory(
                email="jana@brno-tools.example",
                fax="+420 2 555",
                vat_registration_number="CZ12345678",
                website="https://brno-tools.example",
                correspondence_type="",
            )
        ],
        user=None,
    )
    return segment


def _merged(docx_bytes: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        xml = archive.read("word/document.xml").decode()
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml)
    merged = {}
    for paragraph in paragraphs:
        text = "".join(TEXT.findall(paragraph))
        if "=" in text:
            name, _, value = text.partition("=")
            merged[name] = value
    return merged


def test_a_logged_letter_merges_every_reference_field(marketing_client, segment):
    logged = log_segment(segment, user=None)
    entry = logged.entries.get()

    response = marketing_client.get(
        reverse("segmentation:logged_segment_letters_download", args=[logged.pk])
    )
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        [letter] = archive.namelist()
        merged = _merged(archive.read(letter))

    assert merged == {"Entry No.": str(entry.pk), **REFERENCE_FIELDS}


def test_a_line_preview_leaves_only_the_entry_number_empty(marketing_client, segment):
    line = segment.lines.get()

    response = marketing_client.get(
        reverse("segmentation:line_letter_download", args=[segment.pk, line.pk])
    )

    assert _merged(response.content) == {"Entry No.": "", **REFERENCE_FIELDS}


def test_a_paper_letter_has_no_faxmailto(marketing_client, segment):
    segment.lines.update(correspondence_type="hard_copy")
    line = segment.lines.get()

    response = marketing_client.get(
        reverse("segmentation:line_letter_download", args=[segment.pk, line.pk])
    )

    assert _merged(response.content)["FaxMailTo"] == ""


def test_the_check_page_lists_the_reference_fields_as_known(marketing_client, segment):
    page = marketing_client.get(
        reverse("segmentation:segment_letters", args=[segment.pk])
    ).content.decode()

    assert "unknown-field" not in page
    for name in ["Entry No.", *REFERENCE_FIELDS]:
        assert f'<code class="me-2">{name}</code>' in page


# The 48 names of the reference's legacy Word merge (reference 2.14), in its order.
REFERENCE_NAMES = [
    "Entry No.",
    "Contact Mail Address",
    "Contact No.",
    "Contact Company Name",
    "Contact Name",
    "Contact Name 2",
    "Contact Address",
    "Contact Address 2",
    "Contact Post Code",
    "Contact City",
    "Contact County",
    "Contact Country/Region Name",
    "Contact Job Title",
    "Contact Phone No.",
    "Contact Fax No.",
    "Contact Email",
    "Contact Mobile Phone No.",
    "Contact VAT Registration No.",
    "Contact Home Page",
    "Formal Salutation",
    "Informal Salutation",
    "Salesperson/Purchaser Code",
    "Salesperson/Purchaser Name",
    "Salesperson/Purchaser Job Title",
    "Salesperson/Purchaser Phone No.",
    "Salesperson/Purchaser Email",
    "Document Date",
    "Document Campaign No.",
    "Document Segment No.",
    "Document Description",
    "Document Subject",
    "Company Information Name",
    "Company Information Name 2",
    "Company Information Address",
    "Company Information Address 2",
    "Company Information Post Code",
    "Company Information City",
    "Company Information County",
    "Company Information Country/Region Name",
    "Company Information VAT Registration No.",
    "Company Information Registration No.",
    "Company Information Phone No.",
    "Company Information Fax No.",
    "Company Information Bank Branch No.",
    "Company Information Bank Name",
    "Company Information Bank Account No.",
    "Company Information Giro No.",
    "FaxMailTo",
]


def test_every_reference_field_name_is_known():
    assert [
        report.name for report in check_fields(REFERENCE_NAMES) if not report.known
    ] == []
