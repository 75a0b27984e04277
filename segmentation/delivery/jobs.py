"""The delivery job: a worker sends a logged segment's pending e-mails.

Log with Send attachments starts it inside the Log transaction (the database
task backend writes the task in that same commit, so a crash right after the
commit loses no mailing); Resend starts it again. One unfinished delivery job
at a time works on a logged segment (the job's key), apart from Cancel's key so
that a cancellation can stop a running delivery. With the development e-mail
backend each message is an .eml file in a folder of the job's own, which its
page lists (core.views.job_mail_file).
"""

import time

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from contacts.models import CorrespondenceType
from core.jobs import (
    JobError,
    JobInterrupted,
    JobKind,
    Output,
    start_job,
    stop_requested,
)
from core.models import Job
from core.office import converter_port
from core.users import User
from interactions.models import (
    AttachmentFormat,
    DeliveryStatus,
    InteractionLogEntry,
    LoggedSegment,
)
from segmentation.delivery.engine import deliver_logged_segment, pending_emails
from segmentation.delivery.sender import MailServerUnavailable

DELIVERY = "logged_segment_delivery"
# How often a running delivery asks whether it is still the job's current run.
STILL_CURRENT_CHECK_SECONDS = 2.0


def delivery_key(logged_segment_id: int) -> str:
    return f"delivery:logged_segment:{logged_segment_id}"


def mail_folder_name(job: Job) -> str:
    """The job's own folder under MAIL_OUTBOX, for the .eml backend."""
    return f"job-{job.pk}"


def start_delivery_job(logged_segment: LoggedSegment, *, user: User) -> Job:
    """Queue the sending of the logged segment's pending e-mails (JobAlreadyRunning
    when a delivery of it is waiting or running already)."""
    return start_job(
        kind=DELIVERY,
        owner=user,
        title=_("Send e-mails · logged segment %(number)s")
        % {"number": logged_segment.segment_number},
        parameters={"logged_segment": logged_segment.pk},
        total=pending_emails(logged_segment.pk).count(),
        language=get_language(),
        key=delivery_key(logged_segment.pk),
    )


def latest_delivery_job(logged_segment: LoggedSegment) -> Job | None:
    """The logged segment's most recent delivery job, if any."""
    return Job.objects.filter(
        kind=DELIVERY, key=delivery_key(logged_segment.pk)
    ).first()


def run_delivery(job: Job, output, progress) -> Output:
    logged = LoggedSegment.objects.filter(pk=job.parameters["logged_segment"]).first()
    if logged is None:
        raise JobError(_("The logged segment no longer exists."))
    link = [
        logged.get_absolute_url(),
        _("Logged segment %(number)s") % {"number": logged.segment_number},
    ]
    progress(0, phase=_("Sending e-mails"))
    try:
        outcome = deliver_logged_segment(
            logged.pk,
            progress=lambda done, total: progress(done, total=total),
            should_stop=_no_longer_current(job),
            mail_folder=mail_folder_name(job),
        )
    except MailServerUnavailable as error:
        raise JobError(
            _(
                "The mail server could not be reached (%(error)s). The e-mails not "
                "sent yet are still pending: Retry once the server is back."
            )
            % {"error": error},
            links=[link],
        ) from None
    if outcome.stopped and stop_requested():
        # The e-mails not sent yet are pending again; another worker goes on.
        raise JobInterrupted
    notes = [
        ngettext("%(count)d e-mail sent.", "%(count)d e-mails sent.", outcome.sent)
        % {"count": outcome.sent}
    ]
    if outcome.failed:
        notes.append(
            ngettext(
                "%(count)d failed; Resend on the logged segment tries it again.",
                "%(count)d failed; Resend on the logged segment tries them again.",
                outcome.failed,
            )
            % {"count": outcome.failed}
        )
    if outcome.not_sent:
        notes.append(
            ngettext(
                "%(count)d not sent (see the reason on the interaction).",
                "%(count)d not sent (see the reason on each interaction).",
                outcome.not_sent,
            )
            % {"count": outcome.not_sent}
        )
    if outcome.sent_again_after_interruption:
        notes.append(
            ngettext(
                "%(count)d was sent again after an interrupted run and may have "
                "arrived twice (with the same Message-ID).",
                "%(count)d were sent again after an interrupted run and may have "
                "arrived twice (with the same Message-ID).",
                outcome.sent_again_after_interruption,
            )
            % {"count": outcome.sent_again_after_interruption}
        )
    if _docx_instead_of_pdf(logged):
        notes.append(
            _(
                "PDF conversion (LibreOffice) is not available, so the letters were "
                "attached as .docx instead of PDF."
            )
        )
    details = {
        "message": " ".join(notes),
        "links": [link],
        "sent": outcome.sent,
        "failed": outcome.failed,
        "not_sent": outcome.not_sent,
    }
    if outcome.mail_folder is not None:
        details["mail_folder"] = mail_folder_name(job)
    return Output(done=outcome.handled, details=details)


def _no_longer_current(job: Job):
    """`should_stop` for the engine: the worker is stopping (asked between
    messages), or — asked every few seconds — the reaper gave this run's task up
    (and queued the job again) or the job was failed meanwhile."""
    checked_at = time.monotonic()

    def should_stop() -> bool:
        nonlocal checked_at
        if stop_requested():
            return True
        now = time.monotonic()
        if now - checked_at < STILL_CURRENT_CHECK_SECONDS:
            return False
        checked_at = now
        return not Job.objects.filter(
            pk=job.pk, task_id=job.task_id, state=Job.State.RUNNING
        ).exists()

    return should_stop


def _docx_instead_of_pdf(logged: LoggedSegment) -> bool:
    """Some e-mail of the segment asked for a PDF letter and none could be made."""
    return (
        converter_port() is None
        and InteractionLogEntry.objects.filter(
            logged_segment=logged,
            correspondence_type=CorrespondenceType.EMAIL,
            delivery_status=DeliveryStatus.SENT,
            document__isnull=False,
            template__attachment_format=AttachmentFormat.PDF,
        ).exists()
    )


DELIVERY_KIND = JobKind(name=DELIVERY, run=run_delivery)
