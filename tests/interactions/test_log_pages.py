"""The Interaction Log's keyset pages: Next/Previous, jumps, totals, bad cursors."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import keyset
from interactions import views
from interactions.models import InteractionLogEntry
from tests.factories import (
    ContactFactory,
    InteractionLogEntryFactory,
    InteractionTemplateFactory,
    SalespersonFactory,
)
from tests.pager import pager_link, walk

pytestmark = pytest.mark.django_db

LOG_URL = reverse("interactions:interaction_log")
PAGE_SIZE = 5
DAYS = [datetime.date(2026, 3, day) for day in (10, 2, 25)]


@pytest.fixture(autouse=True)
def _small_pages(monkeypatch):
    monkeypatch.setattr(views, "ENTRIES_PER_PAGE", PAGE_SIZE)


@pytest.fixture
def entries():
    """13 entries over three days given out of order: ties on every date."""
    contact = ContactFactory()
    template = InteractionTemplateFactory()
    salesperson = SalespersonFactory()
    return [
        InteractionLogEntryFactory(
            contact=contact,
            template=template,
            salesperson=salesperson,
            date=DAYS[index % 3],
            evaluation="positive" if index % 2 else "",
        )
        for index in range(13)
    ]


def _log_order(entries) -> list[int]:
    return [
        entry.pk
        for entry in sorted(entries, key=lambda entry: (entry.date, entry.pk))[::-1]
    ]


def _link(content: str, rel: str) -> str | None:
    return pager_link(LOG_URL, content, rel)


def _walk(client, url: str, rel: str) -> tuple[list[int], list[str]]:
    return walk(client, LOG_URL, url, rel)


def test_next_visits_every_entry_once_newest_first(marketing_client, entries):
    seen, urls = _walk(marketing_client, LOG_URL, "next")

    assert seen == _log_order(entries)
    assert len(urls) == 3


def test_previous_walks_back_from_the_last_page(marketing_client, entries):
    seen, urls = _walk(marketing_client, f"{LOG_URL}?last=1", "prev")

    assert seen == _log_order(entries)
    assert len(urls) == 3


def test_the_last_page_holds_the_oldest_entries(marketing_client, entries):
    response = marketing_client.get(LOG_URL, {"last": "1"})

    assert [entry.pk for entry in response.context["page_obj"]] == _log_order(entries)[
        -PAGE_SIZE:
    ]
    assert not response.context["page_obj"].has_next


def test_the_pages_keep_the_filters(marketing_client, entries):
    seen, urls = _walk(marketing_client, f"{LOG_URL}?evaluation=positive", "next")

    positive = [entry for entry in entries if entry.evaluation == "positive"]
    assert seen == _log_order(positive)
    assert all("evaluation=positive" in url for url in urls)


def test_jump_to_a_date_starts_at_that_days_newest_entry(marketing_client, entries):
    response = marketing_client.get(LOG_URL, {"go_date": "2026-03-10"})

    on_the_day = max(entry.pk for entry in entries if entry.date == DAYS[0])
    page = response.context["page_obj"]
    assert page.object_list[0].pk == on_the_day
    assert page.has_previous
    newer, _ = _walk(marketing_client, _link(response.content.decode(), "prev"), "prev")
    assert newer == [
        entry.pk
        for entry in sorted(entries, key=lambda e: -e.pk)
        if entry.date == DAYS[2]
    ]


def test_jump_to_a_date_between_entries_starts_at_the_day_before(
    marketing_client, entries
):
    response = marketing_client.get(LOG_URL, {"go_date": "2026-03-09"})

    newest_before = max(entry.pk for entry in entries if entry.date == DAYS[1])
    assert response.context["page_obj"].object_list[0].pk == newest_before


def test_jump_to_an_entry_number_starts_at_that_entry(marketing_client, entries):
    middle = _log_order(entries)[7]

    response = marketing_client.get(
        LOG_URL, {"go_entry": str(middle), "evaluation": ""}
    )

    page = response.context["page_obj"]
    assert [entry.pk for entry in page] == _log_order(entries)[7 : 7 + PAGE_SIZE]
    assert page.has_previous and page.has_next


def test_jump_to_an_unknown_entry_says_so_on_the_page(marketing_client, entries):
    response = marketing_client.get(LOG_URL, {"go_entry": "999999"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "There is no entry 999999." in content
    assert 'role="alert"' in content
    assert 'aria-invalid="true"' in content
    assert [entry.pk for entry in response.context["page_obj"]] == _log_order(entries)[
        :PAGE_SIZE
    ]


def test_a_date_and_an_entry_number_together_are_refused(marketing_client, entries):
    response = marketing_client.get(
        LOG_URL, {"go_entry": str(entries[0].pk), "go_date": "2026-03-01"}
    )

    assert "Give a date or an entry number, not both." in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"after": "nonsense"},
        {"after": "2026-02-30_5"},
        {"before": "2026-03-01"},
        {"after": "2026-03-01_" + "9" * 30},
        {"before": "2026-03-01_1_2"},
        {"after": "2026-03-01_-x"},
    ],
)
def test_a_tampered_cursor_gives_the_first_page_and_a_message(
    marketing_client, entries, query
):
    response = marketing_client.get(LOG_URL, query)

    assert response.status_code == 200
    assert [entry.pk for entry in response.context["page_obj"]] == _log_order(entries)[
        :PAGE_SIZE
    ]
    assert "That page link is not valid any more" in response.content.decode()


def test_a_deep_page_takes_as_many_queries_as_a_shallow_one(marketing_client, entries):
    order = _log_order(entries)

    def queries(after_pk: int) -> int:
        after = InteractionLogEntry.objects.get(pk=after_pk)
        with CaptureQueriesContext(connection) as captured:
            marketing_client.get(LOG_URL, {"after": f"{after.date}_{after.pk}"})
        return len(captured)

    # The first visit also stores the unfiltered filter panel (core/filter_panel.py).
    marketing_client.get(LOG_URL)
    assert queries(order[1]) == queries(order[9])


def test_the_total_is_exact_when_small(marketing_client, entries):
    content = marketing_client.get(LOG_URL).content.decode()

    assert "13 interactions" in content


def test_a_filtered_total_stops_counting_at_the_cap(
    marketing_client, entries, monkeypatch
):
    monkeypatch.setattr(keyset, "COUNT_CAP", 4)

    content = marketing_client.get(LOG_URL, {"evaluation": "positive"}).content
    filtered = marketing_client.get(LOG_URL, {"evaluation": "none"}).content

    assert "More than 4 interactions match (counting stops there)." in content.decode()
    assert "More than 4 interactions" in filtered.decode()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the estimate is PostgreSQL's"
)
def test_the_whole_log_shows_postgresqls_estimate(
    marketing_client, entries, monkeypatch
):
    monkeypatch.setattr(keyset, "COUNT_CAP", 4)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {InteractionLogEntry._meta.db_table}")

    content = marketing_client.get(LOG_URL).content.decode()

    assert "About 13 interactions (an estimate" in content


def test_a_wrong_filter_shows_no_entries_and_a_total_of_none(marketing_client, entries):
    response = marketing_client.get(LOG_URL, {"contact": "abc"})

    assert list(response.context["page_obj"]) == []
    assert "0 interactions" in response.content.decode()
