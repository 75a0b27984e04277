"""Two requests on one segment at once, on PostgreSQL with two connections."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.urls import reverse

from interactions.models import InteractionLogEntry, LoggedSegment
from segmentation.models import SavedCriteria, SavedCriteriaStep, Segment
from segmentation.services import (
    AlreadyLogged,
    StaleConfirmation,
    add_contacts,
    log_segment,
    save_criteria,
)
from segmentation.services import log as log_service
from tests.factories import (
    ContactFactory,
    InteractionTemplateFactory,
    MailingGroupFactory,
    SalespersonFactory,
    SegmentFactory,
    SegmentLineFactory,
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


def _wait_until_another_connection_waits_for_a_lock(timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # Inside a transaction the activity view is read once unless cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the other connection never waited for a lock")


def test_saving_criteria_under_a_code_being_saved_at_once_gives_a_message():
    newsletter = MailingGroupFactory(code="NEWSLETTER")
    ContactFactory(mailing_groups=[newsletter])
    segment = SegmentFactory()
    add_contacts(segment, criteria={"mailing_group": ["NEWSLETTER"]}, user=None)
    inserted = threading.Event()
    outcomes = []

    def save_first():
        # Inserted but not committed, so the other request's check cannot see it;
        # committed only once that request waits on the unique index.
        with transaction.atomic():
            SavedCriteria.objects.create(code="CUST")
            inserted.set()
            _wait_until_another_connection_waits_for_a_lock()

    def save_second():
        inserted.wait(timeout=10)
        try:
            outcomes.append(
                save_criteria(segment, code="CUST", description="", user=None)
            )
        except ValidationError as refusal:
            outcomes.append(refusal)

    errors = _at_once(save_first, save_second)

    assert errors == []
    assert [str(outcome.message) for outcome in outcomes] == [
        "Saved criteria CUST already exist; choose another code."
    ]
    assert SavedCriteria.objects.count() == 1
    assert not SavedCriteriaStep.objects.exists()


def test_deleting_a_segment_while_it_is_being_logged_links_to_the_logged_segment(
    marketing_user, client, monkeypatch
):
    segment = SegmentFactory(template=InteractionTemplateFactory())
    contacts = [ContactFactory(salesperson=SalespersonFactory()) for _ in range(3)]
    add_contacts(
        segment, criteria={"number": [" ".join(c.number for c in contacts)]}, user=None
    )
    client.force_login(marketing_user)
    locked = threading.Event()
    responses = []

    check_log = log_service.check_log

    def check_while_holding_the_lock(locked_segment):
        # Log holds the segment's row lock now; the delete has read the segment
        # and queues on that lock before Log writes anything.
        locked.set()
        _wait_until_another_connection_waits_for_a_lock()
        return check_log(locked_segment)

    monkeypatch.setattr(log_service, "check_log", check_while_holding_the_lock)

    def log_holding_the_lock():
        log_segment(segment, user=marketing_user)

    def delete():
        locked.wait(timeout=10)
        responses.append(
            client.post(
                reverse("segmentation:segment_delete", args=[segment.pk]),
                {"segment_number": segment.number},
            )
        )

    errors = _at_once(log_holding_the_lock, delete)

    assert errors == []
    logged = LoggedSegment.objects.get()
    assert responses[0].url == logged.get_absolute_url()
    page = client.get(responses[0].url).content.decode()
    assert f"Segment {segment.number} has been logged, so it cannot be deleted" in page
    assert InteractionLogEntry.objects.count() == 3


def test_a_log_confirmed_while_an_add_commits_logs_nothing():
    """The figures are compared under Log's lock, so an Add committing first counts."""
    segment = SegmentFactory(
        description="Spring mail", template=InteractionTemplateFactory()
    )
    contacts = [ContactFactory(salesperson=SalespersonFactory()) for _ in range(3)]
    add_contacts(
        segment, criteria={"number": [" ".join(c.number for c in contacts)]}, user=None
    )
    locked = threading.Event()
    outcomes = []

    def add_holding_the_lock():
        with transaction.atomic():
            Segment.objects.select_for_update().get(pk=segment.pk)
            SegmentLineFactory(
                segment=segment,
                contact=ContactFactory(salesperson=contacts[0].salesperson),
            )
            locked.set()
            _wait_until_another_connection_waits_for_a_lock()

    def log_what_was_seen():
        locked.wait(timeout=10)
        try:
            log_segment(segment, user=None, expected_lines=3, expected_step=1)
        except StaleConfirmation as refusal:
            outcomes.append(refusal)

    errors = _at_once(add_holding_the_lock, log_what_was_seen)

    assert errors == []
    assert [(o.check.lines, o.check.last_step) for o in outcomes] == [(4, 1)]
    assert not LoggedSegment.objects.exists()
    assert segment.lines.count() == 4
