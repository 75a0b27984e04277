"""The database under concurrency: statistics kept current, a busy database is a 503."""

import sqlite3

import pytest
from django.db import connection
from django.urls import reverse

from interactions.models import InteractionLogEntry
from segmentation.models import Segment
from segmentation.services import add_contacts_by_hand, log_segment
from tests.factories import (
    ContactFactory,
    InteractionTemplateFactory,
    SalespersonFactory,
    SegmentFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's lock and statistics"
)
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's row locks"
)


def _analysed_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        return {row[0] for row in cursor.fetchall()}


def _forget_statistics() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # makes sure the table exists
        cursor.execute("DELETE FROM sqlite_stat1")


SEGMENT = {
    "description": "Spring mail",
    "date": "2026-03-01",
    "unit_cost": "0",
    "unit_duration": "0",
}


@pytest.fixture
def busy_timeout_of_a_moment():
    """The busy timeout of a test, not of a server: the request gives up at once."""
    options = connection.settings_dict["OPTIONS"]
    timeout = options["timeout"]
    connection.close()
    options["timeout"] = 0.2
    yield
    connection.close()
    options["timeout"] = timeout


@sqlite_only
def test_a_new_connection_analyses_a_database_without_statistics():
    ContactFactory.create_batch(3)
    _forget_statistics()
    assert _analysed_tables() == set()

    connection.close()
    connection.ensure_connection()

    assert "contacts_contact" in _analysed_tables()


@sqlite_only
def test_log_refreshes_the_statistics_of_the_log_once_committed(marketing_user):
    segment = SegmentFactory(
        description="Spring", template=InteractionTemplateFactory()
    )
    salesperson = SalespersonFactory()
    add_contacts_by_hand(
        segment,
        contacts=ContactFactory.create_batch(3, salesperson=salesperson),
        user=marketing_user,
    )
    _forget_statistics()

    log_segment(segment, user=marketing_user)

    assert InteractionLogEntry._meta.db_table in _analysed_tables()


@sqlite_only
def test_a_write_that_cannot_get_the_lock_gets_the_busy_page(
    marketing_client, busy_timeout_of_a_moment
):
    # Another process (a worker, a second server) holds SQLite's write lock.
    holder = sqlite3.connect(connection.settings_dict["NAME"])
    holder.execute("BEGIN IMMEDIATE")
    try:
        response = marketing_client.post(
            reverse("segmentation:segment_create"),
            SEGMENT,
        )
    finally:
        holder.rollback()
        holder.close()

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "The database is busy; try again in a moment." in response.content.decode()
    assert not Segment.objects.exists()

    again = marketing_client.post(reverse("segmentation:segment_create"), SEGMENT)

    assert again.status_code == 302
    assert Segment.objects.get().description == "Spring mail"


@postgresql_only
def test_on_postgresql_a_write_past_the_lock_timeout_gets_the_busy_page(
    marketing_client,
):
    segment = SegmentFactory(description="Spring mail")
    connection.close()
    connection.settings_dict["OPTIONS"]["options"] = "-c lock_timeout=200"
    # Another request holds the segment's row lock and does not let go.
    holder = connection.Database.connect(**connection.get_connection_params())
    try:
        with holder.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM segmentation_segment WHERE id = %s FOR UPDATE",
                [segment.pk],
            )
            response = marketing_client.post(
                reverse("segmentation:segment_update", args=[segment.pk]),
                {**SEGMENT, "description": "Summer mail"},
            )
    finally:
        holder.rollback()
        holder.close()
        connection.close()
        del connection.settings_dict["OPTIONS"]["options"]

    assert response.status_code == 503
    assert "The database is busy; try again in a moment." in response.content.decode()
    segment.refresh_from_db()
    assert segment.description == "Spring mail"


@postgresql_only
def test_on_postgresql_log_analyses_the_log_once_committed(marketing_user):
    segment = SegmentFactory(
        description="Spring", template=InteractionTemplateFactory()
    )
    add_contacts_by_hand(
        segment,
        contacts=ContactFactory.create_batch(3, salesperson=SalespersonFactory()),
        user=marketing_user,
    )
    table = InteractionLogEntry._meta.db_table

    log_segment(segment, user=marketing_user)

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT analyze_count FROM pg_stat_user_tables WHERE relname = %s", [table]
        )
        assert cursor.fetchone()[0] >= 1
