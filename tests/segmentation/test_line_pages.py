"""The segment page's keyset pages of lines: Next/Previous, filters, jump, bad cursors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from segmentation.views import segments
from tests.factories import PersonFactory, SegmentFactory, SegmentLineFactory
from tests.pager import walk

pytestmark = pytest.mark.django_db

PAGE_SIZE = 4


@pytest.fixture(autouse=True)
def _small_pages(monkeypatch):
    monkeypatch.setattr(segments, "LINES_PER_PAGE", PAGE_SIZE)


@pytest.fixture
def segment():
    return SegmentFactory()


@pytest.fixture
def lines(segment):
    """Eleven lines, Anna's and Bo's in turns."""
    return [
        SegmentLineFactory(
            segment=segment,
            contact=PersonFactory(name=f"{'Anna' if index % 2 else 'Bo'} {index}"),
        )
        for index in range(11)
    ]


def _walk(client, segment, url: str, rel: str) -> tuple[list[int], list[str]]:
    return walk(client, segment.get_absolute_url(), url, rel)


def test_next_visits_every_line_once_in_order(marketing_client, segment, lines):
    seen, urls = _walk(marketing_client, segment, segment.get_absolute_url(), "next")

    assert seen == [line.pk for line in lines]
    assert len(urls) == 3


def test_previous_walks_back_from_the_last_page(marketing_client, segment, lines):
    seen, _ = _walk(
        marketing_client, segment, f"{segment.get_absolute_url()}?last=1", "prev"
    )

    assert seen == [line.pk for line in lines]


def test_the_pages_keep_the_filter(marketing_client, segment, lines):
    seen, urls = _walk(
        marketing_client, segment, f"{segment.get_absolute_url()}?name=Anna", "next"
    )

    assert seen == [line.pk for line in lines if line.contact.name.startswith("Anna")]
    assert len(urls) == 2
    assert all("name=Anna" in url for url in urls)


def test_the_count_is_of_every_matching_line_not_the_page(
    marketing_client, segment, lines
):
    response = marketing_client.get(segment.get_absolute_url(), {"name": "Bo"})

    assert response.context["line_count"] == 6
    assert "6 matching lines" in response.content.decode()


def test_jump_to_a_contact_starts_at_its_line(marketing_client, segment, lines):
    response = marketing_client.get(
        segment.get_absolute_url(), {"go_contact": lines[6].contact.number.lower()}
    )

    page = response.context["page_obj"]
    assert [line.pk for line in page] == [line.pk for line in lines[6:10]]
    assert page.has_previous and page.has_next


def test_jump_to_a_contact_not_on_the_segment_says_so(marketing_client, segment, lines):
    stranger = PersonFactory()

    response = marketing_client.get(
        segment.get_absolute_url(), {"go_contact": stranger.number}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert f"Contact {stranger.number} has no line on this segment." in content
    assert 'aria-invalid="true"' in content
    assert [line.pk for line in response.context["page_obj"]] == [
        line.pk for line in lines[:PAGE_SIZE]
    ]


@pytest.mark.parametrize(
    "query",
    [{"after": "x"}, {"before": "1.5"}, {"after": "9" * 30}, {"after": "1_2"}],
)
def test_a_tampered_cursor_gives_the_first_page_and_a_message(
    marketing_client, segment, lines, query
):
    response = marketing_client.get(segment.get_absolute_url(), query)

    assert response.status_code == 200
    assert [line.pk for line in response.context["page_obj"]] == [
        line.pk for line in lines[:PAGE_SIZE]
    ]
    assert "That page link is not valid any more" in response.content.decode()


def test_a_cursor_with_nothing_beyond_it_gives_the_first_page(
    marketing_client, segment, lines
):
    response = marketing_client.get(segment.get_absolute_url(), {"before": "-5"})

    assert [line.pk for line in response.context["page_obj"]] == [
        line.pk for line in lines[:PAGE_SIZE]
    ]


def test_a_deep_page_takes_as_many_queries_as_a_shallow_one(
    marketing_client, segment, lines
):
    def queries(after) -> int:
        with CaptureQueriesContext(connection) as captured:
            marketing_client.get(segment.get_absolute_url(), {"after": after.pk})
        return len(captured)

    # The first visit also stores the unfiltered line filter (core/filter_panel.py).
    marketing_client.get(segment.get_absolute_url())
    assert queries(lines[0]) == queries(lines[8])
