"""Delete Cancelled Segments: only cancelled ones, entries kept and unlinked, audited."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.audit import AuditEvent
from interactions.models import InteractionLogEntry, LoggedSegment
from interactions.services import delete_cancelled_segments, restore_logged_segment
from tests.factories import InteractionLogEntryFactory, LoggedSegmentFactory

pytestmark = pytest.mark.django_db

URL = reverse("segmentation:logged_segment_delete_cancelled")
JANUARY = datetime.date(2026, 1, 15)
MARCH = datetime.date(2026, 3, 15)


def _logged(*, cancelled: bool, day: datetime.date, entries: int = 2):
    created = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    logged_segment = LoggedSegmentFactory(cancelled=cancelled, created_at=created)
    InteractionLogEntryFactory.create_batch(
        entries,
        logged_segment=logged_segment,
        segment_number=logged_segment.segment_number,
        cancelled=cancelled,
        cancelled_with_segment=cancelled,
    )
    return logged_segment


@pytest.fixture
def archive():
    """January: two cancelled, one not; March: one cancelled."""
    return {
        "old_cancelled": _logged(cancelled=True, day=JANUARY, entries=2),
        "old_other_cancelled": _logged(cancelled=True, day=JANUARY, entries=3),
        "old_active": _logged(cancelled=False, day=JANUARY),
        "new_cancelled": _logged(cancelled=True, day=MARCH),
    }


def _state():
    return (
        sorted(LoggedSegment.objects.values_list("pk", "cancelled")),
        sorted(
            InteractionLogEntry.objects.values_list(
                "pk", "logged_segment_id", "segment_number"
            )
        ),
    )


JANUARY_RANGE = {
    "created_from": datetime.date(2026, 1, 1),
    "created_to": datetime.date(2026, 1, 31),
}


def test_only_the_cancelled_ones_in_the_date_range_are_deleted(
    archive, marketing_admin
):
    done = delete_cancelled_segments(**JANUARY_RANGE, user=marketing_admin)

    assert done == {"segments": 2, "entries": 5, "campaign_entries": 0}
    remaining = set(LoggedSegment.objects.values_list("pk", flat=True))
    assert remaining == {archive["old_active"].pk, archive["new_cancelled"].pk}


def test_their_entries_are_kept_unlinked_with_their_segment_number(
    archive, marketing_admin
):
    deleted = archive["old_cancelled"]
    entry_ids = list(deleted.entries.values_list("pk", flat=True))

    delete_cancelled_segments(**JANUARY_RANGE, user=marketing_admin)

    entries = InteractionLogEntry.objects.filter(pk__in=entry_ids)
    assert entries.count() == 2
    assert {(e.logged_segment_id, e.segment_number) for e in entries} == {
        (None, deleted.segment_number)
    }
    kept = archive["old_active"]
    assert kept.entries.count() == 2


def test_the_number_range_selects_by_segment_number(archive, marketing_admin):
    target = archive["new_cancelled"]

    done = delete_cancelled_segments(
        number_from=target.segment_number,
        number_to=target.segment_number,
        user=marketing_admin,
    )

    assert done["segments"] == 1
    assert not LoggedSegment.objects.filter(pk=target.pk).exists()
    assert LoggedSegment.objects.count() == 3


def test_one_audit_event_names_who_and_which(archive, marketing_admin):
    delete_cancelled_segments(**JANUARY_RANGE, user=marketing_admin)

    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETE_CANCELLED_SEGMENTS)
    assert event.actor == marketing_admin
    assert event.figures["count"] == 2
    assert event.figures["entries"] == 5
    for key in ("old_cancelled", "old_other_cancelled"):
        logged_segment = archive[key]
        assert (
            f"{logged_segment.pk} {logged_segment.segment_number}"
            in event.figures["numbers"]
        )
    assert event.summary.startswith("Deleted 2 cancelled logged segments (")


def test_nothing_to_delete_records_nothing(archive, marketing_admin):
    before = _state()

    done = delete_cancelled_segments(
        created_from=datetime.date(2025, 1, 1),
        created_to=datetime.date(2025, 12, 31),
        user=marketing_admin,
    )

    assert done == {"segments": 0, "entries": 0, "campaign_entries": 0}
    assert _state() == before
    assert not AuditEvent.objects.exists()


def test_the_confirmation_gives_the_counts_and_says_what_stays(
    archive, admin_client_for_marketing, django_assert_max_num_queries
):
    before = _state()
    query = {"created_from": "2026-01-01", "created_to": "2026-01-31"}

    with django_assert_max_num_queries(10):
        response = admin_client_for_marketing.get(URL, query)

    text = response.content.decode()
    assert "2 cancelled logged segments will be deleted; their 5 interactions" in text
    assert "1 logged segment in this range is not cancelled" in text
    assert _state() == before


def test_the_post_deletes_and_returns_to_the_list(archive, admin_client_for_marketing):
    response = admin_client_for_marketing.post(
        URL, {"created_from": "2026-01-01", "created_to": "2026-01-31"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("segmentation:logged_segment_list")
    assert "2 cancelled logged segments have been deleted" in response.content.decode()
    assert LoggedSegment.objects.count() == 2


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"created_from": "2026-02-30"},
        {"number_from": "SM" + "0" * 30},
        {"created_from": "2026-02-01", "created_to": "2026-01-01"},
        {"number_from": "SM00009", "number_to": "SM00003"},
    ],
)
def test_bad_or_missing_ranges_are_messages_and_delete_nothing(
    archive, admin_client_for_marketing, data
):
    before = _state()

    response = admin_client_for_marketing.post(URL, data)

    assert response.status_code == 200
    text = response.content.decode()
    assert 'class="invalid-feedback"' in text or 'role="alert"' in text
    assert _state() == before


@pytest.mark.parametrize(
    ("client_name", "shown"),
    [("admin_client_for_marketing", True), ("marketing_client", False)],
)
def test_the_list_links_to_the_action_for_admins_only(
    archive, request, client_name, shown
):
    client = request.getfixturevalue(client_name)

    response = client.get(reverse("segmentation:logged_segment_list"))

    assert (URL in response.content.decode()) is shown


@pytest.mark.parametrize("client_name", ["marketing_client", "outsider_client"])
def test_marketing_users_and_outsiders_get_403_and_nothing_changes(
    archive, request, client_name
):
    client = request.getfixturevalue(client_name)
    before = _state()

    assert client.get(URL, JANUARY_RANGE).status_code == 403
    assert client.post(URL, JANUARY_RANGE).status_code == 403
    assert _state() == before


def test_a_segment_restored_after_the_confirmation_is_not_deleted(
    archive, admin_client_for_marketing, marketing_user
):
    admin_client_for_marketing.get(URL, JANUARY_RANGE)
    restored = archive["old_cancelled"]
    restore_logged_segment(restored, user=marketing_user)

    admin_client_for_marketing.post(
        URL, {"created_from": "2026-01-01", "created_to": "2026-01-31"}
    )

    assert LoggedSegment.objects.filter(pk=restored.pk).exists()
    assert restored.entries.count() == 2
    assert not LoggedSegment.objects.filter(pk=archive["old_other_cancelled"].pk)
