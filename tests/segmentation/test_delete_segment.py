"""Delete a segment that another request logged or deleted since the page was opened."""

import pytest
from django.urls import reverse

from interactions.models import InteractionLogEntry, LoggedSegment
from segmentation.services import add_contacts_by_hand, log_segment
from tests.factories import (
    ContactFactory,
    InteractionTemplateFactory,
    SalespersonFactory,
    SegmentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def segment():
    segment = SegmentFactory(
        description="Deleted or logged", template=InteractionTemplateFactory()
    )
    add_contacts_by_hand(
        segment,
        contacts=[ContactFactory(salesperson=SalespersonFactory()) for _ in range(2)],
        user=None,
    )
    return segment


def _delete_url(segment):
    return reverse("segmentation:segment_delete", args=[segment.pk])


def _confirm_and_post(client, segment, between):
    """Open the confirmation, let `between` happen, then press Delete."""
    page = client.get(_delete_url(segment)).content.decode()
    assert f'name="segment_number" value="{segment.number}"' in page
    between()
    return client.post(
        _delete_url(segment), {"segment_number": segment.number}, follow=True
    )


def test_deleting_a_segment_logged_meanwhile_links_to_the_logged_segment(
    marketing_client, marketing_user, segment
):
    logged = []

    response = _confirm_and_post(
        marketing_client,
        segment,
        lambda: logged.append(log_segment(segment, user=marketing_user)),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Segment {segment.number} has been logged, so it cannot be deleted" in page
    assert f'<a href="{logged[0].get_absolute_url()}">' in page
    assert response.redirect_chain[-1][0] == logged[0].get_absolute_url()
    assert LoggedSegment.objects.count() == 1
    assert InteractionLogEntry.objects.count() == 2


def test_deleting_a_segment_deleted_meanwhile_says_so(marketing_client, segment):
    def delete_elsewhere():
        marketing_client.post(_delete_url(segment))

    response = _confirm_and_post(marketing_client, segment, delete_elsewhere)

    assert response.status_code == 200
    assert (
        f"Segment {segment.number} no longer exists; nothing was deleted."
        in response.content.decode()
    )


def test_a_segment_that_never_existed_is_not_found(marketing_client):
    response = marketing_client.post(
        reverse("segmentation:segment_delete", args=[999999])
    )

    assert response.status_code == 404
