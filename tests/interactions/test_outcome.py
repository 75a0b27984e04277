"""The outcome of a logged segment's interactions: figures on a known set of entries."""

from decimal import Decimal

import pytest

from contacts.models import CorrespondenceType
from interactions.models import DeliveryStatus, Evaluation, InteractionLogEntry
from interactions.outcome import outcome_of
from tests.factories import InteractionLogEntryFactory, LoggedSegmentFactory

pytestmark = pytest.mark.django_db

EMAIL = CorrespondenceType.EMAIL
HARD_COPY = CorrespondenceType.HARD_COPY


def _entries(logged_segment, count, **values):
    return InteractionLogEntryFactory.create_batch(
        count, logged_segment=logged_segment, **values
    )


@pytest.fixture
def mailing():
    """Six counted entries, five of them sent or printed, and one cancelled."""
    logged = LoggedSegmentFactory()
    email = {"correspondence_type": EMAIL, "cost": Decimal("1.00"), "duration": 2}
    letter = {"correspondence_type": HARD_COPY, "cost": Decimal("3.00")}
    sent = DeliveryStatus.SENT
    _entries(
        logged,
        2,
        **email,
        language="sv",
        delivery_status=sent,
        evaluation=Evaluation.VERY_POSITIVE,
    )
    _entries(logged, 1, **email, delivery_status=sent, evaluation=Evaluation.NEGATIVE)
    # Evaluated positive but never delivered: not a response to the mailing.
    _entries(
        logged,
        1,
        **email,
        delivery_status=DeliveryStatus.FAILED,
        evaluation=Evaluation.POSITIVE,
    )
    _entries(
        logged,
        1,
        **letter,
        delivery_status=DeliveryStatus.PRINTED,
        evaluation=Evaluation.POSITIVE,
    )
    _entries(logged, 1, **letter, delivery_status=DeliveryStatus.PRINTED)
    _entries(
        logged,
        1,
        **{**email, "cost": Decimal("50")},
        delivery_status=sent,
        cancelled=True,
        evaluation=Evaluation.VERY_POSITIVE,
    )
    _entries(
        LoggedSegmentFactory(), 3, delivery_status=sent, evaluation=Evaluation.POSITIVE
    )
    return logged


def _figure(outcome, dimension):
    figure = next(f for f in outcome.figures if f.dimension == dimension)
    return [
        (group.value, str(group.label), group.count, group.percent)
        for group in figure.groups
    ]


def test_totals_leave_cancelled_entries_out_and_count_them_apart(mailing):
    outcome = outcome_of(mailing.entries.all())

    assert outcome.counted == 6
    assert outcome.cancelled == 1
    assert outcome.cost == Decimal("10.00")
    assert outcome.duration == 4 * 2 + 2 * 5
    assert outcome.delivered == 5


def test_the_response_rate_is_over_the_entries_sent_or_printed(mailing):
    outcome = outcome_of(mailing.entries.all())

    assert not outcome.nothing_delivered
    assert (outcome.responses, outcome.response_base) == (3, 5)
    assert outcome.response_percent == Decimal("60.0")


def test_without_delivery_the_response_rate_is_over_all_logged_entries():
    logged = LoggedSegmentFactory()
    _entries(logged, 1, evaluation=Evaluation.POSITIVE)
    _entries(logged, 2, evaluation=Evaluation.NEUTRAL)
    _entries(logged, 1, evaluation=Evaluation.POSITIVE, cancelled=True)

    outcome = outcome_of(logged.entries.all())

    assert outcome.nothing_delivered
    assert (outcome.responses, outcome.response_base) == (1, 3)
    assert outcome.response_percent == Decimal("33.3")


def test_every_evaluation_is_shown_in_order_with_its_share(mailing):
    assert _figure(outcome_of(mailing.entries.all()), "evaluation") == [
        ("very_positive", "Very positive", 2, Decimal("33.3")),
        ("positive", "Positive", 2, Decimal("33.3")),
        ("neutral", "Neutral", 0, Decimal("0")),
        ("negative", "Negative", 1, Decimal("16.7")),
        ("very_negative", "Very negative", 0, Decimal("0")),
        ("", "(none)", 1, Decimal("16.7")),
    ]


def test_correspondence_types_and_delivery_statuses_in_use_in_choice_order(mailing):
    outcome = outcome_of(mailing.entries.all())

    assert _figure(outcome, "correspondence_type") == [
        ("hard_copy", "Hard copy", 2, Decimal("33.3")),
        ("email", "Email", 4, Decimal("66.7")),
    ]
    assert _figure(outcome, "delivery_status") == [
        ("sent", "Sent", 3, Decimal("50.0")),
        ("failed", "Failed", 1, Decimal("16.7")),
        ("printed", "Printed", 2, Decimal("33.3")),
    ]


def test_languages_largest_first_with_their_names(mailing):
    _entries(mailing, 1, language="xx")
    _entries(mailing, 1, language="")

    assert _figure(outcome_of(mailing.entries.all()), "language") == [
        ("en", "English", 4, Decimal("50.0")),
        ("sv", "Swedish", 2, Decimal("25.0")),
        ("", "(none)", 1, Decimal("12.5")),
        ("xx", "xx", 1, Decimal("12.5")),
    ]


def test_groups_carry_their_cost_and_bars_are_relative_to_the_largest(mailing):
    figure = next(
        f
        for f in outcome_of(mailing.entries.all()).figures
        if f.dimension == "correspondence_type"
    )

    assert [(g.cost, g.bar) for g in figure.groups] == [
        (Decimal("6.00"), "50.0"),
        (Decimal("4.00"), "100.0"),
    ]
    assert figure.heading == "Correspondence type"


def test_a_fully_cancelled_logged_segment_has_nothing_to_count(mailing):
    InteractionLogEntry.objects.update(cancelled=True)

    outcome = outcome_of(mailing.entries.all())

    assert (outcome.counted, outcome.cancelled) == (0, 7)
    assert outcome.response_percent is None
    assert outcome.cost == Decimal(0)
    assert {group.bar for group in outcome.figures[0].groups} == {"0"}
