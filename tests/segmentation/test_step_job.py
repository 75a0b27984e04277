"""Add / Reduce / Refine Contacts of many lines run as a job: the same service, one job."""

import pytest
from django.urls import reverse

from contacts.models import MailingGroup
from core.models import Job
from segmentation.models import CriteriaStep, SegmentLine
from segmentation.services import add_contacts, add_contacts_by_hand
from tests.factories import ContactFactory, MailingGroupFactory, SegmentFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEWSLETTER = {"mailing_group": "NEWSLETTER"}


@pytest.fixture
def newsletter_contacts(transactional_db, settings):
    settings.STEP_LINES_IN_REQUEST = 2
    newsletter = MailingGroupFactory(code="NEWSLETTER")
    return [
        ContactFactory(name=name, mailing_groups=[newsletter])
        for name in ("Ann", "Bo", "Cid")
    ]


@pytest.fixture
def segment(transactional_db):
    return SegmentFactory()


def _post(client, segment, action="add", **data):
    return client.post(
        reverse(f"segmentation:segment_{action}_contacts", args=[segment.pk]), data
    )


def _state(segment):
    return (
        list(SegmentLine.objects.order_by("pk").values_list("pk", "contact_id")),
        list(CriteriaStep.objects.values_list("pk", flat=True)),
    )


def test_a_large_add_starts_one_job_and_writes_nothing(
    marketing_client, segment, newsletter_contacts
):
    before = _state(segment)

    response = _post(marketing_client, segment, **NEWSLETTER, expand_companies="on")
    again = _post(marketing_client, segment, **NEWSLETTER, expand_companies="on")

    job = Job.objects.get()
    assert response.url == again.url == job.get_absolute_url()
    assert (job.kind, job.total) == ("segment_step", 3)
    assert job.parameters["arguments"] == {
        "criteria": {"mailing_group": ["NEWSLETTER"]},
        "allow_existing_contacts": False,
        "expand_companies": True,
        "allow_related_companies": False,
        "ignore_exclusion": False,
    }
    assert _state(segment) == before


def test_the_add_job_adds_what_the_request_adds(
    marketing_client, segment, newsletter_contacts, marketing_user, run_jobs
):
    in_request = add_contacts(
        SegmentFactory(),
        criteria={"mailing_group": ["NEWSLETTER"]},
        user=marketing_user,
        expand_companies=True,
    )

    _post(marketing_client, segment, **NEWSLETTER, expand_companies="on")
    run_jobs()

    job = Job.objects.get()
    step = segment.steps.get()
    assert (job.state, job.done) == ("done", 3)
    assert set(segment.lines.values_list("contact_id", flat=True)) == set(
        in_request.segment.lines.values_list("contact_id", flat=True)
    )
    assert (step.added_count, step.parameters, step.expand_companies) == (
        in_request.added_count,
        in_request.parameters,
        True,
    )
    page = marketing_client.get(job.get_absolute_url()).content.decode()
    assert "Add Contacts: 3 contacts added." in page
    assert segment.get_absolute_url() in page


def test_a_reduce_job_removes_the_lines(
    marketing_client, segment, newsletter_contacts, run_jobs
):
    add_contacts_by_hand(
        segment, contacts=[*newsletter_contacts, ContactFactory()], user=None
    )

    _post(marketing_client, segment, "reduce", **NEWSLETTER)
    assert segment.lines.count() == 4
    run_jobs()

    assert Job.objects.get().done == 3
    assert segment.lines.count() == 1
    assert segment.steps.get(action="reduce").removed_count == 3


def test_criteria_no_longer_valid_fail_the_job_and_change_nothing(
    marketing_client, segment, newsletter_contacts, run_jobs
):
    _post(marketing_client, segment, **NEWSLETTER)
    MailingGroup.objects.all().delete()
    before = _state(segment)

    run_jobs()

    job = Job.objects.get()
    assert job.state == "failed"
    assert job.error.startswith("Mailing group:")
    assert _state(segment) == before


def test_a_small_add_runs_in_the_request(
    marketing_client, segment, newsletter_contacts, settings
):
    settings.STEP_LINES_IN_REQUEST = 3

    response = _post(marketing_client, segment, **NEWSLETTER)

    assert response.url == segment.get_absolute_url()
    assert segment.lines.count() == 3
    assert not Job.objects.exists()
