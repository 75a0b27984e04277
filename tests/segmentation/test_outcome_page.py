"""A logged segment's Outcome page: charts with their tables, constant queries, any language."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.models import CorrespondenceType
from interactions.models import DeliveryStatus, Evaluation
from tests.factories import InteractionLogEntryFactory, LoggedSegmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_segment():
    """Three e-mails sent, one of them answered positively; one cancelled."""
    logged = LoggedSegmentFactory(segment_number="SM00042")
    sent = {
        "logged_segment": logged,
        "correspondence_type": CorrespondenceType.EMAIL,
        "delivery_status": DeliveryStatus.SENT,
    }
    InteractionLogEntryFactory(**sent, evaluation=Evaluation.POSITIVE)
    InteractionLogEntryFactory.create_batch(2, **sent)
    InteractionLogEntryFactory(**sent, cancelled=True)
    return logged


def _url(logged_segment):
    return reverse("segmentation:logged_segment_outcome", args=[logged_segment.pk])


def test_the_logged_segment_page_links_to_its_outcome(marketing_client, logged_segment):
    response = marketing_client.get(logged_segment.get_absolute_url())

    assert f'href="{_url(logged_segment)}"' in response.content.decode()


def test_the_outcome_page_shows_totals_charts_and_tables(
    marketing_client, logged_segment
):
    response = marketing_client.get(_url(logged_segment))

    page = response.content.decode()
    assert response.status_code == 200
    assert "33.3%" in page
    assert "of 3 interactions sent or printed" in page
    # Each chart is hidden from screen readers; its table says the same.
    assert page.count('aria-hidden="true" focusable="false"') == 4
    assert page.count("<caption>") == 4
    assert "<title>Positive: 1 (33.3%)</title>" in page
    assert '<th scope="row">Positive</th>' in page
    assert '<th scope="col">Evaluation</th>' in page


def test_a_logged_segment_with_every_entry_cancelled_says_nothing_is_counted(
    marketing_client, logged_segment
):
    logged_segment.entries.update(cancelled=True)

    response = marketing_client.get(_url(logged_segment))

    page = response.content.decode()
    assert 'id="outcome-empty"' in page
    assert "<svg" not in page


def _query_count(client, logged_segment) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(_url(logged_segment)).status_code == 200
    return len(captured)


def test_the_outcome_page_runs_the_same_queries_for_1_or_30_entries(marketing_client):
    small, large = LoggedSegmentFactory(), LoggedSegmentFactory()
    InteractionLogEntryFactory(logged_segment=small)
    for index, language in enumerate(["en", "sv", "fr", "cs", "de"] * 6):
        InteractionLogEntryFactory(
            logged_segment=large,
            language=language,
            evaluation=Evaluation.values[index % len(Evaluation.values)],
            delivery_status=DeliveryStatus.values[index % len(DeliveryStatus.values)],
        )
    _query_count(marketing_client, small)  # the session and permissions, cached

    assert _query_count(marketing_client, small) == _query_count(
        marketing_client, large
    )


def test_the_outcome_page_in_swedish_formats_shares_for_the_locale(
    marketing_client, logged_segment
):
    response = marketing_client.get(_url(logged_segment), HTTP_ACCEPT_LANGUAGE="sv")

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv"' in page
    assert "33,3" in page
    assert "33.3" not in page
    # The chart's geometry is not a number for people: never localised.
    assert 'width="100.0%"' in page


def test_someone_without_access_to_logged_segments_is_refused(
    outsider_client, logged_segment
):
    assert outsider_client.get(_url(logged_segment)).status_code == 403
