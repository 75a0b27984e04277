"""Property tests: whatever JSON stored criteria hold, they select or give a message."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from segmentation.criteria import ContactCriteria, criteria_for, matching_contacts
from segmentation.criteria_words import describe
from tests.factories import ContactFactory, LoggedSegmentFactory, MailingGroupFactory

pytestmark = pytest.mark.django_db

NAMES = [
    *ContactCriteria.base_filters,
    "created_after",
    "created_before",
    "interaction_date_after",
    "interaction_date_before",
]
TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=20)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    TEXT,
    st.sampled_from(["2026-01-31", "NEWSLETTER", "has", "has_not", "SE", "1", "on"]),
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(TEXT, children, max_size=3)
    ),
    max_leaves=8,
)
PARAMETERS = JSON | st.dictionaries(st.sampled_from(NAMES) | TEXT, JSON, max_size=5)


@pytest.fixture
def some_contacts(db):
    MailingGroupFactory(code="NEWSLETTER")
    LoggedSegmentFactory()
    ContactFactory.create_batch(2)


@given(parameters=PARAMETERS)
def test_any_stored_criteria_select_contacts_or_say_what_is_wrong(
    some_contacts, parameters
):
    try:
        contacts = matching_contacts(parameters)
    except ValidationError as error:
        assert error.messages
    else:
        assert contacts.count() >= 0

    assert isinstance(describe(parameters), str)


@given(parameters=PARAMETERS)
def test_criteria_for_any_json_is_a_filter_set_or_a_message(some_contacts, parameters):
    try:
        criteria = criteria_for(parameters)
    except ValidationError as error:
        assert error.messages
    else:
        assert criteria.is_valid() in (True, False)
