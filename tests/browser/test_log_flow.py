"""Log a segment through the real pages, with a follow-up; cancel and restore it."""

import pytest
from playwright.sync_api import expect

from interactions.models import InteractionLogEntry, LoggedSegment
from tests.factories import (
    ContactFactory,
    InteractionTemplateFactory,
    SalespersonFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_segment_is_logged_with_a_follow_up_then_cancelled_and_restored(
    logged_in_page, live_server
):
    page = logged_in_page
    InteractionTemplateFactory(code="BUS", description="Business letter")
    salesperson = SalespersonFactory(code="AH")
    for name in ("Ingrid Lund", "Olle Berg"):
        ContactFactory(name=name, city="Lund", salesperson=salesperson)

    page.goto(f"{live_server.url}/segments/new/")
    page.fill("input[name=description]", "Lund letters")
    page.select_option("select[name=template]", label="BUS – Business letter")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add Contacts").click()
    page.fill("input[name=city]", "Lund")
    page.get_by_role("button", name="Count contacts").click()
    page.locator("form[method=post]").get_by_role("button", name="Add Contacts").click()
    expect(page.locator("h2").first).to_contain_text("2 lines")
    number = page.locator("h1").inner_text().split()[1]

    page.get_by_role("link", name="Log", exact=True).click()
    expect(page.locator("#log-lines")).to_have_text("2")
    page.get_by_label("Create Follow-up Segment").check()
    page.get_by_role("button", name="Log", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text(
        f"Segment {number} has been logged."
    )
    expect(
        page.locator(".alert-info", has_text="Follow-up segment created")
    ).to_be_visible()
    expect(page.locator(".alert-info", has_text="Carried over")).to_contain_text(
        "Interaction template: BUS"
    )

    page.get_by_role("link", name="Logged Segments").click()
    page.get_by_role("link", name=number).click()
    expect(page.locator("main")).to_contain_text("Ingrid Lund")
    page.get_by_role("link", name="Cancel", exact=True).click()
    page.get_by_role("button", name="Cancel logged segment").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "cancelled with its 2 interactions"
    )
    assert InteractionLogEntry.objects.filter(cancelled=True).count() == 2

    page.get_by_role("link", name="Restore", exact=True).click()
    page.get_by_role("button", name="Restore", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text(
        "restored with its 2 interactions"
    )
    assert not LoggedSegment.objects.get().cancelled
    assert not InteractionLogEntry.objects.filter(cancelled=True).exists()

    page.get_by_role("link", name="Segments", exact=True).click()
    expect(page.locator("main")).to_contain_text(f"Follow-up on segment {number}")
