"""Send the e-mails of a logged segment: resumable, and honest after a crash.

Guarantee: at least once, never twice unannounced. Before a batch of messages
is handed to the mail server, its entries are marked "sending" with their
Message-ID in a committed write; after the batch, each is marked sent or failed.
A run that finds entries still "sending" knows a sender died mid-batch: it
sends them again with the same Message-ID (so receivers can drop the copy) and
says so on the entry. Entries already marked sent are never sent again.

The batches go through a pipeline of two: one thread talks to the mail server
(and only to it) while this one reads, builds and records the next batch, so
building a message costs no time the server would otherwise be answering in.
Every database read and write stays on this thread, in this connection.

Between messages the run stops when asked (`should_stop`) or when the logged
segment has been cancelled; what is not yet sent then is marked not sent.
Contacts that are privacy blocked, excluded from segments (unsubscribed, say)
or without an address are never mailed, however they got on the segment.
"""

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as StillSending
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Case, F, When
from django.utils.translation import get_language
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
from segmentation.delivery.results import (
    DeliveryOutcome,
    finish,
    reason_not_to_send,
    record_results,
)
from segmentation.delivery.sender import Outgoing, Sender, SentBatch, send_batch
from segmentation.letters.building import entry_letter_maker

MESSAGES_PER_BATCH = 20
CANCEL_CHECK_SECONDS = 1.0
# How often a run waiting for its sending thread asks whether it must stop.
STOP_POLL_SECONDS = 0.1
QUEUED = [DeliveryStatus.PENDING, DeliveryStatus.SENDING]


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
    while messages are being sent. Raises MailServerUnavailable when the server
    cannot be reached after every retry; the entries not sent stay pending for
    the next run.
    """
    logged = LoggedSegment.objects.get(pk=logged_segment_id)
    outcome = DeliveryOutcome()
    sender = Sender(mail_folder=mail_folder or f"logged-segment-{logged.pk}")
    outcome.mail_folder = sender.mail_folder
    total = pending_emails(logged.pk).count()
    run = _Run(
        logged,
        outcome,
        should_stop=should_stop or (lambda: False),
        attachment=attachment,
        progress=(lambda: progress(outcome.handled, total)) if progress else None,
    )
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="smtp") as thread:
            run.pipeline(_batches(logged.pk), thread, sender)
    finally:
        sender.close()
    return outcome


def _batches(logged_segment_id: int) -> Iterator[list[InteractionLogEntry]]:
    """The pending e-mails in batches, read one batch at a time (keyset)."""
    last_pk = 0
    while batch := list(
        pending_emails(logged_segment_id)
        .filter(pk__gt=last_pk)
        .select_related("contact", "contact__company", "salesperson")[
            :MESSAGES_PER_BATCH
        ]
    ):
        last_pk = batch[-1].pk
        yield batch


@dataclass(eq=False)
class _Batch:
    """A batch on its way: its messages, and its entries whose result is known."""

    outgoing: list[Outgoing] = field(default_factory=list)
    finished: list[InteractionLogEntry] = field(default_factory=list)
    sending: Future | None = None


class _Run:
    def __init__(self, logged, outcome, *, should_stop, attachment, progress):
        self.logged = logged
        self.outcome = outcome
        self.should_stop = should_stop
        self.progress = progress
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
        self.cancelled = False
        self.language = get_language()
        # Set when the run must stop: the sending thread checks it between messages.
        self.stop_sending = threading.Event()
        # Batches whose entries' results are not written yet (at most two).
        self.unrecorded: list[_Batch] = []

    def pipeline(self, batches, thread: ThreadPoolExecutor, sender: Sender) -> None:
        """Build batch n + 1 while batch n is sent; record n once n + 1 is on its way."""
        in_flight: _Batch | None = None
        try:
            for entries in batches:
                batch = self._build(entries)
                self.unrecorded.append(batch)
                if in_flight is not None:
                    self._collect(in_flight)
                    in_flight = None
                if not self.outcome.stopped and not self._must_stop():
                    self._mark_sending(batch)
                if self.outcome.stopped:
                    self._leave(batch, marked=False)
                    break
                if batch.outgoing:
                    batch.sending = thread.submit(
                        send_batch,
                        sender,
                        batch.outgoing,
                        stop=self.stop_sending,
                        language=self.language,
                    )
                    in_flight = batch
                self._write_results(self.unrecorded[:-1])
            if in_flight is not None:
                self._collect(in_flight)
        finally:
            self._write_results(self.unrecorded)

    def _build(self, entries: list[InteractionLogEntry]) -> _Batch:
        batch = _Batch()
        self.token = new_message_id_token()
        for entry in entries:
            reason = reason_not_to_send(entry)
            if reason:
                finish(entry, DeliveryStatus.NOT_SENT, reason=reason)
                batch.finished.append(entry)
                continue
            interrupted = entry.delivery_status == DeliveryStatus.SENDING
            entry.message_id = entry.message_id or message_id_for(entry.pk, self.token)
            try:
                message = self.builder.build(entry, self.letter(entry))
            except (MessageError, DocumentError) as error:
                finish(entry, DeliveryStatus.FAILED, detail=str(error))
                batch.finished.append(entry)
                continue
            batch.outgoing.append(Outgoing(entry, message, interrupted))
        return batch

    def _mark_sending(self, batch: _Batch) -> None:
        """Commit "sending" and the Message-IDs before the server sees any message."""
        if not batch.outgoing:
            return
        with transaction.atomic():
            # The logged segment's row lock orders this write with a cancellation.
            cancelled = (
                LoggedSegment.objects.select_for_update()
                .filter(pk=self.logged.pk, cancelled=True)
                .exists()
            )
            ids = [item.entry.pk for item in batch.outgoing]
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
            for item in batch.outgoing:
                if item.entry.pk in cancelled_ids:
                    finish(
                        item.entry,
                        DeliveryStatus.NOT_SENT,
                        reason=NotSentReason.CANCELLED,
                    )
                    batch.finished.append(item.entry)
                else:
                    kept.append(item)
            batch.outgoing = kept
            # One statement; the Message-IDs are the ones the messages were built with.
            InteractionLogEntry.objects.filter(
                pk__in=[item.entry.pk for item in kept]
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

    def _collect(self, batch: _Batch) -> None:
        """Wait for the sending thread's batch, asking meanwhile whether to stop."""
        sent: SentBatch | None = None
        while sent is None:
            try:
                sent = batch.sending.result(timeout=STOP_POLL_SECONDS)
            except StillSending:
                if not self.stop_sending.is_set():
                    self._must_stop()
        for item, failure in sent.results:
            if failure:
                finish(item.entry, DeliveryStatus.FAILED, detail=failure)
            else:
                finish(
                    item.entry,
                    DeliveryStatus.SENT,
                    detail=_(
                        "Sent again after an interrupted run: it may have arrived "
                        "twice (with the same Message-ID)."
                    )
                    if item.interrupted
                    else "",
                )
                self.outcome.sent_again_after_interruption += item.interrupted
            batch.finished.append(item.entry)
        batch.outgoing = sent.unsent  # marked "sending", never handed to the server
        self._leave(batch, marked=True)
        if sent.error is not None:
            raise sent.error

    def _leave(self, batch: _Batch, *, marked: bool) -> None:
        """The messages of a batch the run stops before sending.

        Cancelled: not sent. Otherwise those this run marked "sending" are
        pending again, and the others keep the status they had.
        """
        if self.cancelled:
            for item in batch.outgoing:
                finish(
                    item.entry, DeliveryStatus.NOT_SENT, reason=NotSentReason.CANCELLED
                )
                batch.finished.append(item.entry)
        elif marked:
            InteractionLogEntry.objects.filter(
                pk__in=[item.entry.pk for item in batch.outgoing]
            ).update(delivery_status=DeliveryStatus.PENDING)
        batch.outgoing = []

    def _must_stop(self) -> bool:
        """Asked to stop, or the logged segment was cancelled: tell the sending thread."""
        if self.should_stop():
            self.stop_sending.set()
            self.outcome.stopped = True
            return True
        now = time.monotonic()
        if now - self.checked_at < CANCEL_CHECK_SECONDS:
            return False
        self.checked_at = now
        if not LoggedSegment.objects.filter(pk=self.logged.pk, cancelled=True).exists():
            return False
        self._stop_for_cancellation()
        return True

    def _stop_for_cancellation(self) -> None:
        """The logged segment is cancelled: none of its pending e-mails will go.

        The entries of the batches in hand are left out here: their results are
        written (and counted) with their batch.
        """
        self.stop_sending.set()
        self.cancelled = True
        in_hand = [
            entry.pk
            for batch in self.unrecorded
            for entry in (*batch.finished, *(item.entry for item in batch.outgoing))
        ]
        self.outcome.not_sent += (
            pending_emails(self.logged.pk)
            .exclude(pk__in=in_hand)
            .update(
                delivery_status=DeliveryStatus.NOT_SENT,
                not_sent_reason=NotSentReason.CANCELLED,
            )
        )
        self.outcome.stopped = True

    def _write_results(self, batches: list[_Batch]) -> None:
        """Write the results of these batches, which then leave the run's hands."""
        for batch in batches:
            record_results(batch.finished, self.outcome)
        self.unrecorded = [batch for batch in self.unrecorded if batch not in batches]
        if batches and self.progress:
            self.progress()
