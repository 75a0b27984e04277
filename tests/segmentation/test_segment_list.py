"""The segment list: filters on salesperson, campaign, template and creator; counts and costs."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import (
    CampaignFactory,
    InteractionTemplateFactory,
    SalespersonFactory,
    SegmentFactory,
    SegmentLineFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("segmentation:segment_list")


@pytest.fixture
def segments():
    """Spring (JD, SPRING, LETTER, by eva): two lines at 2.00, one at 5.00; Autumn: none."""
    spring = SegmentFactory(
        description="Spring",
        salesperson=SalespersonFactory(code="JD"),
        campaign=CampaignFactory(code="SPRING"),
        template=InteractionTemplateFactory(code="LETTER", unit_cost=Decimal("2.00")),
        unit_cost=Decimal("2.00"),
        created_by=UserFactory(username="eva"),
    )
    SegmentLineFactory.create_batch(2, segment=spring)
    SegmentLineFactory(segment=spring, cost=Decimal("5.00"))
    autumn = SegmentFactory(description="Autumn", unit_cost=Decimal("7.00"))
    return spring, autumn


def _shown(response):
    return [segment.description for segment in response.context["page_obj"]]


@pytest.mark.parametrize("name", ["salesperson", "campaign", "template", "created_by"])
def test_each_filter_keeps_only_matching_segments(marketing_client, segments, name):
    spring, _autumn = segments
    parameter = "creator" if name == "created_by" else name

    response = marketing_client.get(URL, {parameter: getattr(spring, name).pk})

    assert _shown(response) == ["Spring"]


def test_the_list_shows_line_counts_and_effective_cost_totals(
    marketing_client, segments
):
    response = marketing_client.get(URL)

    figures = {
        segment.description: (segment.line_count, segment.cost_total)
        for segment in response.context["page_obj"]
    }
    assert figures == {"Spring": (3, Decimal("9.00")), "Autumn": (0, None)}
    assert "9.00" in response.content.decode()


def test_an_unknown_filter_value_is_a_message_not_a_list(marketing_client, segments):
    response = marketing_client.get(URL, {"campaign": "999999"})

    assert response.status_code == 200
    assert _shown(response) == []
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("segment_count", [2, 20])
def test_the_filtered_list_runs_a_constant_number_of_queries(
    marketing_client, django_assert_num_queries, segments, segment_count
):
    spring, _autumn = segments
    for _ in range(segment_count):
        SegmentLineFactory(segment=SegmentFactory(salesperson=spring.salesperson))

    with django_assert_num_queries(11):
        response = marketing_client.get(URL, {"salesperson": spring.salesperson.pk})

    assert len(response.context["page_obj"]) == segment_count + 1
