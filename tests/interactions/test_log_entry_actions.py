"""Evaluate, Cancel and Restore on the Interaction Log; cancelling a logged segment."""

import pytest
from django.urls import reverse

from interactions.models import InteractionLogEntry
from tests.factories import InteractionLogEntryFactory, LoggedSegmentFactory

pytestmark = pytest.mark.django_db

ACTION_URL = reverse("interactions:interaction_log_action")
LOG_URL = reverse("interactions:interaction_log")


def _act(client, entries, action, **extra):
    return client.post(
        ACTION_URL,
        {"entries": [entry.pk for entry in entries], "action": action, **extra},
        follow=True,
    )


def _state():
    return list(
        InteractionLogEntry.objects.order_by("pk").values_list(
            "pk", "evaluation", "cancelled"
        )
    )


def test_evaluate_sets_one_evaluation_on_every_selected_entry(marketing_client):
    selected = InteractionLogEntryFactory.create_batch(3)
    other = InteractionLogEntryFactory()

    response = _act(marketing_client, selected, "evaluate", evaluation="positive")

    assert "3 interactions evaluated." in response.content.decode()
    assert {
        entry.evaluation
        for entry in InteractionLogEntry.objects.filter(pk__in=[e.pk for e in selected])
    } == {"positive"}
    other.refresh_from_db()
    assert other.evaluation == ""


def test_evaluate_without_an_evaluation_changes_nothing(marketing_client):
    InteractionLogEntryFactory.create_batch(2)
    before = _state()

    response = _act(marketing_client, InteractionLogEntry.objects.all(), "evaluate")

    assert "Choose an evaluation." in response.content.decode()
    assert _state() == before


def test_an_action_without_a_selection_explains_itself(marketing_client):
    InteractionLogEntryFactory()
    before = _state()

    response = marketing_client.post(ACTION_URL, {"action": "cancel"}, follow=True)

    assert "Select at least one interaction." in response.content.decode()
    assert _state() == before


def test_cancel_and_restore_flip_only_the_selected_entries(marketing_client):
    first, second, untouched = InteractionLogEntryFactory.create_batch(3)

    response = _act(marketing_client, [first, second], "cancel")

    assert "2 interactions cancelled." in response.content.decode()
    assert list(InteractionLogEntry.objects.filter(cancelled=True).order_by("pk")) == [
        first,
        second,
    ]

    response = _act(marketing_client, [first], "restore")

    assert "1 interaction restored." in response.content.decode()
    assert list(InteractionLogEntry.objects.filter(cancelled=True)) == [second]


def test_restore_is_refused_while_the_logged_segment_is_cancelled(marketing_client):
    logged_segment = LoggedSegmentFactory(cancelled=True)
    blocked = InteractionLogEntryFactory(logged_segment=logged_segment, cancelled=True)
    free = InteractionLogEntryFactory(cancelled=True)
    before = _state()

    response = _act(marketing_client, [blocked, free], "restore")

    page = response.content.decode()
    assert "belong to a cancelled logged segment" in page
    assert f"({logged_segment.segment_number})" in page
    assert "nothing was restored" in page
    assert _state() == before


def test_the_action_returns_to_the_filtered_list(marketing_client):
    entry = InteractionLogEntryFactory()
    back = f"{LOG_URL}?cancelled=false"

    response = marketing_client.post(
        ACTION_URL, {"entries": [entry.pk], "action": "cancel", "next": back}
    )

    assert response.url == back


def test_the_action_never_redirects_to_another_site(marketing_client):
    entry = InteractionLogEntryFactory()

    response = marketing_client.post(
        ACTION_URL,
        {"entries": [entry.pk], "action": "cancel", "next": "https://evil.example/"},
    )

    assert response.url == LOG_URL


def test_users_without_a_marketing_group_cannot_act(outsider_client):
    entry = InteractionLogEntryFactory()

    response = outsider_client.post(
        ACTION_URL, {"entries": [entry.pk], "action": "cancel"}
    )

    assert response.status_code == 403
    entry.refresh_from_db()
    assert not entry.cancelled


def test_cancelling_a_logged_segment_cancels_all_its_entries(marketing_client):
    logged_segment = LoggedSegmentFactory()
    entries = InteractionLogEntryFactory.create_batch(3, logged_segment=logged_segment)
    other = InteractionLogEntryFactory()
    url = reverse("segmentation:logged_segment_cancel", args=[logged_segment.pk])

    confirmation = marketing_client.get(url)
    assert "Cancel logged segment" in confirmation.content.decode()
    assert not InteractionLogEntry.objects.filter(cancelled=True).exists()

    response = marketing_client.post(url, {"action": "cancel"}, follow=True)

    assert "cancelled with its 3 interactions" in response.content.decode()
    logged_segment.refresh_from_db()
    assert logged_segment.cancelled
    assert set(InteractionLogEntry.objects.filter(cancelled=True)) == set(entries)
    other.refresh_from_db()
    assert not other.cancelled

    response = marketing_client.post(url, {"action": "restore"}, follow=True)

    assert "restored with its 3 interactions" in response.content.decode()
    assert not InteractionLogEntry.objects.filter(cancelled=True).exists()
    logged_segment.refresh_from_db()
    assert not logged_segment.cancelled


def test_after_its_logged_segment_is_restored_an_entry_can_be_restored_again(
    marketing_client,
):
    logged_segment = LoggedSegmentFactory()
    entry = InteractionLogEntryFactory(logged_segment=logged_segment)
    url = reverse("segmentation:logged_segment_cancel", args=[logged_segment.pk])
    marketing_client.post(url, {"action": "cancel"})
    marketing_client.post(url, {"action": "restore"})
    _act(marketing_client, [entry], "cancel")

    _act(marketing_client, [entry], "restore")

    entry.refresh_from_db()
    assert not entry.cancelled
