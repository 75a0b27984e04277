"""The Log page's button: disabled, with its reason beside it, while logging is blocked."""

import re

import pytest
from django.urls import reverse

from tests.factories import (
    InteractionTemplateFactory,
    SalespersonFactory,
    SegmentFactory,
    SegmentLineFactory,
)

pytestmark = pytest.mark.django_db


def _log_button(client, segment):
    page = client.get(reverse("segmentation:segment_log", args=[segment.pk]))
    return re.search(r"<button[^>]*>Log</button>", page.content.decode()).group(0)


def _segment(**header):
    segment = SegmentFactory(
        template=InteractionTemplateFactory(),
        salesperson=SalespersonFactory(),
        **header,
    )
    SegmentLineFactory(segment=segment)
    return segment


def test_the_log_button_is_disabled_and_says_why_while_logging_is_blocked(
    marketing_client,
):
    segment = _segment(description="")

    button = _log_button(marketing_client, segment)

    assert "disabled" in button
    assert 'aria-describedby="log-blocked"' in button
    page = marketing_client.get(
        reverse("segmentation:segment_log", args=[segment.pk])
    ).content.decode()
    assert 'id="log-blocked">Log is unavailable until the problems listed above' in page


def test_the_log_button_is_active_when_nothing_blocks(marketing_client):
    segment = _segment(description="Spring mail")

    assert "disabled" not in _log_button(marketing_client, segment)
