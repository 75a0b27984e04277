"""The Add Contacts count preview on a million contacts, against hand-written SQL.

The criteria pick the contacts of the commonest city (about 1 % of them); Expand
Companies widens that to their whole companies (about 8 %). The floor is the
same four counts written by hand in one statement over the indexed group key,
the plan segmentation.selection now produces; service and floor run in turns,
five times each, medians compared.
"""

import pytest
from django.db import connection
from django.db.models import Count

from contacts.models import Contact
from segmentation.models import SegmentLine
from segmentation.selection import preview_step
from tests.benchmarks.conftest import compare_with_floor
from tests.factories import SegmentFactory

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

OPTIONS = {
    "allow_existing_contacts": False,
    "expand_companies": True,
    "allow_related_companies": False,
    "ignore_exclusion": False,
    "entire_companies": False,
}


def _floor_sql() -> str:
    contacts = connection.ops.quote_name(Contact._meta.db_table)
    lines = connection.ops.quote_name(SegmentLine._meta.db_table)
    eligible = "NOT c.privacy_blocked AND NOT c.exclude_from_segments"
    groups = f"SELECT COALESCE(m.company_id, m.id) FROM {contacts} m WHERE "
    if connection.vendor == "postgresql":
        in_groups = f"= ANY(ARRAY({groups} UPPER(m.city::text) = UPPER(%s)))"
    else:
        in_groups = f"IN ({groups} m.city LIKE %s ESCAPE '\\')"
    return f"""
        SELECT COUNT(*) FILTER (WHERE {eligible}),
               COUNT(*) FILTER (WHERE {eligible} AND EXISTS (
                   SELECT 1 FROM {lines} l
                   WHERE l.segment_id = %s AND l.contact_id = c.id)),
               COUNT(*) FILTER (WHERE c.exclude_from_segments
                                AND NOT c.privacy_blocked),
               COUNT(*) FILTER (WHERE c.privacy_blocked)
        FROM {contacts} c
        WHERE COALESCE(c.company_id, c.id) {in_groups}
    """


def test_count_preview_expand_companies(generated_contacts, bench_results):
    segment = SegmentFactory()
    city = (
        Contact.objects.values("city")
        .annotate(n=Count("pk"))
        .order_by("-n", "city")
        .first()["city"]
    )
    criteria = {"city": [city]}
    results = {}

    def service():
        results["service"] = preview_step(
            segment, "add", criteria=criteria, options=OPTIONS
        )

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(_floor_sql(), [segment.pk, city])
            results["floor"] = cursor.fetchone()

    seconds, floor_seconds = compare_with_floor(
        service, floor, reset=lambda: None, runs=5
    )
    eligible, on_segment, excluded, blocked = results["floor"]
    assert results["service"] == {
        "added": eligible - on_segment,
        "left_out": {
            "already_on_segment": on_segment,
            "excluded": excluded,
            "privacy_blocked": blocked,
        },
    }
    bench_results.record(
        "count preview: expand companies",
        seconds,
        "s",
        rows=generated_contacts,
        floor=floor_seconds,
    )
