"""Cancel / Restore of a large logged segment runs as a job: the same service, one job."""

import pytest
from django.urls import reverse

from core.models import Job
from interactions.models import InteractionLogEntry, LoggedSegment
from interactions.services import cancel_logged_segment
from tests.factories import InteractionLogEntryFactory, LoggedSegmentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _logged_segment(entries: int) -> LoggedSegment:
    logged_segment = LoggedSegmentFactory(entry_count=entries)
    InteractionLogEntryFactory.create_batch(entries, logged_segment=logged_segment)
    return logged_segment


@pytest.fixture
def big_logged_segment(transactional_db, settings):
    settings.CANCEL_ENTRIES_IN_REQUEST = 2
    return _logged_segment(3)


def _post(client, logged_segment, action):
    return client.post(
        reverse("segmentation:logged_segment_cancel", args=[logged_segment.pk]),
        {"action": action},
    )


def _state():
    return (
        list(LoggedSegment.objects.order_by("pk").values_list("pk", "cancelled")),
        list(
            InteractionLogEntry.objects.order_by("pk").values_list(
                "pk", "cancelled", "cancelled_with_segment"
            )
        ),
    )


def test_a_large_cancel_starts_one_job_and_writes_nothing(
    marketing_client, big_logged_segment
):
    before = _state()

    response = _post(marketing_client, big_logged_segment, "cancel")
    again = _post(marketing_client, big_logged_segment, "cancel")

    job = Job.objects.get()
    assert response.url == again.url == job.get_absolute_url()
    assert (job.kind, job.total) == ("logged_segment_cancel", 3)
    assert job.parameters["action"] == "cancel"
    assert _state() == before


def test_the_cancel_and_restore_jobs_do_what_the_request_does(
    marketing_client, big_logged_segment, marketing_user, run_jobs
):
    in_request = _logged_segment(3)
    cancel_logged_segment(in_request, user=marketing_user)

    _post(marketing_client, big_logged_segment, "cancel")
    run_jobs()

    job = Job.objects.get()
    assert (job.state, job.done) == ("done", 3)
    assert list(
        big_logged_segment.entries.values_list("cancelled", "cancelled_with_segment")
    ) == list(in_request.entries.values_list("cancelled", "cancelled_with_segment"))
    page = marketing_client.get(job.get_absolute_url()).content.decode()
    assert (
        f"Logged segment {big_logged_segment.segment_number} cancelled with its 3 interactions."
        in page
    )
    assert big_logged_segment.get_absolute_url() in page

    _post(marketing_client, big_logged_segment, "restore")
    run_jobs()

    assert Job.objects.filter(state="done").count() == 2
    big_logged_segment.refresh_from_db()
    assert not big_logged_segment.cancelled
    assert not big_logged_segment.entries.filter(cancelled=True).exists()


def test_a_cancel_job_of_a_segment_cancelled_meanwhile_fails_and_changes_nothing(
    marketing_client, big_logged_segment, marketing_user, run_jobs
):
    _post(marketing_client, big_logged_segment, "cancel")
    cancel_logged_segment(big_logged_segment, user=marketing_user)
    cancelled = _state()

    run_jobs()

    job = Job.objects.get()
    assert job.state == "failed"
    assert job.error == (
        f"Logged segment {big_logged_segment.segment_number} "
        "is already cancelled; nothing changed."
    )
    assert _state() == cancelled


def test_a_small_cancel_runs_in_the_request(
    marketing_client, big_logged_segment, settings
):
    settings.CANCEL_ENTRIES_IN_REQUEST = 3

    _post(marketing_client, big_logged_segment, "cancel")

    big_logged_segment.refresh_from_db()
    assert big_logged_segment.cancelled
    assert not Job.objects.exists()
