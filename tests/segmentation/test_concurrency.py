"""Two requests on one segment at once, on PostgreSQL with two connections."""

import threading

import pytest
from django.db import connection, connections

from interactions.models import InteractionLogEntry, LoggedSegment
from segmentation.models import Segment
from segmentation.services import AlreadyLogged, add_contacts, log_segment
from tests.factories import (
    ContactFactory,
    InteractionTemplateFactory,
    MailingGroupFactory,
    SalespersonFactory,
    SegmentFactory,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL; SQLite serialises whole transactions",
    ),
]


def _at_once(*actions):
    """Run each action in its own thread (so its own connection), all starting together."""
    start = threading.Barrier(len(actions))
    errors = []

    def run(action):
        try:
            start.wait()
            action()
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_two_add_contacts_at_once_do_not_duplicate_lines():
    newsletter = MailingGroupFactory(code="NEWSLETTER")
    contacts = [ContactFactory(mailing_groups=[newsletter]) for _ in range(50)]
    segment = SegmentFactory()

    def add():
        add_contacts(segment, criteria={"mailing_group": ["NEWSLETTER"]}, user=None)

    errors = _at_once(add, add)

    assert errors == []
    assert sorted(segment.lines.values_list("contact_id", flat=True)) == sorted(
        contact.pk for contact in contacts
    )
    steps = list(segment.steps.order_by("number").values_list("number", "added_count"))
    assert steps == [(1, 50), (2, 0)]


def test_two_logs_of_one_segment_at_once_give_one_logged_segment():
    segment = SegmentFactory(
        description="Double click", template=InteractionTemplateFactory()
    )
    contacts = [ContactFactory(salesperson=SalespersonFactory()) for _ in range(30)]
    add_contacts(
        segment, criteria={"number": [" ".join(c.number for c in contacts)]}, user=None
    )
    outcomes = []

    def log():
        try:
            outcomes.append(log_segment(segment, user=None))
        except AlreadyLogged as refusal:
            outcomes.append(refusal)

    errors = _at_once(log, log)

    assert errors == []
    logged = LoggedSegment.objects.get()
    assert logged.entry_count == 30
    assert InteractionLogEntry.objects.count() == 30
    assert sorted(type(outcome).__name__ for outcome in outcomes) == [
        "AlreadyLogged",
        "LoggedSegment",
    ]
    refusal = next(o for o in outcomes if isinstance(o, AlreadyLogged))
    assert refusal.logged_segment == logged
    assert not Segment.objects.exists()
