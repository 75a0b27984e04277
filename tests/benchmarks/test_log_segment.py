"""Log of a 100,000-line segment and Cancel of its logged segment, against hand-written SQL.

The floor of Log is the hand-written INSERT … SELECT of the same entries, with
the same resolution of every line's effective values; the service does that plus
its guards, the archive row and deleting the segment. Memory is Python's own
allocation peak during Log (tracemalloc) for a small and a large segment: set-based
SQL keeps it flat.
"""

import tracemalloc

import pytest
from django.db import connection, transaction

from contacts.models import Contact, MailingGroup
from interactions.models import (
    InteractionLogEntry,
    InteractionTemplate,
    LoggedSegment,
    TemplateDocument,
)
from interactions.services import cancel_logged_segment, restore_logged_segment
from segmentation.models import Segment, SegmentLine
from segmentation.services import add_contacts, log_segment
from tests.benchmarks.conftest import compare_with_floor
from tests.factories import SalespersonFactory, SegmentFactory, UserFactory

pytestmark = [pytest.mark.bench, pytest.mark.django_db]


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _log_floor(segment: Segment, user) -> int:
    """The entries of `segment`, written by hand: what no Log can beat."""
    documents = _table(TemplateDocument)
    template_id = "COALESCE(l.template_id, s.template_id)"
    own_template = "(l.template_id IS NOT NULL AND l.template_id <> s.template_id)"
    with transaction.atomic(), connection.cursor() as cursor:
        logged = LoggedSegment.objects.create(
            segment_number=f"FLOOR-{segment.pk}-{LoggedSegment.objects.count()}",
            description=segment.description,
        )
        cursor.execute(
            f"""
            INSERT INTO {_table(InteractionLogEntry)} (
                contact_id, contact_company_id, date, description, subject,
                template_id, group_id, language, information_flow, initiated_by,
                correspondence_type, cost, duration, salesperson_id, campaign_id,
                evaluation, attempt_failed, cancelled, document_id,
                document_is_personalised, personal_comment, logged_segment_id,
                segment_number, created_by_id, created_at)
            SELECT
                l.contact_id,
                CASE WHEN c.type = 'company' THEN c.id ELSE c.company_id END,
                COALESCE(l.date, s.date),
                COALESCE(l.description, s.description),
                COALESCE(l.subject, s.subject),
                {template_id},
                COALESCE(lt.group_id, st.group_id),
                lang.code,
                CASE WHEN {own_template} THEN lt.information_flow
                     ELSE s.information_flow END,
                CASE WHEN {own_template} THEN lt.initiated_by ELSE s.initiated_by END,
                CASE WHEN COALESCE(l.correspondence_type,
                        CASE WHEN s.ignore_contact_correspondence_type
                                  AND s.correspondence_type <> ''
                             THEN s.correspondence_type
                             WHEN {template_id} IS NOT NULL AND (
                                  lt.ignore_contact_correspondence_type
                                  OR (l.template_id IS NULL
                                      AND st.ignore_contact_correspondence_type)
                                  OR c.correspondence_type = '')
                             THEN COALESCE(lt.correspondence_type, st.correspondence_type)
                             ELSE c.correspondence_type END) = 'email'
                          AND c.email = '' THEN ''
                     ELSE COALESCE(l.correspondence_type,
                        CASE WHEN s.ignore_contact_correspondence_type
                                  AND s.correspondence_type <> ''
                             THEN s.correspondence_type
                             WHEN {template_id} IS NOT NULL AND (
                                  lt.ignore_contact_correspondence_type
                                  OR (l.template_id IS NULL
                                      AND st.ignore_contact_correspondence_type)
                                  OR c.correspondence_type = '')
                             THEN COALESCE(lt.correspondence_type, st.correspondence_type)
                             ELSE c.correspondence_type END) END,
                COALESCE(l.cost, CASE WHEN {own_template} THEN lt.unit_cost
                                      ELSE s.unit_cost END),
                COALESCE(l.duration, CASE WHEN {own_template} THEN lt.unit_duration
                                          ELSE s.unit_duration END),
                COALESCE(l.salesperson_id, s.salesperson_id, c.salesperson_id),
                COALESCE(s.campaign_id, lt.campaign_id, st.campaign_id),
                l.evaluation, false, false,
                COALESCE(
                    l.personal_document_id,
                    s.document_id,
                    (SELECT d.document_id FROM {documents} d
                     WHERE d.template_id = {template_id} AND d.language = lang.code
                     LIMIT 1),
                    (SELECT d.document_id FROM {documents} d
                     WHERE d.template_id = {template_id}
                       AND d.language = COALESCE(lt.default_language, st.default_language)
                     LIMIT 1)),
                l.personal_document_id IS NOT NULL,
                l.personal_comment, %s, %s, %s, now()
            FROM {_table(SegmentLine)} l
            JOIN {_table(Segment)} s ON s.id = l.segment_id
            JOIN {_table(Contact)} c ON c.id = l.contact_id
            LEFT JOIN {_table(InteractionTemplate)} lt ON lt.id = l.template_id
            LEFT JOIN {_table(InteractionTemplate)} st ON st.id = s.template_id
            CROSS JOIN LATERAL (SELECT COALESCE(l.language,
                CASE WHEN EXISTS (SELECT 1 FROM {documents} d
                                  WHERE d.template_id = {template_id}
                                    AND d.language = c.language)
                     THEN c.language
                     ELSE COALESCE(NULLIF(s.language, ''), lt.default_language,
                                   st.default_language, '') END) AS code) lang
            WHERE l.segment_id = %s
            ORDER BY l.id
            """,
            [logged.pk, logged.segment_number, user.pk, segment.pk],
        )
        return cursor.rowcount


@pytest.fixture
def setup(generated_contacts):
    user = UserFactory(username="bench-log", is_superuser=True)
    template = InteractionTemplate.objects.get(code="BUS")
    return {
        "user": user,
        "template": template,
        "group": MailingGroup.objects.order_by("pk").first(),
        "salesperson": SalespersonFactory(code="BENCH"),
    }


def _segment(setup, criteria) -> Segment:
    segment = SegmentFactory(
        description="Bench letters",
        template=setup["template"],
        salesperson=setup["salesperson"],
    )
    add_contacts(segment, criteria=criteria, user=setup["user"])
    return segment


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the floor is PostgreSQL SQL"
)
def test_log_a_hundred_thousand_lines(setup, bench_results):
    criteria = {"mailing_group": [setup["group"].code]}
    current = {}

    def reset():
        InteractionLogEntry.objects.filter(
            logged_segment__description="Bench letters"
        ).delete()
        LoggedSegment.objects.filter(description="Bench letters").delete()
        Segment.objects.filter(description="Bench letters").delete()
        current["segment"] = _segment(setup, criteria)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {_table(SegmentLine)}")

    service, floor = compare_with_floor(
        lambda: log_segment(current["segment"], user=setup["user"]),
        lambda: _log_floor(current["segment"], setup["user"]),
        reset,
        runs=5,
    )

    rows = current["segment"].lines.count()
    bench_results.record("Log segment", service, "s", rows=rows, floor=floor)


@pytest.mark.parametrize("size", ["small", "large"])
def test_log_memory_does_not_grow_with_lines(setup, bench_results, size):
    if size == "small":
        companies = Contact.objects.filter(type="company").order_by("pk")[:1000]
        criteria = {"number": [" ".join(companies.values_list("number", flat=True))]}
    else:
        criteria = {"mailing_group": [setup["group"].code]}
    segment = _segment(setup, criteria)
    rows = segment.lines.count()

    tracemalloc.start()
    log_segment(segment, user=setup["user"])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    bench_results.record(
        f"Log segment, Python memory peak ({size})", peak / 1024, "KiB", rows=rows
    )


def test_cancel_a_logged_segment(setup, bench_results):
    segment = _segment(setup, {"mailing_group": [setup["group"].code]})
    logged = log_segment(segment, user=setup["user"])
    entries = _table(InteractionLogEntry)

    def floor():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {_table(LoggedSegment)} SET cancelled = true WHERE id = %s",
                [logged.pk],
            )
            cursor.execute(
                f"UPDATE {entries} SET cancelled = true, cancelled_with_segment = true"
                " WHERE logged_segment_id = %s AND NOT cancelled",
                [logged.pk],
            )

    def reset():
        if LoggedSegment.objects.get(pk=logged.pk).cancelled:
            restore_logged_segment(logged, user=setup["user"])

    service, floor_seconds = compare_with_floor(
        lambda: cancel_logged_segment(logged, user=setup["user"]), floor, reset
    )

    bench_results.record(
        "Cancel logged segment",
        service,
        "s",
        rows=logged.entry_count,
        floor=floor_seconds,
    )
