"""Send the e-mails of a logged segment: resumable, and honest after a crash.

Guarantee: at least once, never twice unannounced. Before a batch of messages
is handed to the mail server, its entries are marked "sending" with their
Message-ID in a committed write; after the batch, each is marked sent or failed.
A run that finds entries still "sending" knows a sender died mid-batch: it
sends them again with the same Message-ID (so receivers can drop the copy) and
says so on the entry. Entries already marked sent are never sent again.

Between messages the run stops when asked (`should_stop`) or when the logged
segment has been cancelled; what is not yet sent then is marked not sent.
Contacts that are privacy blocked, excluded from segments (unsubscribed, say)
or without an address are never mailed, however they got on the segment.
"""

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Case, F, When
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.models import CorrespondenceType
from interactions.models import (
    DeliveryStatus,
    InteractionLogEntry,
    InteractionTemplate,
    LoggedSegment,
    NotSentReason,
    TemplateEmail,
)
from interactions.word_merge import DocumentError
from segmentation.delivery.messages import (
    AttachmentMaker,
    MessageBuilder,
    MessageError,
    attachment_for,
    message_id_expression,
    message_id_for,
    new_message_id_token,
)
from segmentation.delivery.sender import (
    MailServerUnavailable,
    PermanentFailure,
    Sender,
)
from segmentation.letters.building import entry_letter_maker

MESSAGES_PER_BATCH = 20
CANCEL_CHECK_SECONDS = 1.0
QUEUED = [DeliveryStatus.PENDING, DeliveryStatus.SENDING]


@dataclass
class DeliveryOutcome:
    """What one run did; `mail_folder` is where the .eml files went (development)."""

    sent: int = 0
    failed: int = 0
    not_sent: int = 0
    sent_again_after_interruption: int = 0
    stopped: bool = False
    mail_folder: Path | None = None

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.not_sent


def pending_emails(logged_segment_id: int):
    """The e-mail entries of a logged segment still to be sent, in entry order."""
    return InteractionLogEntry.objects.filter(
        logged_segment_id=logged_segment_id,
        correspondence_type=CorrespondenceType.EMAIL,
        delivery_status__in=QUEUED,
    ).order_by("pk")


def deliver_logged_segment(
    logged_segment_id: int,
    *,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    mail_folder: str = "",
    attachment: AttachmentMaker = attachment_for,
) -> DeliveryOutcome:
    """Send every pending e-mail of a logged segment and record each one's status.

    Safe to call again after a crash or a stop: it goes on where it was.
    `progress(done, total)` is called after each batch; `should_stop()` is asked
    between messages. Raises MailServerUnavailable when the server cannot be
    reached after every retry; the entries not sent stay pending for the next run.
    """
    logged = LoggedSegment.objects.get(pk=logged_segment_id)
    outcome = DeliveryOutcome()
    run = _Run(logged, outcome, should_stop=should_stop, attachment=attachment)
    sender = Sender(mail_folder=mail_folder or f"logged-segment-{logged.pk}")
    outcome.mail_folder = sender.mail_folder
    total = pending_emails(logged.pk).count()
    last_pk = 0
    try:
        while not outcome.stopped:
            batch = list(
                pending_emails(logged.pk)
                .filter(pk__gt=last_pk)
                .select_related("contact", "contact__company", "salesperson")[
                    :MESSAGES_PER_BATCH
                ]
            )
            if not batch:
                break
            last_pk = batch[-1].pk
            run.send_batch(batch, sender)
            if progress:
                progress(outcome.handled, total)
    finally:
        sender.close()
    return outcome


class _Run:
    def __init__(self, logged, outcome, *, should_stop, attachment):
        self.logged = logged
        self.outcome = outcome
        self.should_stop = should_stop or (lambda: False)
        self.letter = entry_letter_maker(logged)
        template_ids = set(
            pending_emails(logged.pk).values_list("template_id", flat=True).distinct()
        )
        self.builder = MessageBuilder(
            templates=InteractionTemplate.objects.in_bulk(template_ids),
            emails=TemplateEmail.objects.filter(template_id__in=template_ids),
            attachment=attachment,
        )
        self.checked_at = 0.0

    def send_batch(self, batch: list[InteractionLogEntry], sender: Sender) -> None:
        self.token = new_message_id_token()
        results: list[InteractionLogEntry] = []
        to_send = []
        for entry in batch:
            reason = _reason_not_to_send(entry)
            if reason:
                _finish(entry, DeliveryStatus.NOT_SENT, reason=reason)
                results.append(entry)
                continue
            interrupted = entry.delivery_status == DeliveryStatus.SENDING
            entry.message_id = entry.message_id or message_id_for(entry.pk, self.token)
            try:
                message = self.builder.build(entry, self.letter(entry))
            except (MessageError, DocumentError) as error:
                _finish(entry, DeliveryStatus.FAILED, detail=str(error))
                results.append(entry)
                continue
            to_send.append((entry, message, interrupted))
        try:
            to_send = self._mark_sending(to_send, results)
            for index, (entry, message, interrupted) in enumerate(to_send):
                if self._must_stop(to_send[index:], results):
                    break
                try:
                    sender.send(message)
                except PermanentFailure as error:
                    _finish(entry, DeliveryStatus.FAILED, detail=str(error))
                except MailServerUnavailable:
                    self._put_back(
                        to_send[index:], keep_first=sender.may_have_delivered
                    )
                    raise
                else:
                    _finish(
                        entry,
                        DeliveryStatus.SENT,
                        detail=_(
                            "Sent again after an interrupted run: it may have arrived "
                            "twice (with the same Message-ID)."
                        )
                        if interrupted
                        else "",
                    )
                    self.outcome.sent_again_after_interruption += interrupted
                results.append(entry)
        finally:
            _record(results, self.outcome)

    def _mark_sending(self, to_send, results):
        """Commit "sending" and the Message-IDs before the server sees any message."""
        if not to_send:
            return to_send
        with transaction.atomic():
            # The logged segment's row lock orders this write with a cancellation.
            cancelled = (
                LoggedSegment.objects.select_for_update()
                .filter(pk=self.logged.pk, cancelled=True)
                .exists()
            )
            ids = [entry.pk for entry, _message, _interrupted in to_send]
            cancelled_ids = (
                set(ids)
                if cancelled
                else set(
                    InteractionLogEntry.objects.filter(
                        pk__in=ids, cancelled=True
                    ).values_list("pk", flat=True)
                )
            )
            kept = []
            for item in to_send:
                entry = item[0]
                if entry.pk in cancelled_ids:
                    _finish(
                        entry, DeliveryStatus.NOT_SENT, reason=NotSentReason.CANCELLED
                    )
                    results.append(entry)
                else:
                    kept.append(item)
            # One statement; the Message-IDs are the ones the messages were built with.
            InteractionLogEntry.objects.filter(
                pk__in=[item[0].pk for item in kept]
            ).update(
                delivery_status=DeliveryStatus.SENDING,
                delivery_attempts=F("delivery_attempts") + 1,
                message_id=Case(
                    When(message_id="", then=message_id_expression(self.token)),
                    default=F("message_id"),
                ),
            )
        if cancelled:
            self._stop_for_cancellation()
        return kept

    def _must_stop(self, rest, results) -> bool:
        """Between messages: asked to stop, or the logged segment was cancelled."""
        if self.should_stop():
            self._put_back(rest, keep_first=False)
            self.outcome.stopped = True
            return True
        now = time.monotonic()
        if now - self.checked_at < CANCEL_CHECK_SECONDS:
            return False
        self.checked_at = now
        if not LoggedSegment.objects.filter(pk=self.logged.pk, cancelled=True).exists():
            return False
        for entry, _message, _interrupted in rest:
            _finish(entry, DeliveryStatus.NOT_SENT, reason=NotSentReason.CANCELLED)
            results.append(entry)
        self._stop_for_cancellation()
        return True

    def _stop_for_cancellation(self) -> None:
        """The logged segment is cancelled: none of its pending e-mails will go."""
        self.outcome.not_sent += (
            pending_emails(self.logged.pk)
            .filter(delivery_status=DeliveryStatus.PENDING)
            .update(
                delivery_status=DeliveryStatus.NOT_SENT,
                not_sent_reason=NotSentReason.CANCELLED,
            )
        )
        self.outcome.stopped = True

    def _put_back(self, rest, *, keep_first: bool) -> None:
        """Entries marked "sending" that never reached the server are pending again."""
        never_sent = [entry.pk for entry, _m, _i in rest[1 if keep_first else 0 :]]
        InteractionLogEntry.objects.filter(pk__in=never_sent).update(
            delivery_status=DeliveryStatus.PENDING
        )


def _reason_not_to_send(entry: InteractionLogEntry) -> str:
    contact = entry.contact
    if entry.cancelled:
        return NotSentReason.CANCELLED
    if contact.privacy_blocked:
        return NotSentReason.PRIVACY_BLOCKED
    if contact.exclude_from_segments:
        return NotSentReason.EXCLUDED
    if not contact.email:
        return NotSentReason.NO_ADDRESS
    return ""


def _finish(entry, status, *, reason: str = "", detail: str = "") -> None:
    entry.delivery_status = status
    entry.not_sent_reason = reason
    entry.delivery_detail = detail


def _record(results: list[InteractionLogEntry], outcome: DeliveryOutcome) -> None:
    """The batch's results, one statement per kind of result (usually one in all)."""
    now = timezone.now()
    groups = defaultdict(list)
    for entry in results:
        groups[
            entry.delivery_status, entry.not_sent_reason, entry.delivery_detail
        ].append(entry.pk)
    for (status, reason, detail), ids in groups.items():
        InteractionLogEntry.objects.filter(pk__in=ids).update(
            delivery_status=status,
            not_sent_reason=reason,
            delivery_detail=detail,
            delivered_at=now if status == DeliveryStatus.SENT else None,
        )
        if status == DeliveryStatus.SENT:
            outcome.sent += len(ids)
        elif status == DeliveryStatus.FAILED:
            outcome.failed += len(ids)
        else:
            outcome.not_sent += len(ids)
