"""Criteria parameters in words, and parameters taken from a submitted form."""

import pytest
from django.http import QueryDict

from segmentation.criteria import parameters_from
from segmentation.criteria_words import describe
from tests.factories import (
    InteractionTemplateFactory,
    LoggedSegmentFactory,
    MailingGroupFactory,
)

pytestmark = pytest.mark.django_db


def test_criteria_read_as_words():
    MailingGroupFactory(code="NEWSLETTER")
    MailingGroupFactory(code="EVENTS")

    text = describe({"mailing_group": ["NEWSLETTER", "EVENTS"], "city": ["Brno"]})

    assert text == "City = Brno and Mailing group = EVENTS or NEWSLETTER"


def test_no_criteria_means_all_contacts():
    assert describe({}) == "all contacts"


def test_interaction_history_and_logged_segments_read_as_words():
    InteractionTemplateFactory(code="WEBINAR")
    logged = LoggedSegmentFactory(segment_number="SM00042")

    text = describe(
        {
            "interaction": ["has_not"],
            "interaction_template": ["WEBINAR"],
            "interaction_date_after": ["2024-01-01"],
            "logged_segment": [str(logged.pk)],
        }
    )

    assert f"In logged segment = {logged.pk} (SM00042)" in text
    assert "has no interaction with template WEBINAR, dated 1 Jan 2024 – …" in text


def test_criteria_no_longer_valid_say_so():
    assert "no longer valid" in describe({"mailing_group": ["GONE"]})


def test_parameters_keep_only_criteria_with_values():
    data = QueryDict(
        "city=Brno&name=&mailing_group=A&mailing_group=B&created_after=2026-01-01"
        "&expand_companies=on&csrfmiddlewaretoken=x&page=2"
    )

    assert parameters_from(data) == {
        "city": ["Brno"],
        "mailing_group": ["A", "B"],
        "created_after": ["2026-01-01"],
    }
