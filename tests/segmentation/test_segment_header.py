"""save_segment and update_line: the header's template defaults, the line's own fields."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from segmentation.models import Segment, SegmentLine
from segmentation.services import save_segment, update_line
from tests.factories import (
    CampaignFactory,
    InteractionTemplateFactory,
    SegmentFactory,
    SegmentLineFactory,
    WordDocumentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def template():
    return InteractionTemplateFactory(
        unit_cost=Decimal("2.50"),
        unit_duration=15,
        information_flow="outbound",
        initiated_by="us",
        correspondence_type="email",
        ignore_contact_correspondence_type=True,
        campaign=CampaignFactory(code="SPRING"),
    )


def _header(segment):
    segment.refresh_from_db()
    return (
        segment.unit_cost,
        segment.unit_duration,
        segment.information_flow,
        segment.initiated_by,
        segment.correspondence_type,
        segment.ignore_contact_correspondence_type,
        segment.campaign.code if segment.campaign else None,
    )


TEMPLATE_VALUES = (Decimal("2.50"), 15, "outbound", "us", "email", True, "SPRING")


def test_a_new_segment_takes_the_templates_defaults_over_what_was_typed(
    template, marketing_user
):
    segment = save_segment(
        Segment(),
        fields={"description": "Spring", "template": template, "unit_cost": 9},
        upload=None,
        take_template_defaults=True,
        user=marketing_user,
    )

    assert segment.number.startswith("SM")
    assert segment.created_by == marketing_user
    assert _header(segment) == TEMPLATE_VALUES


def test_a_changed_template_brings_its_defaults(template, marketing_user):
    segment = SegmentFactory(template=InteractionTemplateFactory(), unit_cost=1)

    save_segment(
        segment,
        fields={"template": template},
        upload=None,
        take_template_defaults=True,
        user=marketing_user,
    )

    assert _header(segment) == TEMPLATE_VALUES


def test_keeping_the_template_keeps_the_headers_own_values(template, marketing_user):
    segment = SegmentFactory(template=template, unit_cost=Decimal("7.00"))

    save_segment(
        # A stale instance: the rule compares with the saved header, not with it.
        Segment(pk=segment.pk, number=segment.number, template=None),
        fields={"template": template, "unit_cost": Decimal("8.00")},
        upload=None,
        take_template_defaults=True,
        user=marketing_user,
    )

    segment.refresh_from_db()
    assert segment.unit_cost == Decimal("8.00")
    assert segment.information_flow == ""


def test_without_taking_defaults_the_typed_values_stay(template, marketing_user):
    segment = save_segment(
        Segment(),
        fields={"template": template, "unit_cost": Decimal("9.00")},
        upload=None,
        user=marketing_user,
    )

    assert _header(segment)[:2] == (Decimal("9.00"), 0)
    assert segment.campaign is None


def test_a_template_without_campaign_leaves_the_headers_campaign(marketing_user):
    segment = SegmentFactory(campaign=CampaignFactory(code="OWN"))

    save_segment(
        segment,
        fields={"template": InteractionTemplateFactory(campaign=None)},
        upload=None,
        take_template_defaults=True,
        user=marketing_user,
    )

    segment.refresh_from_db()
    assert segment.campaign.code == "OWN"


def test_a_negative_cost_is_refused_and_nothing_is_saved(marketing_user):
    segment = SegmentFactory(unit_cost=Decimal("1.00"))

    with pytest.raises(ValidationError):
        save_segment(
            segment, fields={"unit_cost": Decimal("-1")}, upload=None, user=None
        )

    segment.refresh_from_db()
    assert segment.unit_cost == Decimal("1.00")


def test_update_line_changes_only_what_a_line_may_change():
    line = SegmentLineFactory(subject=None)
    before = list(SegmentLine.objects.values())

    for fields in (
        {"subject": "Hi", "personal_document": WordDocumentFactory()},
        {"subject": "Hi", "contact": line.contact},
        {"segment": SegmentFactory()},
        {"is_duplicate": True},
    ):
        with pytest.raises(ValueError, match="cannot be changed"):
            update_line(line, fields=fields, user=None)

    assert list(SegmentLine.objects.values()) == before


def test_update_line_takes_every_overridable_field_and_resets_them():
    line = SegmentLineFactory(subject="Own", cost=Decimal("3"), evaluation="positive")

    update_line(line, fields=dict.fromkeys(SegmentLine.OVERRIDABLE_FIELDS), user=None)

    line.refresh_from_db()
    assert all(getattr(line, name) is None for name in SegmentLine.OVERRIDABLE_FIELDS)
    assert line.evaluation == "positive"
