"""A failure anywhere in Log leaves the segment as it was and no entries behind.

These tests commit for real (transactional), so nothing can hide in a test
transaction: a fault is injected between the statements of log_segment.
"""

import pytest
from django.db import IntegrityError

from interactions.models import InteractionLogEntry, LoggedSegment
from segmentation.models import CriteriaStep, Segment, SegmentLine
from segmentation.services import add_contacts_by_hand, log_segment, update_line
from segmentation.services import log as log_service
from tests.factories import (
    ContactFactory,
    InteractionTemplateFactory,
    SalespersonFactory,
    SegmentFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


class InjectedFault(Exception):
    pass


def _everything():
    return (
        list(Segment.objects.values_list("pk", "number", "description")),
        list(
            SegmentLine.objects.order_by("pk").values_list(
                "pk", "contact_id", "subject", "personal_comment"
            )
        ),
        list(CriteriaStep.objects.values_list("pk", "number")),
        InteractionLogEntry.objects.count(),
        LoggedSegment.objects.count(),
    )


@pytest.fixture
def segment():
    segment = SegmentFactory(
        description="Autumn", template=InteractionTemplateFactory()
    )
    add_contacts_by_hand(
        segment,
        contacts=[ContactFactory(salesperson=SalespersonFactory()) for _ in range(5)],
        user=None,
    )
    update_line(
        segment.lines.first(),
        fields={"subject": "Personal", "personal_comment": "Hi"},
        user=None,
    )
    return segment


@pytest.mark.parametrize(
    "step_that_fails", ["delete_segment_rows", "create_follow_up_segment"]
)
def test_a_crash_between_statements_rolls_everything_back(
    segment, monkeypatch, step_that_fails
):
    before = _everything()

    def crash(*args, **kwargs):
        raise InjectedFault

    monkeypatch.setattr(log_service, step_that_fails, crash)

    with pytest.raises(InjectedFault):
        log_segment(segment, user=None, create_follow_up=True)

    assert _everything() == before
    assert before[3:] == (0, 0)


def test_a_database_error_rolls_everything_back(segment, monkeypatch):
    before = _everything()

    def break_a_constraint(segment):
        # The entries are written by now; a negative cost breaks a CHECK constraint.
        InteractionLogEntry.objects.update(cost=-1)

    monkeypatch.setattr(log_service, "delete_segment_rows", break_a_constraint)

    with pytest.raises(IntegrityError):
        log_segment(segment, user=None)

    assert _everything() == before
