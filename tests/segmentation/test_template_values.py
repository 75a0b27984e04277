"""The segment header shows what a template brings and says when it replaced a typed value."""

import json
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from segmentation.models import Segment
from tests.factories import InteractionTemplateFactory, SegmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def template():
    return InteractionTemplateFactory(
        unit_cost=Decimal("1.20"), unit_duration=5, information_flow="outbound"
    )


def _header(**overrides):
    return {
        "description": "Spring mail",
        "date": "2026-03-01",
        "language": "",
        "subject": "",
        "correspondence_type": "",
        "unit_cost": "0",
        "unit_duration": "0",
        "information_flow": "",
        "initiated_by": "",
        "take_template_defaults": "on",
        **overrides,
    }


def _warnings(response):
    return [
        m.message
        for m in get_messages(response.wsgi_request)
        if m.level_tag == "warning"
    ]


def test_the_form_shows_each_templates_values_for_when_it_is_chosen(
    marketing_client, template
):
    other = InteractionTemplateFactory(unit_cost=Decimal("3.00"))

    page = marketing_client.get(reverse("segmentation:segment_create")).content.decode()

    notes = json.loads(
        page.split('id="template-notes-data" type="application/json">')[1].split("<")[0]
    )
    assert "Unit cost: 1.20" in notes[str(template.pk)]
    assert "Information flow: Outbound" in notes[str(template.pk)]
    assert "Unit cost: 3.00" in notes[str(other.pk)]
    assert 'data-template-notes="template-notes"' in page


def test_the_chosen_templates_values_are_shown_when_the_page_opens(
    marketing_client, template
):
    segment = SegmentFactory(template=template)

    page = marketing_client.get(
        reverse("segmentation:segment_update", args=[segment.pk])
    ).content.decode()

    assert "The template brings: Unit cost: 1.20" in page


def test_a_typed_cost_the_template_replaces_is_reported(marketing_client, template):
    response = marketing_client.post(
        reverse("segmentation:segment_create"),
        _header(template=template.pk, unit_cost="2.50"),
    )

    assert Segment.objects.get().unit_cost == Decimal("1.20")
    assert _warnings(response) == [
        "The template’s values replaced what you typed: Unit cost: 2.50 → 1.20."
    ]


def test_nothing_is_reported_when_nothing_typed_was_replaced(
    marketing_client, template
):
    response = marketing_client.post(
        reverse("segmentation:segment_create"), _header(template=template.pk)
    )

    assert Segment.objects.get().unit_cost == Decimal("1.20")
    assert _warnings(response) == []
