"""Edit Lines of many lines runs as a job: the same service, the same step, one job."""

import pytest
from django.urls import reverse

from core.models import Job
from segmentation.models import CriteriaStep, SegmentLine
from segmentation.services import go_back
from tests.factories import PersonFactory, SegmentFactory, SegmentLineFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def segment(transactional_db, settings):
    settings.STEP_LINES_IN_REQUEST = 2
    segment = SegmentFactory()
    for name in ("Ann", "Bo", "Cid"):
        SegmentLineFactory(segment=segment, contact=PersonFactory(name=name))
    return segment


def _apply(client, segment, **data):
    return client.post(
        reverse("segmentation:segment_edit_lines", args=[segment.pk]),
        {"all_matching": "1", "expected": "3", "apply": "1", **data},
    )


def test_a_large_edit_starts_a_job_that_changes_the_lines_as_one_step(
    marketing_client, segment, marketing_user, run_jobs
):
    response = _apply(marketing_client, segment, **{"set-subject": "Hello"})

    job = Job.objects.get()
    assert response.url == job.get_absolute_url()
    assert (job.kind, job.total) == ("segment_edit_lines", 3)
    assert not SegmentLine.objects.filter(subject="Hello").exists()
    run_jobs()

    job.refresh_from_db()
    assert (job.state, job.done) == ("done", 3)
    assert SegmentLine.objects.filter(subject="Hello").count() == 3
    step = CriteriaStep.objects.get()
    assert (step.action, step.edited_count) == ("edit", 3)
    page = marketing_client.get(job.get_absolute_url()).content.decode()
    assert "Edit Lines: 3 lines changed." in page
    go_back(segment, user=marketing_user)
    assert not SegmentLine.objects.filter(subject__isnull=False).exists()


def test_a_selection_that_changed_fails_the_job_and_changes_nothing(
    marketing_client, segment, run_jobs
):
    _apply(marketing_client, segment, **{"set-subject": "Hello"})
    segment.lines.first().delete()

    run_jobs()

    job = Job.objects.get()
    assert job.state == "failed"
    assert "changed meanwhile" in job.error
    assert not SegmentLine.objects.filter(subject="Hello").exists()
    assert not CriteriaStep.objects.exists()
