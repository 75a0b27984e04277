"""Log logs what the user confirmed: a segment changed in between is shown again."""

import datetime

import pytest

from core.models import Job
from interactions.models import InteractionLogEntry, LoggedSegment
from segmentation.models import Segment
from segmentation.services import StaleConfirmation, add_contacts_by_hand, log_segment
from tests.factories import (
    InteractionTemplateFactory,
    PersonFactory,
    SalespersonFactory,
    SegmentFactory,
    TemplateDocumentFactory,
)
from tests.segmentation.log_page import confirmation, log_url


@pytest.fixture
def segment(db, marketing_user):
    template = InteractionTemplateFactory(
        correspondence_type="hard_copy", default_language="en"
    )
    TemplateDocumentFactory(template=template, language="en")
    segment = SegmentFactory(
        description="Spring mail",
        template=template,
        salesperson=SalespersonFactory(),
        date=datetime.date(2026, 3, 2),
    )
    add_contacts_by_hand(
        segment, contacts=[PersonFactory(), PersonFactory()], user=marketing_user
    )
    return segment


def _another_user_adds_a_contact(segment, user):
    add_contacts_by_hand(segment, contacts=[PersonFactory()], user=user)


def test_the_log_page_carries_the_figures_it_shows(marketing_client, segment):
    figures = confirmation(marketing_client, segment)

    assert (figures["expected_lines"], figures["expected_step"]) == ("2", "1")


def test_a_segment_changed_after_the_page_was_shown_is_shown_again(
    marketing_client, segment, marketing_user
):
    seen = confirmation(marketing_client, segment)
    _another_user_adds_a_contact(segment, marketing_user)

    response = marketing_client.post(
        log_url(segment), {**seen, "create_follow_up": "on"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert (
        f"Segment {segment.number} changed after this page was shown: it now has "
        "3 lines, after step 2. Nothing was logged" in page
    )
    assert '<dd class="col-5 text-end" id="log-lines">3</dd>' in page
    assert 'name="expected_lines" value="3"' in page
    assert 'name="expected_step" value="2"' in page
    assert 'name="create_follow_up" class="checkboxinput form-check-input"' in page
    assert not LoggedSegment.objects.exists()

    marketing_client.post(log_url(segment), confirmation(marketing_client, segment))

    assert LoggedSegment.objects.get().entry_count == 3


def test_a_post_without_the_figures_is_shown_again_and_logs_nothing(
    marketing_client, segment
):
    response = marketing_client.post(
        log_url(segment), {"segment_number": segment.number}
    )

    assert "Nothing was logged" in response.content.decode()
    assert 'name="expected_lines" value="2"' in response.content.decode()
    assert not LoggedSegment.objects.exists()


def test_the_service_refuses_figures_that_are_not_the_segments(segment, marketing_user):
    _another_user_adds_a_contact(segment, marketing_user)

    with pytest.raises(StaleConfirmation) as refusal:
        log_segment(segment, user=marketing_user, expected_lines=2, expected_step=1)

    assert (refusal.value.check.lines, refusal.value.check.last_step) == (3, 2)
    assert Segment.objects.filter(pk=segment.pk).exists()
    assert not InteractionLogEntry.objects.exists()

    logged = log_segment(
        segment, user=marketing_user, expected_lines=3, expected_step=2
    )

    assert logged.entry_count == 3


@pytest.mark.django_db(transaction=True)
def test_a_log_job_of_a_segment_changed_meanwhile_fails_and_logs_nothing(
    marketing_client, segment, marketing_user, settings, run_jobs
):
    settings.LOG_LINES_IN_REQUEST = 1
    marketing_client.post(log_url(segment), confirmation(marketing_client, segment))
    _another_user_adds_a_contact(segment, marketing_user)

    run_jobs()

    job = Job.objects.get()
    assert job.state == "failed"
    assert "it now has 3 lines, after step 2. Nothing was logged" in job.error
    assert not LoggedSegment.objects.exists()
    assert segment.lines.count() == 3
