"""A marketing user follows a campaign: the list, its page, its logged segment and response rate."""

import pytest
from playwright.sync_api import expect

from interactions.models import DeliveryStatus, Evaluation
from segmentation.services import add_contacts_by_hand, log_segment
from tests.factories import (
    CampaignFactory,
    ContactFactory,
    InteractionTemplateFactory,
    SalespersonFactory,
    SegmentFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_campaign_shows_its_logged_segment_and_response_rate(
    logged_in_page, live_server, marketing_user
):
    page = logged_in_page
    campaign = CampaignFactory(code="SPRING26", description="Spring offers")
    segment = SegmentFactory(
        description="Spring mail",
        template=InteractionTemplateFactory(),
        salesperson=SalespersonFactory(),
        campaign=campaign,
        campaign_target=True,
    )
    add_contacts_by_hand(segment, contacts=ContactFactory.create_batch(4), user=None)
    logged = log_segment(segment, user=marketing_user)
    logged.entries.update(delivery_status=DeliveryStatus.SENT)
    logged.entries.filter(pk=logged.entries.order_by("pk")[0].pk).update(
        evaluation=Evaluation.VERY_POSITIVE
    )

    page.goto(f"{live_server.url}/contacts/")
    page.get_by_role("link", name="Campaigns").click()
    expect(page.locator("h1")).to_have_text("Campaigns")
    row = page.locator("table.campaigns tbody tr", has_text="SPRING26")
    expect(row).to_contain_text("25.0%")

    row.get_by_role("link", name="SPRING26").click()
    expect(page.locator("h1")).to_contain_text("Campaign SPRING26")
    expect(page.locator("#campaign-response-rate")).to_have_text("25.0%")
    logged_row = page.locator("table.logged-segments tbody tr")
    expect(logged_row).to_contain_text(logged.segment_number)
    expect(page.locator("table.campaign-entries tbody tr")).to_contain_text(
        "Spring mail"
    )

    logged_row.get_by_role("link", name=str(logged.pk)).click()
    expect(page.locator("h1")).to_contain_text(
        f"Logged segment {logged.segment_number}"
    )


def test_target_and_response_are_usable_only_with_a_campaign(
    logged_in_page, live_server
):
    page = logged_in_page
    CampaignFactory(code="SPRING26", description="Spring offers")
    segment = SegmentFactory(description="Spring mail")

    page.goto(f"{live_server.url}/segments/{segment.pk}/edit/")
    target = page.get_by_label("Campaign target")
    expect(target).to_be_disabled()

    page.get_by_label("Campaign", exact=True).select_option(
        label="SPRING26 – Spring offers"
    )
    expect(target).to_be_enabled()
    target.check()
    page.get_by_role("button", name="Save").click()

    expect(page.locator(".segment-header").nth(1)).to_contain_text("Campaign target")
