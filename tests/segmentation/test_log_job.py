"""Log of a large segment runs as a job: the same service, one transaction, one job."""

import datetime

import pytest

from core.models import Job
from interactions.models import InteractionLogEntry, LoggedSegment
from segmentation.models import Segment, SegmentLine
from segmentation.services import add_contacts_by_hand, log_segment
from tests.factories import (
    InteractionTemplateFactory,
    PersonFactory,
    SalespersonFactory,
    SegmentFactory,
    TemplateDocumentFactory,
)
from tests.segmentation.log_page import confirmation, log_url

pytestmark = pytest.mark.django_db(transaction=True)

ENTRY_FIELDS = [
    "contact_id",
    "date",
    "description",
    "template_id",
    "language",
    "correspondence_type",
    "cost",
    "salesperson_id",
    "document_id",
]


@pytest.fixture
def make_segment(transactional_db, marketing_user):
    """Segments of the same three contacts, template and salesperson."""
    contacts = [PersonFactory(name=f"C{n}", language="sv") for n in range(3)]
    template = InteractionTemplateFactory(
        correspondence_type="hard_copy", default_language="en"
    )
    TemplateDocumentFactory(template=template, language="en")
    salesperson = SalespersonFactory()

    def make() -> Segment:
        segment = SegmentFactory(
            description="Spring mail",
            template=template,
            salesperson=salesperson,
            date=datetime.date(2026, 3, 2),
        )
        add_contacts_by_hand(segment, contacts=contacts, user=marketing_user)
        return segment

    return make


@pytest.fixture
def big_segment(settings, make_segment):
    settings.LOG_LINES_IN_REQUEST = 2
    return make_segment()


def _log(client, segment, **data):
    # A segment logged meanwhile has no page: its number alone is posted.
    figures = {"segment_number": segment.number, **confirmation(client, segment)}
    return client.post(log_url(segment), {**figures, **data})


def _entries(logged):
    return list(
        logged.entries.order_by("contact_id").values_list(*ENTRY_FIELDS, "cancelled")
    )


def test_a_large_log_starts_one_job_and_writes_nothing(marketing_client, big_segment):
    response = _log(marketing_client, big_segment, create_follow_up="on")

    job = Job.objects.get()
    assert response.url == job.get_absolute_url()
    assert (job.kind, job.total, job.state) == ("log_segment", 3, "queued")
    assert job.parameters["arguments"] == {
        "create_follow_up": True,
        "deliver": False,
        "expected_lines": 3,
        "expected_step": 1,
    }
    assert SegmentLine.objects.filter(segment=big_segment).count() == 3
    assert not LoggedSegment.objects.exists()

    again = _log(marketing_client, big_segment, create_follow_up="on")

    assert again.url == job.get_absolute_url()
    assert Job.objects.count() == 1
    page = marketing_client.get(again.url).content.decode()
    assert "is working on this already" in page
    assert "All of it is saved at once" in page


def test_the_log_job_logs_as_the_request_does(
    marketing_client, big_segment, make_segment, marketing_user, run_jobs
):
    in_request = log_segment(make_segment(), user=marketing_user, deliver=True)

    _log(marketing_client, big_segment, deliver="on", create_follow_up="on")
    run_jobs()

    job = Job.objects.get()
    logged = LoggedSegment.objects.get(segment_number=big_segment.number)
    assert (job.state, job.done, job.total) == ("done", 3, 3)
    assert _entries(logged) == _entries(in_request)
    assert logged.entry_count == 3
    assert not Segment.objects.filter(pk=big_segment.pk).exists()
    follow_up = Segment.objects.get(description__startswith="Follow-up")
    page = marketing_client.get(job.get_absolute_url()).content.decode()
    assert f"Segment {big_segment.number} has been logged." in page
    assert logged.get_absolute_url() in page
    assert follow_up.get_absolute_url() in page


def test_a_guard_that_fails_in_the_job_fails_it_and_changes_nothing(
    marketing_client, big_segment, run_jobs
):
    _log(marketing_client, big_segment)
    Segment.objects.filter(pk=big_segment.pk).update(description=" ")
    lines = list(SegmentLine.objects.values_list("pk", "contact_id"))

    run_jobs()

    job = Job.objects.get()
    assert job.state == "failed"
    assert "has no description" in job.error
    assert list(SegmentLine.objects.values_list("pk", "contact_id")) == lines
    assert not InteractionLogEntry.objects.exists()
    page = marketing_client.get(job.get_absolute_url()).content.decode()
    assert "has no description" in page
    assert big_segment.get_absolute_url() in page


def test_a_log_job_of_a_segment_logged_meanwhile_fails_with_a_link(
    marketing_client, big_segment, marketing_user, run_jobs
):
    _log(marketing_client, big_segment)
    logged = log_segment(big_segment, user=marketing_user)

    run_jobs()

    job = Job.objects.get()
    assert job.state == "failed"
    assert job.error == f"Segment {big_segment.number} has already been logged."
    assert job.details["links"] == [
        [logged.get_absolute_url(), f"Logged segment {logged.segment_number}"]
    ]
    assert LoggedSegment.objects.count() == 1
    # Once the job has ended, the segment's number leads to its logged segment.
    response = _log(marketing_client, big_segment)
    assert response.url == logged.get_absolute_url()


def test_a_log_with_blocking_problems_starts_no_job(marketing_client, big_segment):
    Segment.objects.filter(pk=big_segment.pk).update(description=" ")

    response = _log(marketing_client, big_segment)

    assert "has no description" in response.content.decode()
    assert not Job.objects.exists()


def test_a_small_log_runs_in_the_request(marketing_client, big_segment, settings):
    settings.LOG_LINES_IN_REQUEST = 3

    response = _log(marketing_client, big_segment)

    logged = LoggedSegment.objects.get()
    assert response.url == logged.get_absolute_url()
    assert logged.entry_count == 3
    assert not Job.objects.exists()
