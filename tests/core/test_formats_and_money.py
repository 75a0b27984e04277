"""Dates that cannot be misread, and money with two places after every sum."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format, time_format

from interactions.outcome import outcome_of
from tests.factories import (
    InteractionLogEntryFactory,
    InteractionTemplateFactory,
    LoggedSegmentFactory,
)

DAY = datetime.date(2026, 12, 3)
MORNING = datetime.time(8, 14)


def test_english_dates_name_the_month_and_times_run_to_24_hours():
    with translation.override("en"):
        assert date_format(DAY, "SHORT_DATE_FORMAT") == "3 Dec 2026"
        assert date_format(DAY, "DATE_FORMAT") == "3 December 2026"
        assert time_format(datetime.time(20, 14), "TIME_FORMAT") == "20:14"
        assert (
            date_format(
                datetime.datetime.combine(DAY, MORNING), "SHORT_DATETIME_FORMAT"
            )
            == "3 Dec 2026 08:14"
        )


def test_czech_short_dates_have_spaces_after_the_dots():
    with translation.override("cs"):
        assert date_format(DAY, "SHORT_DATE_FORMAT") == "3. 12. 2026"


@pytest.mark.django_db
def test_the_admin_shows_summed_costs_with_two_places(admin_client_for_marketing):
    # Three times 0.10 summed as floats is 0.30000000000000004.
    template = InteractionTemplateFactory()
    InteractionLogEntryFactory.create_batch(3, template=template, cost=Decimal("0.10"))

    response = admin_client_for_marketing.get(
        reverse("admin:interactions_interactiontemplate_changelist")
    )

    assert 'class="field-cost">0.30</td>' in response.content.decode()


@pytest.mark.django_db
def test_the_outcome_adds_costs_as_cents():
    logged = LoggedSegmentFactory()
    InteractionLogEntryFactory.create_batch(
        3, logged_segment=logged, cost=Decimal("0.10")
    )

    outcome = outcome_of(logged.entries.all())

    assert str(outcome.cost) == "0.30"
    assert [str(group.cost) for group in outcome.figures[0].groups if group.count] == [
        "0.30"
    ]
