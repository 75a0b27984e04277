"""Download a segment's letters through the real pages."""

import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from segmentation.services import add_contacts_by_hand
from tests.factories import (
    ContactFactory,
    InteractionTemplateFactory,
    SegmentFactory,
    TemplateDocumentFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_letters_of_a_segment_are_checked_then_downloaded(logged_in_page, live_server):
    page = logged_in_page
    template = InteractionTemplateFactory(code="BUS", default_language="en")
    TemplateDocumentFactory(template=template, language="en")
    segment = SegmentFactory(description="Letters to Lund", template=template)
    add_contacts_by_hand(
        segment,
        contacts=[ContactFactory(name=name, language="en") for name in ("Ann", "Bo")],
        user=None,
    )

    page.goto(f"{live_server.url}{segment.get_absolute_url()}")
    page.get_by_role("link", name="Letters", exact=True).click()
    expect(page.locator("main")).to_contain_text("Documents in use")
    expect(page.locator(".document-check")).to_contain_text("Formal_Salutation")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download Letters (zip)").click()
    download = download_info.value

    assert download.suggested_filename == f"{segment.number} letters.zip"
    with zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes())) as archive:
        names = sorted(archive.namelist())
    assert len(names) == 2
    assert names[0].startswith(f"{segment.number} ") and names[0].endswith(" Ann.docx")
