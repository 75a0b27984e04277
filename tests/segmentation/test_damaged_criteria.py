"""Stored criteria are JSON and may hold anything: damaged ones give a message, never a 500."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from segmentation.criteria import matching_contacts
from segmentation.criteria_words import describe
from segmentation.models import CriteriaStep, SavedCriteria, SavedCriteriaStep
from tests.factories import ContactFactory, SegmentFactory

pytestmark = pytest.mark.django_db

DAMAGED = [
    ["city", "Brno"],
    "city=Brno",
    7,
    {"city": {"name": "Brno"}},
    {"city": [["Brno"]]},
    {"city": None},
]


@pytest.mark.parametrize("parameters", DAMAGED)
def test_damaged_criteria_select_nothing_and_say_why(parameters):
    ContactFactory(city="Brno")

    with pytest.raises(ValidationError, match="criteria are damaged"):
        matching_contacts(parameters)
    assert describe(parameters).startswith("(criteria no longer valid: These criteria")


def test_numbers_stored_as_json_numbers_still_select(marketing_user):
    contact = ContactFactory(number="CT000042")

    assert list(matching_contacts({"number": "CT000042"})) == [contact]
    assert describe({"interaction_include_cancelled": True}) == "all contacts"


def test_the_criteria_page_shows_a_damaged_step_in_words(marketing_client):
    segment = SegmentFactory()
    CriteriaStep.objects.create(
        segment=segment, number=1, action="add", parameters=["city", "Brno"]
    )

    response = marketing_client.get(
        reverse("segmentation:segment_criteria", args=[segment.pk])
    )

    assert response.status_code == 200
    assert "These criteria are damaged" in response.content.decode()


def test_reusing_damaged_saved_criteria_says_so_and_changes_nothing(
    marketing_client,
):
    segment = SegmentFactory()
    saved = SavedCriteria.objects.create(code="BROKEN")
    SavedCriteriaStep.objects.create(
        saved_criteria=saved, number=1, action="add", parameters="city=Brno"
    )

    response = marketing_client.post(
        reverse("segmentation:segment_reuse_criteria", args=[segment.pk]),
        {"saved_criteria": saved.pk},
    )

    assert response.status_code == 200
    assert "cannot be replayed today" in response.content.decode()
    assert not segment.steps.exists()
    assert not segment.lines.exists()
