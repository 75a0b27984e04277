"""Segment steps on a million contacts, each against hand-written SQL for the same rows.

Each measurement is the median of three runs of the service and three of its
floor, taken in turns, with the segment put back between runs (untimed). Both
run inside the test's transaction, so neither pays the commit's fsync.
"""

import pytest
from django.db import connection, transaction
from django.urls import reverse

from contacts.models import Contact, MailingGroup
from segmentation.models import CriteriaStep, RemovedSegmentLine, Segment, SegmentLine
from segmentation.services import (
    add_contacts,
    go_back,
    reduce_contacts,
    refine_contacts,
)
from tests.benchmarks.conftest import compare_with_floor, measure_page
from tests.factories import SegmentFactory, UserFactory

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

LINE_COLUMNS = [field.column for field in SegmentLine._meta.concrete_fields]
COMPANY_NAME = (
    "CASE WHEN c.type = 'company' THEN c.name ELSE COALESCE(co.name, c.name) END"
)
COMPANY_KEY = "CASE WHEN c.type = 'company' THEN c.id ELSE c.company_id END"


def _sql(statement: str, params=()) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _new_step(segment: Segment, action: str) -> CriteriaStep:
    number = segment.steps.count() + 1
    return CriteriaStep.objects.create(segment=segment, number=number, action=action)


def _add_floor(segment: Segment, group: MailingGroup) -> int:
    step = _new_step(segment, "add")
    links = _table(Contact.mailing_groups.through)
    return _sql(
        f"""
        INSERT INTO {_table(SegmentLine)}
            (segment_id, contact_id, is_duplicate, added_by_step_id, evaluation,
             personal_comment)
        SELECT %s, c.id, false, %s, '', ''
        FROM {_table(Contact)} c LEFT JOIN {_table(Contact)} co ON co.id = c.company_id
        WHERE EXISTS (SELECT 1 FROM {links} m
                      WHERE m.contact_id = c.id AND m.mailinggroup_id = %s)
          AND NOT c.privacy_blocked AND NOT c.exclude_from_segments
          AND NOT EXISTS (SELECT 1 FROM {_table(SegmentLine)} l
                          WHERE l.segment_id = %s AND l.contact_id = c.id)
        ORDER BY {COMPANY_NAME}, {COMPANY_KEY}, c.type, c.name, c.id
        """,
        [segment.pk, step.pk, group.pk, segment.pk],
    )


def _remove_floor(segment: Segment, action: str, countries: list[str]) -> int:
    step = _new_step(segment, action)
    columns = ", ".join(LINE_COLUMNS)
    negate = "" if action == "reduce" else "NOT"
    placeholders = ", ".join(["%s"] * len(countries))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {_table(RemovedSegmentLine)} ({columns}, removed_by_step_id)
            SELECT {columns}, %s FROM {_table(SegmentLine)} l
            WHERE l.segment_id = %s AND {negate} EXISTS (
                SELECT 1 FROM {_table(Contact)} c
                WHERE c.id = l.contact_id AND c.country IN ({placeholders}))
            """,
            [step.pk, segment.pk, *countries],
        )
        removed = cursor.rowcount
        cursor.execute(
            f"""DELETE FROM {_table(SegmentLine)} WHERE id IN (
                SELECT id FROM {_table(RemovedSegmentLine)} WHERE removed_by_step_id = %s)""",
            [step.pk],
        )
    return removed


def _restore_floor(step: CriteriaStep) -> None:
    columns = ", ".join(LINE_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {_table(SegmentLine)} ({columns})
                SELECT {columns} FROM {_table(RemovedSegmentLine)}
                WHERE removed_by_step_id = %s""",
            [step.pk],
        )
        cursor.execute(
            f"DELETE FROM {_table(RemovedSegmentLine)} WHERE removed_by_step_id = %s",
            [step.pk],
        )
        cursor.execute(f"DELETE FROM {_table(CriteriaStep)} WHERE id = %s", [step.pk])


def _undo_add_floor(step: CriteriaStep) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {_table(SegmentLine)} WHERE added_by_step_id = %s", [step.pk]
        )
        cursor.execute(f"DELETE FROM {_table(CriteriaStep)} WHERE id = %s", [step.pk])


def _empty(segment: Segment) -> None:
    SegmentLine.objects.filter(segment=segment).delete()
    RemovedSegmentLine.objects.filter(segment=segment).delete()
    CriteriaStep.objects.filter(segment=segment).delete()


def _last_step(segment: Segment) -> CriteriaStep:
    return segment.steps.order_by("-number").first()


@pytest.fixture
def segment(generated_contacts):
    return SegmentFactory()


@pytest.fixture
def group(segment):
    return MailingGroup.objects.order_by("pk").first()


@pytest.fixture
def user(segment):
    return UserFactory(username="bench-steps", is_superuser=True)


def test_add_contacts(segment, group, user, bench_results):
    criteria = {"mailing_group": [group.code]}

    service, floor = compare_with_floor(
        lambda: add_contacts(segment, criteria=criteria, user=user),
        lambda: _add_floor(segment, group),
        lambda: _empty(segment),
    )

    rows = segment.lines.count()
    _empty(segment)
    add_contacts(segment, criteria=criteria, user=user)
    assert segment.lines.count() == rows
    bench_results.record(
        "segment: Add Contacts (one mailing group)",
        service,
        "s",
        rows=rows,
        floor=floor,
    )


@pytest.mark.parametrize(
    ("action", "countries"), [("reduce", ["SE", "FR", "CZ"]), ("refine", ["GB"])]
)
def test_reduce_and_refine(segment, group, user, bench_results, action, countries):
    add_contacts(segment, criteria={"mailing_group": [group.code]}, user=user)
    service_function = reduce_contacts if action == "reduce" else refine_contacts

    def undo():
        step = _last_step(segment)
        if step.action != "add":
            _restore_floor(step)

    service, floor = compare_with_floor(
        lambda: service_function(segment, criteria={"country": countries}, user=user),
        lambda: _remove_floor(segment, action, countries),
        undo,
    )

    undo()
    removed = service_function(
        segment, criteria={"country": countries}, user=user
    ).removed_count
    bench_results.record(
        f"segment: {action.title()} Contacts (country)",
        service,
        "s",
        rows=removed,
        floor=floor,
    )


def test_go_back(segment, group, user, bench_results):
    add_contacts(segment, criteria={"mailing_group": [group.code]}, user=user)
    added = segment.lines.count()

    def reduce():
        reduce_contacts(segment, criteria={"country": ["SE", "FR", "CZ"]}, user=user)

    restore, restore_floor = compare_with_floor(
        lambda: go_back(segment, user=user),
        lambda: _restore_floor(_last_step(segment)),
        reduce,
    )
    assert not RemovedSegmentLine.objects.filter(segment=segment).exists()
    reduce()
    restored = RemovedSegmentLine.objects.filter(segment=segment).count()

    def add_again():
        _empty(segment)
        add_contacts(segment, criteria={"mailing_group": [group.code]}, user=user)

    undo_add, undo_add_floor = compare_with_floor(
        lambda: go_back(segment, user=user),
        lambda: _undo_add_floor(_last_step(segment)),
        add_again,
    )

    bench_results.record(
        "segment: Go Back of a Reduce (restore lines)",
        restore,
        "s",
        rows=restored,
        floor=restore_floor,
    )
    bench_results.record(
        "segment: Go Back of an Add (remove lines)",
        undo_add,
        "s",
        rows=added,
        floor=undo_add_floor,
    )


def test_segment_page_with_a_hundred_thousand_lines(
    client, segment, group, user, bench_results
):
    add_contacts(segment, criteria={"mailing_group": [group.code]}, user=user)
    if connection.vendor == "postgresql":
        # As autovacuum would after a big insert; inside the test's transaction
        # it never runs.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {_table(SegmentLine)}")
    client.force_login(user)
    rows = segment.lines.count()

    # A keyset cursor near the end of the lines, as Next would carry it there.
    deep = segment.lines.order_by("pk").values_list("pk", flat=True)[rows - 60]
    for label, params in [
        ("first page", {}),
        ("lines deep", {"after": str(deep)}),
        ("last page", {"last": "1"}),
    ]:
        measure_page(
            client,
            reverse("segmentation:segment_detail", args=[segment.pk]),
            params,
            name=f"segment page, {label}",
            rows=rows,
            bench_results=bench_results,
        )
