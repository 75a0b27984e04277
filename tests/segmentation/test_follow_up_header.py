"""A logged segment keeps its header's interaction details; its follow-up starts from them."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from segmentation.models import Segment
from segmentation.services import add_contacts_by_hand, log_segment
from tests.factories import (
    CampaignFactory,
    InteractionTemplateFactory,
    PersonFactory,
    SalespersonFactory,
    SegmentFactory,
)
from tests.segmentation.log_page import confirmation, log_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def segment(marketing_user):
    SalespersonFactory(code="ME", user=marketing_user)
    segment = SegmentFactory(
        description="Spring mail",
        subject="Spring offers",
        language="sv",
        template=InteractionTemplateFactory(code="T"),
        salesperson=SalespersonFactory(code="SP1"),
        campaign=CampaignFactory(code="K"),
        correspondence_type="hard_copy",
        unit_cost=Decimal("2.50"),
        unit_duration=5,
        information_flow="outbound",
        initiated_by="us",
        date=datetime.date(2026, 3, 2),
    )
    add_contacts_by_hand(
        segment, contacts=PersonFactory.create_batch(2), user=marketing_user
    )
    return segment


def _header(source):
    return (
        source.template.code,
        source.salesperson.code,
        source.campaign.code,
        source.language,
        source.subject,
        source.correspondence_type,
        source.unit_cost,
        source.unit_duration,
        source.information_flow,
        source.initiated_by,
    )


HEADER = ("T", "SP1", "K", "sv", "Spring offers", "hard_copy", Decimal("2.50"), 5)
HEADER += ("outbound", "us")


def test_the_logged_segment_keeps_the_headers_interaction_details(
    segment, marketing_user
):
    logged = log_segment(segment, user=marketing_user)

    logged.refresh_from_db()
    assert _header(logged) == HEADER


def test_the_follow_up_takes_the_logged_segments_header(segment, marketing_user):
    logged = log_segment(segment, user=marketing_user, create_follow_up=True)

    follow_up = Segment.objects.get(pk=logged.follow_up.pk)
    assert _header(follow_up) == HEADER
    assert follow_up.lines.count() == 2


def test_the_page_says_what_was_carried_over(marketing_client, segment):
    data = {**confirmation(marketing_client, segment), "create_follow_up": "on"}

    response = marketing_client.post(log_url(segment), data)

    notes = [str(m) for m in get_messages(response.wsgi_request)]
    carried = next(note for note in notes if note.startswith("Carried over"))
    assert carried.startswith(f"Carried over from segment {segment.number}: ")
    assert "Interaction template: T" in carried
    assert "Salesperson: SP1" in carried
    assert "Unit cost: 2.50" in carried


def test_the_follow_up_page_says_what_was_carried_over(
    marketing_client, segment, marketing_user
):
    logged = log_segment(segment, user=marketing_user)

    response = marketing_client.post(
        reverse("segmentation:segment_follow_up", args=[logged.pk]),
        {"languages": ""},
        follow=True,
    )

    assert f"Carried over from segment {segment.number}: " in response.content.decode()
