"""Cancel and Restore of a logged segment: an explicit action, exactly its entries back."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from interactions.models import InteractionLogEntry, LoggedSegment
from interactions.services import cancel_logged_segment, restore_logged_segment
from tests.factories import InteractionLogEntryFactory, LoggedSegmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_segment():
    logged_segment = LoggedSegmentFactory(segment_number="SM00017")
    InteractionLogEntryFactory.create_batch(3, logged_segment=logged_segment)
    return logged_segment


def _url(logged_segment):
    return reverse("segmentation:logged_segment_cancel", args=[logged_segment.pk])


def _state():
    return (
        list(LoggedSegment.objects.order_by("pk").values_list("pk", "cancelled")),
        list(InteractionLogEntry.objects.order_by("pk").values_list("pk", "cancelled")),
    )


def test_a_second_cancel_post_leaves_the_logged_segment_cancelled(
    marketing_client, logged_segment
):
    marketing_client.post(_url(logged_segment), {"action": "cancel"})
    cancelled = _state()

    response = marketing_client.post(
        _url(logged_segment), {"action": "cancel"}, follow=True
    )

    assert (
        "Logged segment SM00017 is already cancelled; "
        "nothing changed." in response.content.decode()
    )
    assert _state() == cancelled
    logged_segment.refresh_from_db()
    assert logged_segment.cancelled
    assert not InteractionLogEntry.objects.filter(cancelled=False).exists()


def test_a_second_restore_post_leaves_the_logged_segment_restored(
    marketing_client, logged_segment
):
    marketing_client.post(_url(logged_segment), {"action": "cancel"})
    marketing_client.post(_url(logged_segment), {"action": "restore"})
    restored = _state()

    response = marketing_client.post(
        _url(logged_segment), {"action": "restore"}, follow=True
    )

    assert "is not cancelled; nothing changed." in response.content.decode()
    assert _state() == restored
    assert not InteractionLogEntry.objects.filter(cancelled=True).exists()


def test_a_post_without_an_action_changes_nothing(marketing_client, logged_segment):
    before = _state()

    response = marketing_client.post(_url(logged_segment), follow=True)

    assert "Choose Cancel or Restore; nothing changed." in response.content.decode()
    assert _state() == before


def test_the_confirmation_posts_the_action_it_offers(marketing_client, logged_segment):
    page = marketing_client.get(_url(logged_segment)).content.decode()
    assert 'name="action" value="cancel"' in page
    assert 'value="restore"' not in page

    cancel_logged_segment(logged_segment, user=None)
    page = marketing_client.get(_url(logged_segment)).content.decode()

    assert 'name="action" value="restore"' in page
    assert 'value="cancel"' not in page


def test_an_entry_cancelled_on_its_own_stays_cancelled_after_cancel_and_restore(
    marketing_client, logged_segment
):
    on_its_own = logged_segment.entries.order_by("pk").first()
    marketing_client.post(
        reverse("interactions:interaction_log_action"),
        {"entries": [on_its_own.pk], "action": "cancel"},
    )

    response = marketing_client.post(
        _url(logged_segment), {"action": "cancel"}, follow=True
    )
    assert "cancelled with its 2 interactions" in response.content.decode()
    response = marketing_client.post(
        _url(logged_segment), {"action": "restore"}, follow=True
    )

    assert "restored with its 2 interactions" in response.content.decode()
    assert list(InteractionLogEntry.objects.filter(cancelled=True)) == [on_its_own]
    # Its own cancellation can still be undone on the Interaction Log.
    marketing_client.post(
        reverse("interactions:interaction_log_action"),
        {"entries": [on_its_own.pk], "action": "restore"},
    )
    assert not InteractionLogEntry.objects.filter(cancelled=True).exists()


def test_restore_brings_back_exactly_what_the_cancel_cancelled(logged_segment):
    first, second, third = logged_segment.entries.order_by("pk")
    other_segment = LoggedSegmentFactory()
    elsewhere = InteractionLogEntryFactory(logged_segment=other_segment)
    InteractionLogEntry.objects.filter(pk=first.pk).update(cancelled=True)

    assert cancel_logged_segment(logged_segment, user=None) == 2
    assert cancel_logged_segment(other_segment, user=None) == 1
    assert restore_logged_segment(logged_segment, user=None) == 2

    assert set(InteractionLogEntry.objects.filter(cancelled=True)) == {
        first,
        elsewhere,
    }
    # A second round still keeps the entry cancelled on its own.
    cancel_logged_segment(logged_segment, user=None)
    restore_logged_segment(logged_segment, user=None)
    assert set(InteractionLogEntry.objects.filter(cancelled=True)) == {
        first,
        elsewhere,
    }


def test_the_service_refuses_an_action_whose_state_already_matches(logged_segment):
    with pytest.raises(ValidationError, match="is not cancelled; nothing changed"):
        restore_logged_segment(logged_segment, user=None)
    cancel_logged_segment(logged_segment, user=None)
    before = _state()

    with pytest.raises(ValidationError, match="is already cancelled; nothing changed"):
        cancel_logged_segment(logged_segment, user=None)

    assert _state() == before


def test_users_without_the_permission_cannot_cancel(outsider_client, logged_segment):
    before = _state()

    response = outsider_client.post(_url(logged_segment), {"action": "cancel"})

    assert response.status_code == 403
    assert _state() == before
