"""Every criterion, through the pages: preview and apply of Add, Reduce and Refine.

The matrix is built from ContactCriteria's own filters. Each filter name maps to
a value provider (tests/segmentation/criteria_values.py); a criterion without a
provider fails here, so none goes untested.
"""

import pytest
from django.urls import reverse

from contacts.models import Contact
from segmentation.criteria import SECTIONS, ContactCriteria
from tests.factories import (
    ContactFactory,
    SalespersonFactory,
    SegmentFactory,
    SegmentLineFactory,
    TerritoryFactory,
)
from tests.segmentation.criteria_values import VALUE_PROVIDERS

pytestmark = pytest.mark.django_db


ACTIONS = {
    "add": ("segment_add_contacts", "Add Contacts"),
    "reduce": ("segment_reduce_contacts", "Reduce Contacts"),
    "refine": ("segment_refine_contacts", "Refine Contacts"),
}


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def test_every_criterion_has_a_value_provider():
    assert set(ContactCriteria.base_filters) - set(VALUE_PROVIDERS) == set()
    assert set(VALUE_PROVIDERS) - set(ContactCriteria.base_filters) == set()


def test_every_criterion_is_on_the_criteria_form():
    on_form = [name for _label, names in SECTIONS for name in names]

    assert sorted(on_form) == sorted(ContactCriteria.base_filters)


@pytest.mark.parametrize("mode", ["preview", "apply"])
@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("criterion", list(ContactCriteria.base_filters))
def test_each_criterion_selects_its_contact(marketing_client, criterion, action, mode):
    query, wanted = VALUE_PROVIDERS[criterion]()
    everyone = set(Contact.objects.all())
    assert len(everyone) > 1, "the provider must create a contact to leave out"
    segment = SegmentFactory()
    if action != "add":
        for contact in everyone:
            SegmentLineFactory(segment=segment, contact=contact)
    url_name, label = ACTIONS[action]
    url = reverse(f"segmentation:{url_name}", args=[segment.pk])
    kept = {"add": {wanted}, "reduce": everyone - {wanted}, "refine": {wanted}}[action]
    changed = len(everyone) - 1 if action == "refine" else 1

    if mode == "preview":
        response = marketing_client.get(url, query)
        shown = (
            f"This will add {_count(changed, 'contact')}."
            if action == "add"
            else f"This will remove {_count(changed, 'line')}."
        )
        assert shown in response.content.decode()
        assert segment.lines.count() == (0 if action == "add" else len(everyone))
    else:
        response = marketing_client.post(url, query, follow=True)
        done = (
            f"{label}: {_count(changed, 'contact')} added."
            if action == "add"
            else f"{label}: {_count(changed, 'line')} removed."
        )
        assert done in response.content.decode()
        assert {line.contact for line in segment.lines.all()} == kept
        assert segment.steps.get().parameters == {
            name: value if isinstance(value, list) else [value]
            for name, value in query.items()
        }


def test_a_salesperson_code_counts_and_adds_instead_of_failing(marketing_client):
    """Regression: salesperson=AH used to reach the database as the foreign key."""
    wanted = ContactFactory(salesperson=SalespersonFactory(code="AH"))
    ContactFactory(territory=TerritoryFactory(code="AH"))
    segment = SegmentFactory()
    url = reverse("segmentation:segment_add_contacts", args=[segment.pk])

    preview = marketing_client.get(url, {"salesperson": "AH"})
    marketing_client.post(url, {"salesperson": "AH"})

    assert "This will add 1 contact." in preview.content.decode()
    assert [line.contact for line in segment.lines.all()] == [wanted]
