"""Campaign target and response carried by Log; campaign entries (reference 1.13)."""

import datetime

import pytest

from interactions.models import CampaignEntry, InteractionLogEntry
from segmentation.services import log_segment, update_line
from tests.factories import (
    CampaignFactory,
    ContactFactory,
    InteractionTemplateFactory,
    SalespersonFactory,
    SegmentFactory,
    SegmentLineFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def segment():
    """Spring mail for campaign K, target on; three lines."""
    segment = SegmentFactory(
        description="Spring mail",
        template=InteractionTemplateFactory(code="T"),
        salesperson=SalespersonFactory(code="SP1"),
        campaign=CampaignFactory(code="K"),
        campaign_target=True,
        date=datetime.date(2026, 3, 2),
    )
    for contact in ContactFactory.create_batch(3):
        SegmentLineFactory(segment=segment, contact=contact)
    return segment


def test_log_carries_the_header_flags_and_a_line_override(segment, marketing_user):
    first = segment.lines.order_by("pk").first()
    update_line(
        first,
        fields={"campaign_target": False, "campaign_response": True},
        user=marketing_user,
    )

    logged = log_segment(segment, user=marketing_user)

    flags = list(
        logged.entries.order_by("pk").values_list(
            "campaign_target", "campaign_response"
        )
    )
    assert flags == [(False, True), (True, False), (True, False)]


def test_log_makes_one_campaign_entry_and_links_every_entry_to_it(
    segment, marketing_user
):
    logged = log_segment(segment, user=marketing_user)

    campaign_entry = CampaignEntry.objects.get()
    assert campaign_entry.campaign.code == "K"
    assert campaign_entry.logged_segment == logged
    assert campaign_entry.segment_number == logged.segment_number
    assert campaign_entry.description == "Spring mail"
    assert campaign_entry.date == datetime.date(2026, 3, 2)
    assert campaign_entry.salesperson.code == "SP1"
    assert campaign_entry.created_by == marketing_user
    assert not campaign_entry.cancelled
    assert set(logged.entries.values_list("campaign_entry", flat=True)) == {
        campaign_entry.pk
    }


def test_log_makes_one_campaign_entry_per_campaign_of_the_lines(marketing_user):
    """Without a header campaign, each line's template brings its own."""
    segment = SegmentFactory(salesperson=SalespersonFactory())
    templates = [
        InteractionTemplateFactory(campaign=CampaignFactory(code=code))
        for code in ("A", "B")
    ]
    for template in [*templates, templates[0], InteractionTemplateFactory()]:
        SegmentLineFactory(segment=segment, template=template)

    logged = log_segment(segment, user=marketing_user)

    by_campaign = {
        entry.campaign.code: entry for entry in CampaignEntry.objects.all()
    }
    assert sorted(by_campaign) == ["A", "B"]
    links = sorted(
        logged.entries.values_list("campaign__code", "campaign_entry__campaign__code"),
        key=str,
    )
    assert links == [("A", "A"), ("A", "A"), ("B", "B"), (None, None)]


def test_a_segment_without_campaign_logs_no_campaign_entry_and_no_flags(
    marketing_user,
):
    segment = SegmentFactory(
        template=InteractionTemplateFactory(), salesperson=SalespersonFactory()
    )
    line = SegmentLineFactory(segment=segment, campaign_target=True)

    log_segment(segment, user=marketing_user)

    assert not CampaignEntry.objects.exists()
    entry = InteractionLogEntry.objects.get(contact=line.contact)
    assert (entry.campaign_target, entry.campaign_entry) == (False, None)
