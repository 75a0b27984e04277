"""Letters made in the background: a GET only asks, the POST starts, the download waits.

These tests use URLs, status codes, visible text, the task queue's rows and
the jobs made.
"""

import pytest
from django.urls import resolve, reverse
from django_tasks_db.models import DBTaskResult

from contacts.models import Contact
from core.models import Job
from segmentation.letters.views import LETTERS_IN_REQUEST
from segmentation.services import add_contacts_by_hand, log_segment
from tests.factories import (
    InteractionTemplateFactory,
    SalespersonFactory,
    SegmentFactory,
    TemplateDocumentFactory,
)

pytestmark = pytest.mark.django_db

LINES = LETTERS_IN_REQUEST + 1


@pytest.fixture
def large_segment():
    template = InteractionTemplateFactory(code="INVIT", default_language="en")
    TemplateDocumentFactory(template=template, language="en")
    segment = SegmentFactory(template=template, salesperson=SalespersonFactory())
    contacts = Contact.objects.bulk_create(
        Contact(number=f"BIG{index:05d}", type=Contact.Type.PERSON, name=f"P {index}")
        for index in range(LINES)
    )
    add_contacts_by_hand(segment, contacts=contacts, user=None)
    return segment


@pytest.fixture
def large_logged_segment(large_segment, marketing_user):
    return log_segment(large_segment, user=marketing_user)


@pytest.fixture(params=["segment", "logged segment"])
def download_url(request):
    if request.param == "segment":
        segment = request.getfixturevalue("large_segment")
        return reverse("segmentation:segment_letters_download", args=[segment.pk])
    logged = request.getfixturevalue("large_logged_segment")
    return reverse("segmentation:logged_segment_letters_download", args=[logged.pk])


@pytest.mark.parametrize("query", ["", "?format=combined"])
def test_opening_download_letters_of_a_large_segment_starts_nothing(
    marketing_client, download_url, query, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = marketing_client.get(download_url + query)
        again = marketing_client.get(download_url + query)

    for response in (first, again):
        assert response.status_code == 200
        page = response.content.decode()
        assert f"These {LINES} letters are too many to make while you wait." in page
        assert 'method="post"' in page
        assert "Make the letters" in page
    assert ('name="format" value="combined"' in first.content.decode()) == bool(query)
    assert DBTaskResult.objects.count() == 0


@pytest.mark.parametrize("combined", [False, True])
def test_posting_download_letters_starts_one_batch(
    marketing_client, download_url, combined, django_capture_on_commit_callbacks
):
    data = {"format": "combined"} if combined else {}
    with django_capture_on_commit_callbacks(execute=True):
        response = marketing_client.post(download_url, data, follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert f"{LINES} letters are being made in the background." in page
    assert ("One combined document" in page) == combined
    assert Job.objects.count() == 1
    assert DBTaskResult.objects.count() >= 1


def test_the_download_of_a_batch_not_yet_made_says_so(
    marketing_client, large_segment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        started = marketing_client.post(
            reverse("segmentation:segment_letters_download", args=[large_segment.pk])
        )
    batch_pk = resolve(started.url).kwargs["pk"]
    download_url = reverse("core:job_download", args=[batch_pk])

    response = marketing_client.get(download_url)
    assert response.status_code in (302, 409)
    response = marketing_client.get(download_url, follow=True)

    assert response.status_code in (200, 409)
    assert "The file is not ready yet" in response.content.decode()
