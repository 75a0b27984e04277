"""The segment page's unfiltered line filter is cached (core/filter_panel.py),
never stale and never shown for filtered lines."""

import pytest

from tests.factories import SalespersonFactory, SegmentFactory, SegmentLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def segment():
    return SegmentLineFactory(segment=SegmentFactory()).segment


def test_a_new_salesperson_shows_in_the_filter_at_once(marketing_client, segment):
    marketing_client.get(segment.get_absolute_url())
    SalespersonFactory(code="JUSTADDED")
    page = marketing_client.get(segment.get_absolute_url()).content.decode()
    assert "JUSTADDED" in page


def test_the_cached_filter_is_the_segment_pages_own(marketing_client, segment):
    """Every segment shares the filter's HTML: it holds no segment's values."""
    other = SegmentLineFactory(segment=SegmentFactory()).segment
    first = marketing_client.get(segment.get_absolute_url())
    second = marketing_client.get(other.get_absolute_url())
    assert first.context["panel_key"] == second.context["panel_key"]
    assert 'name="name"' in second.content.decode()


def test_filtered_lines_show_the_filter_asked(marketing_client, segment):
    salesperson = SalespersonFactory(code="ASKED")
    marketing_client.get(segment.get_absolute_url())
    response = marketing_client.get(
        segment.get_absolute_url(), {"salesperson": salesperson.pk, "name": "Berg"}
    )
    assert response.context["panel_key"] is None
    page = response.content.decode()
    assert f'<option value="{salesperson.pk}" selected>' in page
    assert 'value="Berg"' in page


def test_a_wrong_filter_is_not_cached_and_says_so(marketing_client, segment):
    response = marketing_client.get(segment.get_absolute_url(), {"salesperson": "x"})
    assert response.context["panel_key"] is None
    assert 'role="alert"' in response.content.decode()
