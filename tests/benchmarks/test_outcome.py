"""The Outcome page of a logged segment of 112,000 entries, against its grouped SQL.

The floor is the page's grouped query run directly: the page adds the session,
the logged segment's row, folding a few hundred groups into figures and the
template.
"""

import random

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interactions.demo_data import generate_log_entries
from interactions.models import InteractionLogEntry, InteractionTemplate, LoggedSegment
from tests.benchmarks.conftest import compare_with_floor, sql_floor
from tests.factories import UserFactory

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

ENTRIES = 112_000


@pytest.fixture
def logged_segment(generated_contacts):
    """ENTRIES entries in one logged segment, in every delivery status."""
    logged = LoggedSegment.objects.create(
        segment_number="BENCH-OUTCOME", description="Bench outcome"
    )
    first = (InteractionLogEntry.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    generate_log_entries(
        ENTRIES,
        templates=list(InteractionTemplate.objects.all()),
        randomness=random.Random(14),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {connection.ops.quote_name(InteractionLogEntry._meta.db_table)}
            SET logged_segment_id = %s, segment_number = %s,
                delivery_status = CASE id %% 10
                    WHEN 7 THEN 'failed' WHEN 8 THEN 'not_sent' WHEN 9 THEN 'printed'
                    WHEN 6 THEN '' ELSE 'sent' END
            WHERE id >= %s
            """,
            [logged.pk, logged.segment_number, first],
        )
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    return logged


def test_outcome_page(client, logged_segment, bench_results):
    client.force_login(UserFactory(username="bench-outcome", is_superuser=True))
    url = reverse("segmentation:logged_segment_outcome", args=[logged_segment.pk])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    outcome = response.context["outcome"]
    assert outcome.counted + outcome.cancelled == ENTRIES
    queries = list(captured.captured_queries)
    grouped = [query for query in queries if "GROUP BY" in query["sql"]]
    assert len(grouped) == 1

    # In turns, medians of both: load on the machine weighs on each alike.
    seconds, floor = compare_with_floor(
        lambda: client.get(url), lambda: sql_floor(grouped), reset=lambda: None, runs=7
    )

    name = "outcome: logged segment page, 112k entries"
    bench_results.record(name, seconds, "s", rows=ENTRIES, floor=floor)
    bench_results.record(f"{name} queries", len(queries), "queries", rows=ENTRIES)
