"""Log with Send attachments queues the delivery job; a worker sends through real SMTP.

The jobs run here (`run_worker --batch`, which commits) or in a real worker
process, against the aiosmtpd server of tests/smtp.py.
"""

import io

import docx
import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from core import office
from core.jobs import retry_job
from core.models import Job
from interactions.models import DeliveryStatus, LoggedSegment
from segmentation.delivery import delivery_counts
from segmentation.delivery.jobs import DELIVERY, start_delivery_job
from segmentation.models import Segment
from segmentation.services import log as log_service
from segmentation.services import log_segment
from tests.factories import ContactFactory, UserFactory
from tests.office import needs_libreoffice, pdf_pages
from tests.segmentation.delivery_setup import (
    email_template,
    logged_for_sending,
    segment_for_sending,
)
from tests.segmentation.log_page import confirmation, log_url
from tests.smtp import free_port
from tests.workers import start_worker, wait_for, worker_environment

pytestmark = pytest.mark.django_db(transaction=True)


def _run_jobs():
    call_command("run_worker", batch=True, startup_delay=False, verbosity=0)


@pytest.fixture
def contacts(transactional_db):
    return [
        ContactFactory(name="Anna Berg", email="anna@example.com", language="en"),
        ContactFactory(name="Sven Ek", email="sven@example.com", language="sv"),
    ]


@pytest.fixture
def eml_outbox(settings, tmp_path):
    settings.MAILERS = {
        "default": {
            "BACKEND": "core.mail.EmlFolderBackend",
            "OPTIONS": {"file_path": tmp_path / "outbox"},
        }
    }
    return tmp_path / "outbox"


def _log_page(client, segment, **data):
    return client.post(log_url(segment), {**confirmation(client, segment), **data})


def _delivery_jobs():
    return Job.objects.filter(kind=DELIVERY)


def _attachment(message):
    [attachment] = list(message.iter_attachments())
    return attachment


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def test_log_with_send_attachments_queues_one_job_that_sends_the_emails(
    smtp_server, contacts, marketing_client, marketing_user
):
    segment = segment_for_sending(contacts, user=marketing_user)

    response = _log_page(marketing_client, segment, deliver="on")

    logged = LoggedSegment.objects.get()
    assert response.url == logged.get_absolute_url()
    [job] = _delivery_jobs()
    assert (job.state, job.owner, job.total) == ("queued", marketing_user, 2)
    assert smtp_server.received == []

    _run_jobs()

    job.refresh_from_db()
    assert job.state == "done", job.error
    assert job.details["message"] == "2 e-mails sent."
    by_recipient = {r.recipients[0]: r.message for r in smtp_server.received}
    assert sorted(by_recipient) == ["anna@example.com", "sven@example.com"]
    for contact in contacts:
        message = by_recipient[contact.email]
        assert message["Subject"] == "Spring news"
        assert contact.name in _docx_text(_attachment(message).get_content())
    assert delivery_counts(logged) == {DeliveryStatus.SENT: 2}


def test_log_without_send_attachments_queues_nothing(
    smtp_server, contacts, marketing_client, marketing_user
):
    segment = segment_for_sending(contacts, user=marketing_user)

    _log_page(marketing_client, segment)

    assert LoggedSegment.objects.exists()
    assert not _delivery_jobs().exists()


def test_a_log_that_rolls_back_leaves_no_job_and_no_task(
    monkeypatch, contacts, marketing_user
):
    segment = segment_for_sending(contacts, user=marketing_user)
    queued = []

    def queue_then_fail(logged, *, user):
        queued.append(real(logged, user=user))
        raise RuntimeError("the process dies before the commit")

    real = log_service.start_delivery_job
    monkeypatch.setattr(log_service, "start_delivery_job", queue_then_fail)

    with pytest.raises(RuntimeError):
        log_segment(segment, user=marketing_user, deliver=True)

    assert queued, "the job was queued inside the Log transaction"
    assert not Job.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert not LoggedSegment.objects.exists()
    assert Segment.objects.filter(pk=segment.pk).exists()


def test_a_log_job_starts_the_delivery_in_its_transaction(
    smtp_server, settings, contacts, marketing_client, marketing_user
):
    settings.LOG_LINES_IN_REQUEST = 1
    segment = segment_for_sending(contacts, user=marketing_user)

    _log_page(marketing_client, segment, deliver="on")
    _run_jobs()

    log_job = Job.objects.get(kind="log_segment")
    delivery_job = _delivery_jobs().get()
    assert [log_job.state, delivery_job.state] == ["done", "done"]
    assert [delivery_job.get_absolute_url(), "Sending the e-mails"] in (
        log_job.details["links"]
    )
    assert len(smtp_server.received) == 2


def test_an_unreachable_server_fails_the_job_and_retry_sends(
    smtp_server, settings, contacts, marketing_user
):
    working = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 5},
        }
    }
    logged = logged_for_sending(contacts, user=marketing_user)

    _run_jobs()

    job = _delivery_jobs().get()
    assert job.state == "failed"
    assert "mail server could not be reached" in job.error
    assert "Retry once the server is back" in job.error
    assert delivery_counts(logged) == {DeliveryStatus.PENDING: 2}

    settings.MAILERS = working
    retry_job(job, user=marketing_user)
    _run_jobs()

    job.refresh_from_db()
    assert job.state == "done"
    assert len(smtp_server.received) == 2
    assert delivery_counts(logged) == {DeliveryStatus.SENT: 2}


def test_resend_starts_a_job_that_sends_the_failed_ones_again(
    smtp_server, contacts, marketing_client, marketing_user
):
    smtp_server.handler.replies = ["550 5.7.1 Rejected"]
    logged = logged_for_sending(contacts, user=marketing_user)
    _run_jobs()
    page = marketing_client.get(logged.get_absolute_url()).content.decode()
    assert "Failed: 1" in page
    assert "Sent: 1" in page
    assert 'id="resend"' in page

    marketing_client.post(
        reverse("segmentation:logged_segment_resend", args=[logged.pk])
    )

    assert _delivery_jobs().filter(state="queued").count() == 1
    _run_jobs()
    assert len(smtp_server.received) == 2
    assert delivery_counts(logged) == {DeliveryStatus.SENT: 2}


def test_resend_while_a_delivery_waits_changes_nothing_and_names_the_job(
    smtp_server, contacts, marketing_client, marketing_user
):
    smtp_server.handler.replies = ["550 5.7.1 Rejected"]
    logged = logged_for_sending(contacts, user=marketing_user)
    _run_jobs()
    waiting = start_delivery_job(logged, user=marketing_user)

    response = marketing_client.post(
        reverse("segmentation:logged_segment_resend", args=[logged.pk]), follow=True
    )

    assert response.redirect_chain[-1][0] == waiting.get_absolute_url()
    assert "is working on this already" in response.content.decode()
    assert delivery_counts(logged)[DeliveryStatus.FAILED] == 1
    assert _delivery_jobs().count() == 2


def test_the_logged_segment_page_follows_the_delivery(
    smtp_server, contacts, marketing_client, marketing_user
):
    logged = logged_for_sending(contacts, user=marketing_user)
    job = _delivery_jobs().get()

    page = marketing_client.get(logged.get_absolute_url()).content.decode()

    assert 'data-refresh="2000"' in page
    assert f'<a href="{job.get_absolute_url()}">Waiting</a>' in page
    assert "Pending: 2" in page

    _run_jobs()
    page = marketing_client.get(logged.get_absolute_url()).content.decode()

    assert "data-refresh" not in page
    assert f'<a href="{job.get_absolute_url()}">Done</a>' in page
    assert "2 / 2" in page
    assert "Sent: 2" in page


def test_the_log_page_says_what_will_be_sent(
    contacts, marketing_client, marketing_user
):
    segment = segment_for_sending(contacts, user=marketing_user)

    page = marketing_client.get(
        reverse("segmentation:segment_log", args=[segment.pk])
    ).content.decode()

    assert (
        "With Send attachments: 2 e-mails will be sent, 0 letters go to print." in page
    )
    assert "Without Send attachments nothing is sent" in page


def test_the_log_page_says_nothing_is_sent_without_a_correspondence_type(
    contacts, marketing_client, marketing_user
):
    template = email_template(correspondence_type="")
    segment = segment_for_sending(contacts, user=marketing_user, template=template)

    page = marketing_client.get(
        reverse("segmentation:segment_log", args=[segment.pk])
    ).content.decode()

    assert "Nothing is sent: no line is an e-mail or a hard copy." in page
    assert "2 lines without a correspondence type are logged only." in page


def test_the_job_page_links_each_eml_file_to_its_owner_only(
    eml_outbox, contacts, client, marketing_user
):
    logged_for_sending(contacts, user=marketing_user)
    _run_jobs()
    job = _delivery_jobs().get()
    files = sorted(path.name for path in (eml_outbox / f"job-{job.pk}").iterdir())
    assert len(files) == 2
    client.force_login(marketing_user)

    page = client.get(job.get_absolute_url()).content.decode()

    links = [reverse("core:job_mail_file", args=[job.pk, name]) for name in files]
    for link in links:
        assert f'href="{link}"' in page
    response = client.get(links[0])
    assert response["Content-Type"] == "message/rfc822"
    assert b"Subject: Spring news" in b"".join(response.streaming_content)

    client.force_login(UserFactory(username="maja", groups=["Marketing"]))
    assert client.get(links[0]).status_code == 404
    client.force_login(marketing_user)
    assert client.get(links[0].replace(files[0], "..%2Fsecret.eml")).status_code == 404
    assert client.get(links[0][: -len(".eml")] + ".txt").status_code == 404


def test_the_job_page_says_how_many_were_sent_and_failed(
    smtp_server, contacts, marketing_client, marketing_user
):
    smtp_server.handler.replies = ["550 5.7.1 Rejected"]
    logged_for_sending(contacts, user=marketing_user)
    _run_jobs()

    page = marketing_client.get(_delivery_jobs().get().get_absolute_url())

    assert "1 e-mail sent. 1 failed; Resend on the logged segment tries it again." in (
        page.content.decode()
    )
    assert "Messages written" not in page.content.decode()


@needs_libreoffice
def test_a_pdf_template_attaches_the_letter_as_pdf(
    smtp_server, settings, unoserver, contacts, marketing_user
):
    settings.UNOSERVER_PORT = unoserver.port
    template = email_template()
    template.attachment_format = "pdf"
    template.save()
    logged_for_sending(contacts[:1], user=marketing_user, template=template)

    _run_jobs()

    [received] = smtp_server.received
    attachment = _attachment(received.message)
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename().endswith(".pdf")
    assert "Anna Berg" in "".join(pdf_pages(attachment.get_content()))
    assert "attached as .docx" not in _delivery_jobs().get().details["message"]


def test_without_libreoffice_a_pdf_template_attaches_docx_and_says_so(
    smtp_server, settings, monkeypatch, contacts, marketing_user
):
    settings.UNOSERVER_PORT = None
    monkeypatch.setattr(office, "_started_ports", [])
    template = email_template()
    template.attachment_format = "pdf"
    template.save()
    logged_for_sending(contacts[:1], user=marketing_user, template=template)

    _run_jobs()

    [received] = smtp_server.received
    attachment = _attachment(received.message)
    assert attachment.get_filename().endswith(".docx")
    assert "Anna Berg" in _docx_text(attachment.get_content())
    assert (
        "attached as .docx instead of PDF"
        in (_delivery_jobs().get().details["message"])
    )


def test_a_worker_process_sends_the_mailing_of_a_log(
    smtp_server, settings, contacts, marketing_user
):
    logged = logged_for_sending(contacts, user=marketing_user)
    worker = start_worker(
        env=worker_environment(EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}")
    )
    try:
        wait_for(
            lambda: _delivery_jobs().filter(state="done").exists(),
            what="the delivery job to end",
        )
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert sorted(r.recipients[0] for r in smtp_server.received) == [
        "anna@example.com",
        "sven@example.com",
    ]
    assert delivery_counts(logged) == {DeliveryStatus.SENT: 2}
