"""Fax lines are logged only: the Log page says so, and their entries say why nothing went."""

import pytest
from django.urls import reverse

from core.models import Job
from interactions.models import DeliveryStatus, NotSentReason
from segmentation.services import log_segment
from tests.factories import ContactFactory
from tests.segmentation.delivery_setup import email_template, segment_for_sending

pytestmark = pytest.mark.django_db


@pytest.fixture
def fax_segment(marketing_user):
    contacts = [ContactFactory(email=f"fax{n}@example.com") for n in range(2)]
    template = email_template(correspondence_type="fax")
    return segment_for_sending(contacts, user=marketing_user, template=template)


def test_the_log_page_says_fax_lines_are_logged_only(fax_segment, marketing_client):
    page = marketing_client.get(
        reverse("segmentation:segment_log", args=[fax_segment.pk])
    ).content.decode()

    assert "2 fax lines are logged only: Segmenta does not send faxes." in page


def test_logged_fax_entries_are_not_sent_and_no_job_starts(fax_segment, marketing_user):
    logged = log_segment(fax_segment, user=marketing_user, deliver=True)

    entries = list(logged.entries.all())
    assert [entry.correspondence_type for entry in entries] == ["fax", "fax"]
    assert {(e.delivery_status, e.not_sent_reason) for e in entries} == {
        (DeliveryStatus.NOT_SENT, NotSentReason.FAX)
    }
    assert not Job.objects.exists()


def test_without_send_attachments_fax_entries_have_no_delivery_status(
    fax_segment, marketing_user
):
    logged = log_segment(fax_segment, user=marketing_user, deliver=False)

    assert {(e.delivery_status, e.not_sent_reason) for e in logged.entries.all()} == {
        (DeliveryStatus.NONE, NotSentReason.NONE)
    }
