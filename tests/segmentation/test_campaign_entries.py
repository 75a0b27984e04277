"""Campaign target and response carried by Log; campaign entries (reference 1.13)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.audit import AuditEvent
from interactions.models import CampaignEntry, InteractionLogEntry
from interactions.services import (
    cancel_logged_segment,
    delete_cancelled_segments,
    restore_entries,
    restore_logged_segment,
)
from segmentation.services import log_segment, save_segment, update_line
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

    by_campaign = {entry.campaign.code: entry for entry in CampaignEntry.objects.all()}
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


def test_campaign_entries_are_cancelled_and_restored_with_their_logged_segment(
    segment, marketing_user
):
    logged = log_segment(segment, user=marketing_user)

    cancel_logged_segment(logged, user=marketing_user)
    assert list(CampaignEntry.objects.values_list("cancelled", flat=True)) == [True]

    restore_logged_segment(logged, user=marketing_user)
    assert list(CampaignEntry.objects.values_list("cancelled", flat=True)) == [False]


def test_delete_cancelled_segments_keeps_campaign_entries_unlinked(
    segment, marketing_admin
):
    logged = log_segment(segment, user=marketing_admin)
    cancel_logged_segment(logged, user=marketing_admin)

    done = delete_cancelled_segments(number_from=logged.pk, user=marketing_admin)

    assert done == {"segments": 1, "entries": 3, "campaign_entries": 1}
    campaign_entry = CampaignEntry.objects.get()
    assert (campaign_entry.logged_segment, campaign_entry.cancelled) == (None, True)
    assert campaign_entry.segment_number == logged.segment_number
    assert campaign_entry.interaction_log_entries.count() == 3
    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETE_CANCELLED_SEGMENTS)
    assert event.figures["campaign_entries"] == 1


def test_entries_of_a_cancelled_campaign_entry_are_not_restored_on_their_own(
    segment, marketing_admin
):
    logged = log_segment(segment, user=marketing_admin)
    cancel_logged_segment(logged, user=marketing_admin)
    delete_cancelled_segments(number_from=logged.pk, user=marketing_admin)
    entries = InteractionLogEntry.objects.all()

    with pytest.raises(ValidationError, match="cancelled campaign entry"):
        restore_entries(entries, user=marketing_admin)

    assert not entries.filter(cancelled=False).exists()


def test_clearing_the_header_campaign_clears_target_and_response(
    segment, marketing_user
):
    save_segment(
        segment,
        fields={"campaign": None, "campaign_response": True},
        upload=None,
        user=marketing_user,
    )

    segment.refresh_from_db()
    assert (segment.campaign_target, segment.campaign_response) == (False, False)


def test_the_header_form_saves_target_and_response_with_a_campaign(
    marketing_client, segment
):
    response = marketing_client.post(
        reverse("segmentation:segment_update", args=[segment.pk]),
        {
            "description": "Spring mail",
            "date": "2026-03-02",
            "campaign": segment.campaign_id,
            "campaign_response": "on",
            "unit_cost": "0",
            "unit_duration": "0",
        },
    )

    assert response.status_code == 302
    segment.refresh_from_db()
    assert (segment.campaign_target, segment.campaign_response) == (False, True)
    page = marketing_client.get(
        reverse("segmentation:segment_update", args=[segment.pk])
    ).content.decode()
    assert 'data-needs-value="id_campaign"' in page


def test_a_line_overrides_the_flags_in_its_form(marketing_client, segment):
    line = segment.lines.order_by("pk").first()
    url = reverse("segmentation:segment_line_update", args=[segment.pk, line.pk])

    response = marketing_client.post(
        url,
        {
            "correspondence_type": "inherit",
            "campaign_target": "false",
            "campaign_response": "unknown",
            "evaluation": "",
        },
    )

    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.campaign_target, line.campaign_response) == (False, None)


def test_the_entry_page_shows_the_campaign_flags_and_entry(
    marketing_client, segment, marketing_user
):
    logged = log_segment(segment, user=marketing_user)
    entry = logged.entries.order_by("pk").first()

    page = marketing_client.get(entry.get_absolute_url()).content.decode()

    assert "Campaign target" in page
    assert str(entry.campaign_entry_id) in page
    assert reverse("campaigns:campaign_detail", args=[entry.campaign_id]) in page


def test_the_logged_segment_page_lists_its_campaign_entries(
    marketing_client, segment, marketing_user
):
    logged = log_segment(segment, user=marketing_user)

    response = marketing_client.get(logged.get_absolute_url())

    [campaign_entry] = response.context["campaign_entries"]
    assert campaign_entry.interaction_count == 3
    assert 'id="campaign-entries-heading"' in response.content.decode()
