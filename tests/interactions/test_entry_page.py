"""One interaction's page (the reference's Show), its letter, and the log tables' columns."""

import io
import re
import zipfile

import pytest
from django.urls import reverse

from interactions.models import DeliveryStatus, NotSentReason
from segmentation.services import add_contacts_by_hand, log_segment
from tests.factories import (
    InteractionLogEntryFactory,
    InteractionTemplateFactory,
    LoggedSegmentFactory,
    PersonFactory,
    SalespersonFactory,
    SegmentFactory,
    TemplateDocumentFactory,
    WordDocumentFactory,
)

pytestmark = pytest.mark.django_db

TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")


def _entry_url(entry):
    return reverse("interactions:entry_detail", args=[entry.pk])


def _letter_url(entry):
    return reverse("segmentation:entry_letter_download", args=[entry.pk])


def _body(docx_bytes: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        return "".join(TEXT.findall(archive.read("word/document.xml").decode()))


@pytest.fixture
def logged_entry(marketing_user):
    template = InteractionTemplateFactory(default_language="en")
    TemplateDocumentFactory(template=template, language="en")
    segment = SegmentFactory(
        template=template, subject="Spring invitation", salesperson=SalespersonFactory()
    )
    add_contacts_by_hand(
        segment, contacts=[PersonFactory(name="Jana Nováková")], user=None
    )
    return log_segment(segment, user=marketing_user).entries.get()


def test_the_log_shows_language_and_personalised_and_links_each_entry(
    marketing_client,
):
    entry = InteractionLogEntryFactory(language="cs", document_is_personalised=True)

    page = marketing_client.get(
        reverse("interactions:interaction_log")
    ).content.decode()

    assert '<th scope="col">Language</th>' in page
    assert '<th scope="col">Personalised</th>' in page
    assert "<td>cs</td>" in page
    assert "<td>Yes</td>" in page
    assert (
        f'<a href="{_entry_url(entry)}" aria-label="Show interaction {entry.pk}">'
        in page
    )


def test_the_logged_segment_table_has_the_same_columns(marketing_client):
    logged = LoggedSegmentFactory()
    entry = InteractionLogEntryFactory(logged_segment=logged, language="sv")

    page = marketing_client.get(
        reverse("segmentation:logged_segment_detail", args=[logged.pk])
    ).content.decode()

    assert '<th scope="col">Personalised</th>' in page
    assert "<td>sv</td>" in page
    assert f'href="{_entry_url(entry)}"' in page


def test_short_log_cells_do_not_wrap_but_the_description_does(marketing_client):
    InteractionLogEntryFactory()

    page = marketing_client.get(
        reverse("interactions:interaction_log")
    ).content.decode()

    assert 'class="table table-sm table-hover align-middle small text-nowrap' in page
    assert 'class="text-wrap log-description"' in page


def test_the_entry_page_shows_its_fields_and_how_delivery_went(
    marketing_client, django_assert_num_queries
):
    entry = InteractionLogEntryFactory(
        description="Spring event",
        subject="You are invited",
        language="cs",
        personal_comment="Met at the fair",
        logged_segment=LoggedSegmentFactory(),
        delivery_status=DeliveryStatus.FAILED,
        not_sent_reason=NotSentReason.NONE,
        delivery_detail="550 5.1.1 mailbox unavailable",
        message_id="<1.2@segmenta.example>",
        delivery_attempts=2,
    )

    with django_assert_num_queries(5):
        response = marketing_client.get(_entry_url(entry))

    page = response.content.decode()
    for text in [
        "Spring event",
        "You are invited",
        "Met at the fair",
        entry.contact.name,
        entry.template.code,
        "Failed",
        "550 5.1.1 mailbox unavailable",
        "&lt;1.2@segmenta.example&gt;",
    ]:
        assert text in page
    assert f'href="{_letter_url(entry)}"' not in page  # no document: nothing to merge


def test_the_entry_page_says_why_nothing_was_sent(marketing_client):
    entry = InteractionLogEntryFactory(
        delivery_status=DeliveryStatus.NOT_SENT,
        not_sent_reason=NotSentReason.NO_ADDRESS,
    )

    page = marketing_client.get(_entry_url(entry)).content.decode()

    assert str(NotSentReason.NO_ADDRESS.label) in page


def test_an_entry_downloads_its_own_merged_letter(marketing_client, logged_entry):
    page = marketing_client.get(_entry_url(logged_entry)).content.decode()
    assert f'href="{_letter_url(logged_entry)}"' in page

    response = marketing_client.get(_letter_url(logged_entry))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    body = _body(response.content)
    assert "Jana Nováková" in body
    assert "Spring invitation" in body


def test_a_personalised_entry_downloads_its_document_as_it_is(
    marketing_client, logged_entry
):
    personal = WordDocumentFactory(language="cs")
    logged_entry.document = personal
    logged_entry.document_is_personalised = True
    logged_entry.save()

    response = marketing_client.get(_letter_url(logged_entry))

    with personal.file.open("rb") as file:
        assert response.content == file.read()


def test_an_entry_without_a_document_says_so_instead_of_failing(marketing_client):
    entry = InteractionLogEntryFactory()

    response = marketing_client.get(_letter_url(entry), follow=True)

    assert response.redirect_chain[-1][0] == _entry_url(entry)
    assert "There is no Word document for this letter." in response.content.decode()


def test_outsiders_see_neither_the_entry_nor_its_letter(outsider_client, logged_entry):
    assert outsider_client.get(_entry_url(logged_entry)).status_code == 403
    assert outsider_client.get(_letter_url(logged_entry)).status_code == 403


def test_the_contact_history_links_each_entry(marketing_client):
    entry = InteractionLogEntryFactory()

    page = marketing_client.get(
        reverse("contacts:contact_detail", args=[entry.contact_id])
    ).content.decode()

    assert f'aria-label="Show interaction {entry.pk}"' in page
