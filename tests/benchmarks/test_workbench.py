"""Edit Lines on a 100k-line segment against the hand-written SQL it must do.

The floor is what Go Back needs and what the edit is: one INSERT … SELECT of
the lines' details into the snapshot table, then one UPDATE of the same rows.
Both run inside the test's transaction, in turns, with the lines put back
between runs (untimed).
"""

from decimal import Decimal

import pytest
from django.db import connection, transaction

from contacts.models import Contact, Salesperson
from segmentation.models import (
    CriteriaStep,
    EditedSegmentLine,
    Segment,
    SegmentLine,
)
from segmentation.services import edit_lines
from tests.benchmarks.conftest import compare_with_floor
from tests.factories import SegmentFactory, UserFactory

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

LINES = 100_000
SNAPSHOT_COLUMNS = [
    field.column
    for field in EditedSegmentLine._meta.concrete_fields
    if field.name not in ("id", "line_id", "edited_by_step")
]


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _new_segment() -> Segment:
    """A fresh segment of LINES lines: updating the same rows run after run inside
    the test's one transaction would walk ever longer chains of row versions,
    which no committed request ever does."""
    segment = SegmentFactory()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {_table(SegmentLine)}
                    (segment_id, contact_id, is_duplicate, evaluation, personal_comment)
                SELECT %s, id, false, '', '' FROM {_table(Contact)}
                ORDER BY id LIMIT %s""",
            [segment.pk, LINES],
        )
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {_table(SegmentLine)}")
    return segment


def _floor(segment, salesperson) -> int:
    step = CriteriaStep.objects.create(segment=segment, number=1, action="edit")
    columns = ", ".join(SNAPSHOT_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {_table(EditedSegmentLine)}
                    ({columns}, line_id, edited_by_step_id)
                SELECT {columns}, id, %s FROM {_table(SegmentLine)}
                WHERE segment_id = %s""",
            [step.pk, segment.pk],
        )
        edited = cursor.rowcount
        cursor.execute(
            f"""UPDATE {_table(SegmentLine)} SET salesperson_id = %s, cost = %s
                WHERE id IN (SELECT line_id FROM {_table(EditedSegmentLine)}
                             WHERE edited_by_step_id = %s)""",
            [salesperson.pk, Decimal("1.50"), step.pk],
        )
    return edited


def test_bulk_edit(generated_contacts, bench_results):
    user = UserFactory(username="bench-workbench", is_superuser=True)
    salesperson = Salesperson.objects.order_by("pk").first()
    current = {"segment": _new_segment()}
    rows = current["segment"].lines.count()

    def service():
        edit_lines(
            current["segment"],
            changes={"salesperson": salesperson, "cost": Decimal("1.50")},
            filters={},
            expected_count=rows,
            user=user,
        )

    def next_segment():
        current["segment"].delete()
        current["segment"] = _new_segment()

    timed, floor = compare_with_floor(
        service, lambda: _floor(current["segment"], salesperson), next_segment
    )

    next_segment()
    service()
    assert current["segment"].lines.filter(cost=Decimal("1.50")).count() == rows
    bench_results.record(
        "workbench: bulk edit 100k lines", timed, "s", rows=rows, floor=floor
    )
