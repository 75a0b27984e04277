"""Expand Companies and Allow Related Companies: which contacts they add, on a
company with persons, a company alone, a person without a company."""

import pytest

from segmentation.criteria import matching_contacts
from segmentation.selection import candidates_for_add, preview_step
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    PersonFactory,
    SegmentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts():
    acme, bolt, empty = CompanyFactory.create_batch(3)
    return {
        "acme": acme,
        "acme 1": PersonFactory(company=acme),
        "acme 2": PersonFactory(company=acme),
        "bolt": bolt,
        "bolt 1": PersonFactory(company=bolt),
        "empty": empty,
        "lone": ContactFactory(),
        "other lone": ContactFactory(),
    }


def _candidates(contacts, picked, *, expand, related) -> set[str]:
    numbers = " ".join(contacts[key].number for key in picked)
    found = candidates_for_add(
        matching_contacts({"number": [numbers]}),
        expand_companies=expand,
        allow_related_companies=related,
    )
    names = {contact.pk: key for key, contact in contacts.items()}
    return {names[contact.pk] for contact in found}


@pytest.mark.parametrize(
    ("picked", "expand", "related", "expected"),
    [
        (["acme 1", "lone"], False, False, {"acme 1", "lone"}),
        (["acme 1", "lone"], True, False, {"acme", "acme 1", "acme 2", "lone"}),
        (["acme 1", "lone"], False, True, {"acme", "acme 1", "lone"}),
        (["acme 1", "lone"], True, True, {"acme", "acme 1", "acme 2", "lone"}),
        (["bolt"], True, False, {"bolt", "bolt 1"}),
        (["bolt"], False, True, {"bolt"}),
        (["empty", "bolt 1"], True, False, {"empty", "bolt", "bolt 1"}),
        (["empty", "bolt 1"], False, True, {"empty", "bolt", "bolt 1"}),
        (["acme 1", "acme 2"], False, True, {"acme", "acme 1", "acme 2"}),
    ],
)
def test_widening_adds_whole_companies_or_their_companies(
    contacts, picked, expand, related, expected
):
    assert _candidates(contacts, picked, expand=expand, related=related) == expected


def test_the_preview_counts_each_widened_contact_once(contacts):
    contacts["acme 2"].privacy_blocked = True
    contacts["acme 2"].save()
    contacts["acme"].exclude_from_segments = True
    contacts["acme"].save()
    preview = preview_step(
        SegmentFactory(),
        "add",
        criteria={"number": [f"{contacts['acme 1'].number} {contacts['lone'].number}"]},
        options={
            "allow_existing_contacts": False,
            "expand_companies": True,
            "allow_related_companies": True,
            "ignore_exclusion": False,
            "entire_companies": False,
        },
    )
    assert preview == {
        "added": 2,
        "left_out": {"already_on_segment": 0, "excluded": 1, "privacy_blocked": 1},
    }
