"""E-mail delivery of a logged segment, through real SMTP to an aiosmtpd server."""

import io

import docx
import pytest
from django.urls import reverse

from contacts.models import Contact
from contacts.unsubscribe import contact_of_token
from interactions.models import DeliveryStatus, InteractionLogEntry, LoggedSegment
from segmentation.delivery import (
    MailServerUnavailable,
    deliver_logged_segment,
    delivery_counts,
    engine,
)
from tests.factories import ContactFactory
from tests.segmentation.delivery_setup import logged_for_sending
from tests.smtp import DROP, free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts():
    return [
        ContactFactory(
            name="Anna Berg",
            email="anna@example.com",
            language="en",
            formal_salutation="Dear Ms Berg",
        ),
        ContactFactory(name="Sven Ek", email="sven@example.com", language="sv"),
    ]


@pytest.fixture
def logged(contacts, marketing_user):
    return logged_for_sending(contacts, user=marketing_user)


def _entries(logged):
    return list(
        InteractionLogEntry.objects.filter(logged_segment=logged)
        .select_related("contact")
        .order_by("pk")
    )


def _attachment_text(message) -> str:
    [attachment] = list(message.iter_attachments())
    document = docx.Document(io.BytesIO(attachment.get_content()))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def test_each_email_entry_gets_one_message_in_its_language_with_its_letter(
    smtp_server, logged
):
    outcome = deliver_logged_segment(logged.pk)

    assert (outcome.sent, outcome.failed, outcome.not_sent) == (2, 0, 0)
    anna, sven = _entries(logged)
    by_recipient = {
        received.recipients[0]: received for received in smtp_server.received
    }
    assert sorted(by_recipient) == ["anna@example.com", "sven@example.com"]
    for entry, body in [
        (anna, "Dear Ms Berg\n\nNews for Anna Berg. {Not_A_Field} stays."),
        (sven, "Hej Sven Ek!"),
    ]:
        received = by_recipient[entry.contact.email]
        message = received.message
        assert received.sender == "news@segmenta.example"
        assert message["To"] == f"{entry.contact.name} <{entry.contact.email}>"
        assert message["Subject"] == "Spring news"
        assert message["Reply-To"] == "erik@segmenta.example"
        assert message["Content-Language"] == entry.language
        assert message["Message-ID"] == entry.message_id
        text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
        assert text.strip() == body
        assert entry.contact.name in _attachment_text(message)
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = message["List-Unsubscribe"].strip("<>")
        # Raw, not RFC 2047-encoded: providers read the header as it is.
        assert f"List-Unsubscribe: <{link}>".encode() in received.raw
        # The attachment's base64 keeps to RFC 2045's 76 characters a line.
        [part] = [p for p in received.raw.split(b"\r\n--") if b"base64" in p]
        encoded = part.split(b"\r\n\r\n", 1)[1]
        assert max(len(line) for line in encoded.split(b"\r\n")) <= 76
        assert link.startswith("https://segmenta.example/contacts/unsubscribe/")
        assert contact_of_token(link.rstrip("/").rsplit("/", 1)[1]) == entry.contact_id
        assert entry.delivery_status == DeliveryStatus.SENT
        assert entry.delivered_at is not None
    assert (anna.language, sven.language) == ("en", "sv")
    assert delivery_counts(logged) == {DeliveryStatus.SENT: 2}


def test_a_second_run_sends_nothing_again(smtp_server, logged):
    deliver_logged_segment(logged.pk)

    outcome = deliver_logged_segment(logged.pk)

    assert outcome.handled == 0
    assert len(smtp_server.received) == 2


def test_the_subject_is_the_template_description_when_the_entry_has_none(
    smtp_server, contacts, marketing_user
):
    logged = logged_for_sending(contacts[:1], user=marketing_user, subject="")

    deliver_logged_segment(logged.pk)

    assert smtp_server.received[0].message["Subject"] == "Segmenta newsletter"


def test_newlines_in_a_subject_or_name_cannot_add_a_header(smtp_server, marketing_user):
    contact = ContactFactory(
        name="Eve\r\nBcc: evil@example.com", email="eve@example.com"
    )
    logged = logged_for_sending(
        [contact], user=marketing_user, subject="Hi\r\nBcc: evil@example.com"
    )

    deliver_logged_segment(logged.pk)

    [received] = smtp_server.received
    assert received.recipients == ["eve@example.com"]
    assert received.message["Bcc"] is None
    assert received.message["Subject"] == "Hi Bcc: evil@example.com"
    headers = received.raw.split(b"\r\n\r\n", 1)[0]
    assert b"\nBcc:" not in headers
    assert received.message["To"].addresses[0].addr_spec == "eve@example.com"


def test_excluded_blocked_and_address_less_contacts_are_never_mailed(
    smtp_server, marketing_user
):
    contacts = [ContactFactory(email=f"c{n}@example.com") for n in range(4)]
    logged = logged_for_sending(contacts, user=marketing_user)
    # After logging: unsubscribed, blocked, address removed.
    Contact.objects.filter(pk=contacts[0].pk).update(exclude_from_segments=True)
    Contact.objects.filter(pk=contacts[1].pk).update(privacy_blocked=True)
    Contact.objects.filter(pk=contacts[2].pk).update(email="")

    outcome = deliver_logged_segment(logged.pk)

    assert [r.recipients for r in smtp_server.received] == [["c3@example.com"]]
    statuses = {
        e.contact_id: (e.delivery_status, e.not_sent_reason) for e in _entries(logged)
    }
    assert [statuses[contact.pk] for contact in contacts] == [
        ("not_sent", "excluded"),
        ("not_sent", "privacy_blocked"),
        ("not_sent", "no_address"),
        ("sent", ""),
    ]
    assert (outcome.sent, outcome.not_sent) == (1, 3)


def test_a_permanent_refusal_fails_that_entry_and_the_others_go_on(smtp_server, logged):
    smtp_server.handler.replies = ["550 5.1.1 No such user"]

    outcome = deliver_logged_segment(logged.pk)

    anna, sven = _entries(logged)
    assert anna.delivery_status == DeliveryStatus.FAILED
    assert anna.delivery_detail == "550 5.1.1 No such user"
    assert sven.delivery_status == DeliveryStatus.SENT
    assert (outcome.sent, outcome.failed) == (1, 1)
    assert delivery_counts(logged) == {"failed": 1, "sent": 1}


def test_temporary_refusals_and_a_dropped_connection_are_retried(smtp_server, logged):
    smtp_server.handler.replies = ["451 4.3.0 Try again later", DROP]

    outcome = deliver_logged_segment(logged.pk)

    assert outcome.sent == 2
    assert len(smtp_server.received) == 2
    assert {e.delivery_status for e in _entries(logged)} == {DeliveryStatus.SENT}


def test_a_temporary_refusal_that_lasts_fails_the_entry_with_the_reply(
    smtp_server, logged
):
    smtp_server.handler.replies = ["451 4.3.0 Mailbox busy"] * 3

    deliver_logged_segment(logged.pk)

    anna, sven = _entries(logged)
    assert anna.delivery_status == DeliveryStatus.FAILED
    assert "451 4.3.0 Mailbox busy" in anna.delivery_detail
    assert sven.delivery_status == DeliveryStatus.SENT


def test_when_the_server_is_down_the_entries_stay_pending_for_the_next_run(
    smtp_server, settings, logged
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 5},
        }
    }

    with pytest.raises(MailServerUnavailable):
        deliver_logged_segment(logged.pk)

    assert {e.delivery_status for e in _entries(logged)} == {DeliveryStatus.PENDING}
    settings.MAILERS = smtp_server.mailer()
    outcome = deliver_logged_segment(logged.pk)
    assert outcome.sent == 2
    assert outcome.sent_again_after_interruption == 0
    assert {e.delivery_detail for e in _entries(logged)} == {""}


def test_a_cancelled_logged_segment_sends_nothing(smtp_server, logged):
    LoggedSegment.objects.filter(pk=logged.pk).update(cancelled=True)

    outcome = deliver_logged_segment(logged.pk)

    assert smtp_server.received == []
    assert outcome.stopped
    assert delivery_counts(logged) == {"not_sent": 2}
    assert {e.not_sent_reason for e in _entries(logged)} == {"cancelled"}


def test_cancelling_between_messages_stops_what_is_not_yet_sent(
    smtp_server, monkeypatch, marketing_user
):
    monkeypatch.setattr(engine, "MESSAGES_PER_BATCH", 1)
    contacts = [ContactFactory(email=f"c{n}@example.com") for n in range(4)]
    logged = logged_for_sending(contacts, user=marketing_user)

    def cancel_after_the_first(done, total):
        LoggedSegment.objects.filter(pk=logged.pk).update(cancelled=True)

    outcome = deliver_logged_segment(logged.pk, progress=cancel_after_the_first)

    first, second, *rest = _entries(logged)
    assert outcome.stopped
    assert first.delivery_status == "sent"
    # The second message was on its way when the first was recorded (and the
    # logged segment cancelled); nothing after it went.
    assert [e.delivery_status for e in rest] == ["not_sent", "not_sent"]
    assert {e.not_sent_reason for e in rest} == {"cancelled"}
    sent = [e.contact.email for e in (first, second) if e.delivery_status == "sent"]
    assert sorted(r.recipients[0] for r in smtp_server.received) == sorted(sent)
    assert outcome.sent == len(sent)
    assert outcome.not_sent == len(contacts) - len(sent)


def test_should_stop_leaves_the_rest_pending_for_a_later_run(
    smtp_server, contacts, marketing_user, monkeypatch
):
    monkeypatch.setattr(engine, "MESSAGES_PER_BATCH", 1)
    logged = logged_for_sending(contacts, user=marketing_user)
    asked = []

    def stop_after_one():
        asked.append(True)
        return len(asked) > 1

    outcome = deliver_logged_segment(logged.pk, should_stop=stop_after_one)

    assert outcome.stopped
    assert [e.delivery_status for e in _entries(logged)] == ["sent", "pending"]
    assert deliver_logged_segment(logged.pk).sent == 1
    assert len(smtp_server.received) == 2


def test_an_attachment_over_the_limit_fails_the_entry(smtp_server, settings, logged):
    settings.EMAIL_MAX_ATTACHMENT_BYTES = 1_000

    outcome = deliver_logged_segment(logged.pk)

    assert smtp_server.received == []
    assert outcome.failed == 2
    assert "larger than the limit" in _entries(logged)[0].delivery_detail


def test_the_eml_folder_backend_writes_one_file_per_message(settings, tmp_path, logged):
    settings.MAILERS = {
        "default": {
            "BACKEND": "core.mail.EmlFolderBackend",
            "OPTIONS": {"file_path": tmp_path / "outbox"},
        }
    }

    outcome = deliver_logged_segment(logged.pk, mail_folder="job-7")

    files = sorted((tmp_path / "outbox" / "job-7").glob("*.eml"))
    assert outcome.mail_folder == tmp_path / "outbox" / "job-7"
    assert len(files) == 2
    assert {b"To: Anna Berg <anna@example.com>" in f.read_bytes() for f in files} == {
        True,
        False,
    }


def test_logging_without_sending_leaves_nothing_to_send(
    smtp_server, contacts, marketing_user
):
    from segmentation.services import add_contacts_by_hand, log_segment
    from tests.factories import SalespersonFactory, SegmentFactory
    from tests.segmentation.delivery_setup import email_template

    segment = SegmentFactory(
        template=email_template(), salesperson=SalespersonFactory()
    )
    add_contacts_by_hand(segment, contacts=contacts, user=marketing_user)
    logged = log_segment(segment, user=marketing_user, deliver=False)

    assert deliver_logged_segment(logged.pk).handled == 0
    assert delivery_counts(logged) == {}


def test_the_interaction_log_filters_on_delivery_status(
    smtp_server, logged, marketing_client
):
    smtp_server.handler.replies = ["550 5.7.1 Rejected"]
    deliver_logged_segment(logged.pk)

    page = marketing_client.get(
        reverse("interactions:interaction_log"), {"delivery_status": "failed"}
    ).content.decode()

    assert "Anna Berg" in page
    assert "Sven Ek" not in page
    assert "550 5.7.1 Rejected" in page


def test_a_non_ascii_address_fails_its_entry_and_a_non_ascii_domain_is_punycoded(
    smtp_server, marketing_user
):
    contacts = [
        ContactFactory(name="Åsa Ström", email="åsa@example.com"),
        ContactFactory(name="Anna Berg", email="anna@bücher.example"),
    ]
    logged = logged_for_sending(contacts, user=marketing_user)

    outcome = deliver_logged_segment(logged.pk)

    assert (outcome.sent, outcome.failed) == (1, 1)
    asa = next(e for e in _entries(logged) if e.contact.email.startswith("å"))
    assert asa.delivery_status == DeliveryStatus.FAILED
    assert "“åsa@example.com” cannot be used" in asa.delivery_detail
    assert [r.recipients for r in smtp_server.received] == [
        ["anna@xn--bcher-kva.example"]
    ]


def test_batches_sent_while_the_next_is_built_are_each_recorded_once(
    smtp_server, monkeypatch, marketing_user
):
    """The sending thread sends batch n while this one builds n + 1: every
    entry still gets one result, counted once, and the messages go in entry order."""
    monkeypatch.setattr(engine, "MESSAGES_PER_BATCH", 2)
    contacts = [ContactFactory(email=f"c{n}@example.com") for n in range(7)]
    logged = logged_for_sending(contacts, user=marketing_user)
    Contact.objects.filter(pk=contacts[3].pk).update(email="")  # since logged
    smtp_server.handler.replies = ["250 OK", "250 OK", "550 5.1.1 No such user"]
    reported = []

    outcome = deliver_logged_segment(
        logged.pk, progress=lambda done, total: reported.append((done, total))
    )

    entries = _entries(logged)
    statuses = [entry.delivery_status for entry in entries]
    # In entry order: the third message handed to the server was refused.
    not_sent = [entry.contact_id for entry in entries].index(contacts[3].pk)
    assert statuses.pop(not_sent) == "not_sent"
    assert statuses == ["sent", "sent", "failed", "sent", "sent", "sent"]
    assert [r.recipients[0] for r in smtp_server.received] == [
        entry.contact.email for entry in entries if entry.delivery_status == "sent"
    ]
    assert (outcome.sent, outcome.failed, outcome.not_sent) == (5, 1, 1)
    dones = [done for done, _total in reported]
    assert dones == sorted(dones)
    assert reported[-1] == (7, 7)
