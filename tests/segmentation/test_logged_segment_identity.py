"""Users know a logged segment by its segment number, never by its internal id."""

import pytest
from django.urls import reverse

from interactions.filters import InteractionLogFilter
from tests.factories import InteractionLogEntryFactory, LoggedSegmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged():
    # An id far from the segment number's digits, so a shown id would be noticed.
    return LoggedSegmentFactory(pk=4242, segment_number="SM00017", description="Spring")


@pytest.mark.parametrize("page", ["logged_segment_detail", "logged_segment_outcome"])
def test_logged_segment_pages_are_titled_by_segment_number(
    marketing_client, logged, page
):
    html = marketing_client.get(
        reverse(f"segmentation:{page}", args=[logged.pk])
    ).content.decode()

    assert "Logged segment SM00017" in html or "logged segment SM00017" in html
    assert "4242</" not in html and "segment 4242" not in html.lower()


def test_the_list_and_the_log_link_by_segment_number(marketing_client, logged):
    InteractionLogEntryFactory(logged_segment=logged)

    for url in (
        reverse("segmentation:logged_segment_list"),
        reverse("interactions:interaction_log"),
    ):
        html = marketing_client.get(url).content.decode()
        assert f'href="{logged.get_absolute_url()}">SM00017</a>' in html
        assert ">4242<" not in html


def test_the_interaction_log_has_one_segment_filter():
    filters = InteractionLogFilter.base_filters

    assert "segment_number" in filters
    assert "logged_segment" not in filters


def test_the_logged_segment_names_itself_by_segment_number(logged):
    assert str(logged) == "SM00017 Spring"
