"""A personalised letter uploaded before the header last changed is flagged on three pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from segmentation.models import Segment
from tests.factories import (
    InteractionTemplateFactory,
    SegmentFactory,
    SegmentLineFactory,
    WordDocumentFactory,
)

pytestmark = pytest.mark.django_db

PAGES = ["segment_detail", "segment_letters", "segment_log"]
WARNING = "1 personalised letter was uploaded before the segment header last changed"


@pytest.fixture
def segment():
    segment = SegmentFactory(template=InteractionTemplateFactory())
    SegmentLineFactory.create_batch(2, segment=segment)
    return segment


def _personalise(segment, *, uploaded_at):
    line = segment.lines.first()
    line.personal_document = WordDocumentFactory(uploaded_at=uploaded_at)
    line.save()


def _page(client, name, segment):
    return client.get(
        reverse(f"segmentation:{name}", args=[segment.pk])
    ).content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_a_letter_uploaded_before_a_header_change_is_flagged(
    marketing_client, segment, name
):
    _personalise(segment, uploaded_at=timezone.now() - datetime.timedelta(hours=1))
    Segment.objects.filter(pk=segment.pk).update(modified_at=timezone.now())

    assert WARNING in _page(marketing_client, name, segment)


@pytest.mark.parametrize("name", PAGES)
def test_a_letter_uploaded_after_the_last_header_change_is_not(
    marketing_client, segment, name
):
    _personalise(segment, uploaded_at=timezone.now() + datetime.timedelta(minutes=1))

    assert "personalised letter was uploaded before" not in _page(
        marketing_client, name, segment
    )


def test_saving_the_header_makes_an_uploaded_letter_stale(marketing_client, segment):
    _personalise(segment, uploaded_at=timezone.now())
    assert WARNING not in _page(marketing_client, "segment_detail", segment)

    marketing_client.post(
        reverse("segmentation:segment_update", args=[segment.pk]),
        {
            "description": "New subject",
            "date": "2026-03-01",
            "unit_cost": "0",
            "unit_duration": "0",
        },
    )

    assert WARNING in _page(marketing_client, "segment_detail", segment)
