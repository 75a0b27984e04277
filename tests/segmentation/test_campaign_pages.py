"""The campaign pages for Marketing users: list, detail, New and Edit."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.audit import AuditEvent
from interactions.models import Campaign, DeliveryStatus, Evaluation
from interactions.services import cancel_logged_segment
from segmentation.services import log_segment
from tests.factories import (
    CampaignFactory,
    ContactFactory,
    InteractionLogEntryFactory,
    InteractionTemplateFactory,
    SalespersonFactory,
    SegmentFactory,
    SegmentLineFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("campaigns:campaign_list")


def _detail(campaign):
    return reverse("campaigns:campaign_detail", args=[campaign.pk])


def _logged_spring(campaign, user, *, lines=4):
    """A segment of `lines` contacts logged for `campaign`, e-mails sent, one positive."""
    segment = SegmentFactory(
        description="Spring mail",
        template=InteractionTemplateFactory(unit_cost=Decimal("2.50")),
        salesperson=SalespersonFactory(),
        campaign=campaign,
        unit_cost=Decimal("2.50"),
    )
    for contact in ContactFactory.create_batch(lines):
        SegmentLineFactory(segment=segment, contact=contact)
    logged = log_segment(segment, user=user)
    logged.entries.update(delivery_status=DeliveryStatus.SENT)
    first = logged.entries.order_by("pk").first()
    logged.entries.filter(pk=first.pk).update(evaluation=Evaluation.POSITIVE)
    return logged


@pytest.fixture
def spring(marketing_user):
    campaign = CampaignFactory(code="SPRING", description="Spring offers")
    logged = _logged_spring(campaign, marketing_user)
    SegmentFactory(description="Spring reminder", campaign=campaign)
    return campaign, logged


def test_the_list_shows_counts_cost_and_response_rate(marketing_client, spring):
    campaign, _logged = spring
    CampaignFactory(code="AUTUMN")

    response = marketing_client.get(LIST)

    assert response.status_code == 200
    rows = {row.code: row for row in response.context["campaigns"]}
    assert (rows["SPRING"].segment_count, rows["SPRING"].logged_segment_count) == (
        1,
        1,
    )
    assert rows["SPRING"].outcome.cost == Decimal("10.00")
    assert rows["SPRING"].outcome.response_rate == "25.0%"
    assert (rows["AUTUMN"].segment_count, rows["AUTUMN"].outcome) == (0, None)
    page = response.content.decode()
    assert "25.0%" in page
    assert _detail(campaign) in page


def test_the_list_searches_code_and_description(marketing_client, spring):
    CampaignFactory(code="AUTUMN", description="Leaves")

    response = marketing_client.get(LIST, {"q": "offers"})

    assert [row.code for row in response.context["campaigns"]] == ["SPRING"]
    assert marketing_client.get(LIST, {"q": "a\x00b"}).status_code == 200


def test_the_detail_shows_segments_logged_segments_entries_and_totals(
    marketing_client, spring
):
    campaign, logged = spring

    response = marketing_client.get(_detail(campaign))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Spring reminder" in page
    assert logged.get_absolute_url() in page
    [campaign_entry] = response.context["campaign_entries"]
    assert campaign_entry.logged_segment == logged
    assert (campaign_entry.interaction_count, campaign_entry.cost) == (
        4,
        Decimal("10.00"),
    )
    outcome = response.context["outcome"]
    assert (outcome.counted, outcome.responses, outcome.response_rate) == (
        4,
        1,
        "25.0%",
    )
    assert outcome.cost_per_response == Decimal("10.00")
    assert 'id="cost-per-response">10.00<' in page


def test_a_campaign_entry_cancelled_with_its_segment_still_counts_its_entries(
    marketing_client, marketing_user, spring
):
    campaign, logged = spring
    cancel_logged_segment(logged, user=marketing_user)

    response = marketing_client.get(_detail(campaign))

    [campaign_entry] = response.context["campaign_entries"]
    assert (campaign_entry.cancelled, campaign_entry.interaction_count) == (True, 4)
    assert response.context["outcome"].counted == 0


def test_interactions_logged_by_hand_count_for_the_campaign(marketing_client):
    campaign = CampaignFactory()
    InteractionLogEntryFactory(campaign=campaign, evaluation=Evaluation.POSITIVE)
    InteractionLogEntryFactory(campaign=campaign)

    response = marketing_client.get(_detail(campaign))

    assert response.context["outcome"].response_rate == "50.0%"
    assert response.context["outcome"].cost_per_response == Decimal("4.00")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_runs_the_same_queries_for_1_or_6_campaigns(
    marketing_client, marketing_user
):
    _logged_spring(CampaignFactory(code="A"), marketing_user, lines=1)
    _queries(marketing_client, LIST)  # the session and permissions, cached
    one = _queries(marketing_client, LIST)
    for code in "BCDEF":
        _logged_spring(CampaignFactory(code=code), marketing_user, lines=2)

    assert _queries(marketing_client, LIST) == one


def test_the_detail_runs_the_same_queries_for_1_or_3_logged_segments(
    marketing_client, marketing_user
):
    campaign = CampaignFactory()
    _logged_spring(campaign, marketing_user, lines=1)
    SegmentFactory(campaign=campaign)
    _queries(marketing_client, _detail(campaign))
    one = _queries(marketing_client, _detail(campaign))
    _logged_spring(campaign, marketing_user, lines=3)
    _logged_spring(campaign, marketing_user, lines=2)
    SegmentLineFactory(segment=SegmentFactory(campaign=campaign))

    assert _queries(marketing_client, _detail(campaign)) == one


def test_a_marketing_user_creates_and_edits_a_campaign(
    marketing_client, marketing_user
):
    response = marketing_client.post(
        reverse("campaigns:campaign_create"),
        {
            "code": " summer ",
            "description": "Summer fair",
            "starting_date": "2026-06-01",
        },
    )

    campaign = Campaign.objects.get()
    assert response.url == _detail(campaign)
    assert (campaign.code, campaign.starting_date) == (
        "SUMMER",
        datetime.date(2026, 6, 1),
    )
    marketing_client.post(
        reverse("campaigns:campaign_update", args=[campaign.pk]),
        {"code": "SUMMER", "description": "Summer fair 2026"},
    )
    campaign.refresh_from_db()
    assert campaign.description == "Summer fair 2026"
    assert list(AuditEvent.objects.order_by("pk").values_list("action", "actor")) == [
        (AuditEvent.Action.CREATE_CAMPAIGN, marketing_user.pk),
        (AuditEvent.Action.UPDATE_CAMPAIGN, marketing_user.pk),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "TAKEN", "description": "Again"}, "already exists"),
        (
            {
                "code": "NEW",
                "description": "Backwards",
                "starting_date": "2026-06-02",
                "ending_date": "2026-06-01",
            },
            "cannot be before the starting date",
        ),
        ({"code": "", "description": ""}, "This field is required"),
    ],
)
def test_bad_campaign_input_is_shown_on_the_page_and_nothing_changes(
    marketing_client, data, message
):
    CampaignFactory(code="TAKEN", description="Taken")

    response = marketing_client.post(reverse("campaigns:campaign_create"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(Campaign.objects.values_list("code", "description")) == [
        ("TAKEN", "Taken")
    ]


def test_the_menu_links_to_the_campaigns(marketing_client):
    page = marketing_client.get(reverse("contacts:contact_list")).content.decode()

    assert f'href="{LIST}"' in page


def test_someone_without_access_sees_no_campaign(outsider_client, spring):
    campaign, _logged = spring

    for url in [
        LIST,
        _detail(campaign),
        reverse("campaigns:campaign_create"),
        reverse("campaigns:campaign_update", args=[campaign.pk]),
    ]:
        assert outsider_client.get(url).status_code == 403
    assert f'href="{LIST}"' not in outsider_client.get("/contacts/").content.decode()


def test_an_unknown_campaign_is_a_404(marketing_client):
    assert marketing_client.get("/campaigns/999999/").status_code == 404
