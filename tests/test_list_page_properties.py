"""Property tests: no query string makes a list page answer with a 500.

Every page that reads its query string gets arbitrary strings and numbers for each
parameter it knows, plus names it does not; the page may say a value is wrong, and
must never fail.
"""

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from interactions.filters import InteractionLogFilter, LoggedSegmentFilter
from segmentation.criteria import ContactCriteria
from segmentation.line_filter import FILTER_FIELDS
from tests.factories import (
    ContactFactory,
    InteractionLogEntryFactory,
    LoggedSegmentFactory,
    MailingGroupFactory,
    SegmentFactory,
    SegmentLineFactory,
)

pytestmark = pytest.mark.django_db

RANGES = ["created", "interaction_date", "date", "created_at"]
CRITERIA = [*ContactCriteria.base_filters, *(f"{name}_after" for name in RANGES)] + [
    f"{name}_before" for name in RANGES
]
STEP_OPTIONS = [
    "allow_existing_contacts",
    "expand_companies",
    "allow_related_companies",
    "ignore_exclusion",
    "entire_companies",
]
# Keyset lists (core/keyset.py): cursors such as "2026-01-05_123" and "42".
KEYSET_POSITION = ["after", "before", "last"]
PAGES = {
    "contacts:contact_list": [*CRITERIA, "sort", "page", "per_page"],
    "contacts:contact_export": [*CRITERIA, "sort", "format"],
    "contacts:contact_search": ["q", "type"],
    "segmentation:segment_list": [
        "q",
        "page",
        "salesperson",
        "campaign",
        "template",
        "creator",
    ],
    "segmentation:segment_detail": [*KEYSET_POSITION, "go_contact", *FILTER_FIELDS],
    "segmentation:segment_add_contacts": [*CRITERIA, *STEP_OPTIONS],
    "segmentation:segment_reduce_contacts": [*CRITERIA, *STEP_OPTIONS],
    "segmentation:segment_refine_contacts": [*CRITERIA, *STEP_OPTIONS],
    "interactions:interaction_log": [
        *InteractionLogFilter.base_filters,
        "date_after",
        "date_before",
        *KEYSET_POSITION,
        "go_date",
        "go_entry",
    ],
    "segmentation:logged_segment_list": [
        *LoggedSegmentFilter.base_filters,
        "created_at_after",
        "created_at_before",
        "page",
    ],
    "campaigns:campaign_list": ["q", "page"],
}
TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=20)
VALUES = st.one_of(
    TEXT,
    st.integers().map(str),
    st.sampled_from(
        [
            *("", "0", "-1", "9" * 30, "1e400", "nan", "2026-02-30", "\x00", "on"),
            *("has", "2026-01-05_1", "2026-01-05_", "_", "1_2_3", "9999-12-31"),
        ]
    ),
    st.sampled_from(["1", "2", "NEWSLETTER", "person", "company", "SE", "xlsx"]),
)


@pytest.fixture
def some_of_everything(marketing_client):
    MailingGroupFactory(code="NEWSLETTER")
    segment = SegmentFactory()
    SegmentLineFactory(segment=segment, contact=ContactFactory())
    InteractionLogEntryFactory(logged_segment=LoggedSegmentFactory())
    return segment


def _url(name: str, segment) -> str:
    if name.startswith("segmentation:segment_") and name != "segmentation:segment_list":
        return reverse(name, args=[segment.pk])
    return reverse(name)


@pytest.mark.parametrize("page", PAGES)
# Each example renders a whole page: fewer of them keep the suite's time in bounds.
@settings(max_examples=15)
@given(
    known=st.data(),
    unknown=st.dictionaries(TEXT, st.lists(VALUES, max_size=2), max_size=2),
)
def test_no_query_string_makes_a_list_page_fail(
    marketing_client, some_of_everything, page, known, unknown
):
    names = PAGES[page]
    given_known = known.draw(
        st.dictionaries(
            st.sampled_from(names), st.lists(VALUES, min_size=1, max_size=3), max_size=4
        )
    )

    response = marketing_client.get(
        _url(page, some_of_everything), unknown | given_known
    )

    # Django's list views answer a page number past the end with "not found".
    assert response.status_code in (200, 302) or (
        response.status_code == 404 and "page" in given_known
    )
    if response.streaming:
        b"".join(response.streaming_content)


@pytest.mark.parametrize(
    "page",
    [
        "segmentation:segment_list",
        "contacts:contact_search",
        "campaigns:campaign_list",
    ],
)
def test_a_nul_in_a_search_finds_nothing(marketing_client, some_of_everything, page):
    response = marketing_client.get(reverse(page), {"q": "SM\x00"})

    assert response.status_code == 200
    assert some_of_everything.number not in response.content.decode()


def test_a_criterion_the_form_ignores_but_the_step_refuses_gives_a_message(
    marketing_client, some_of_everything
):
    url = reverse("segmentation:segment_add_contacts", args=[some_of_everything.pk])

    response = marketing_client.get(f"{url}?type=0&type=")

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
