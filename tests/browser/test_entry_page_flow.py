"""The Interaction Log at 1,400 px: short cells on one line; an entry's page and letter."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from interactions.models import DeliveryStatus
from segmentation.services import add_contacts_by_hand, log_segment
from tests.factories import (
    CampaignFactory,
    ContactFactory,
    InteractionTemplateFactory,
    SalespersonFactory,
    SegmentFactory,
    TemplateDocumentFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

# Text nodes of the row's cells that the browser broke over more than one line.
WRAPPED_TEXT = """
row => [...row.querySelectorAll('td:not(.log-description):not(.log-contact)')]
  .flatMap(cell => {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    const wrapped = [];
    while (walker.nextNode()) {
      const text = walker.currentNode;
      if (!text.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(text);
      if (range.getClientRects().length > 1) wrapped.push(text.textContent.trim());
    }
    return wrapped;
  })
"""


def test_the_log_fits_at_1400_px_and_an_entry_downloads_its_letter(
    logged_in_page, live_server, marketing_user
):
    page = logged_in_page
    page.set_viewport_size({"width": 1400, "height": 900})
    template = InteractionTemplateFactory(code="SPRING-INV", default_language="en")
    TemplateDocumentFactory(template=template, language="en")
    segment = SegmentFactory(
        description="Spring event invitations",
        template=template,
        salesperson=SalespersonFactory(code="EVA-KARLSSON"),
        campaign=CampaignFactory(),
    )
    add_contacts_by_hand(
        segment,
        contacts=[ContactFactory(name="Jana Nováková-Dvořáková", language="cs")],
        user=None,
    )
    logged = log_segment(segment, user=marketing_user)
    entry = logged.entries.get()
    logged.entries.update(
        delivery_status=DeliveryStatus.FAILED,
        delivery_detail="550 5.1.1 <jana@example.com>: mailbox unavailable",
    )

    page.goto(f"{live_server.url}/interactions/")
    row = page.locator("table.log-entries tbody tr").first
    expect(row).to_contain_text("Jana Nováková-Dvořáková")
    assert row.evaluate(WRAPPED_TEXT) == []
    assert (
        page.locator("table.log-entries thead").evaluate(
            WRAPPED_TEXT.replace("td:not(.log-description):not(.log-contact)", "th")
        )
        == []
    )

    page.get_by_role("link", name=f"Show interaction {entry.pk}").click()
    expect(page.locator("h1")).to_contain_text(f"Interaction {entry.pk}")
    expect(page.locator(".entry-delivery")).to_contain_text("mailbox unavailable")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download letter").click()
    content = Path(download_info.value.path()).read_bytes()

    assert content.startswith(b"PK")
