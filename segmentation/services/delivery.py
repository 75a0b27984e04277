"""After Log with Send attachments: mark the hard copies printed, resend failed e-mails."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from contacts.models import CorrespondenceType
from core.audit import AuditEvent, record_event
from core.users import User
from interactions.models import (
    DeliveryStatus,
    InteractionLogEntry,
    LoggedSegment,
    NotSentReason,
)
from segmentation.delivery.jobs import start_delivery_job


def mark_printed(logged_segment: LoggedSegment, *, user: User) -> int:
    """Mark as Printed: the hard copies went out; their entries become printed.

    Returns how many entries were marked. Cancelled entries stay as they are.
    """
    now = timezone.now()
    with transaction.atomic():
        LoggedSegment.objects.filter(pk=logged_segment.pk).update(
            printed_at=now, printed_by=user
        )
        count = InteractionLogEntry.objects.filter(
            logged_segment=logged_segment,
            correspondence_type=CorrespondenceType.HARD_COPY,
            delivery_status=DeliveryStatus.PENDING,
            cancelled=False,
        ).update(delivery_status=DeliveryStatus.PRINTED, delivered_at=now)
        record_event(
            actor=user,
            action=AuditEvent.Action.MARK_PRINTED,
            obj=logged_segment,
            figures={"count": count},
        )
    logged_segment.printed_at, logged_segment.printed_by = now, user
    return count


def resend_failed(logged_segment: LoggedSegment, *, user: User) -> int:
    """Resend: the failed e-mails are pending again, for the next delivery run.

    Also the e-mails a cancellation stopped, once the logged segment and the
    entry are restored. Returns how many entries will be sent, by the delivery
    job queued in the same transaction. While another delivery of the segment is
    waiting or running, nothing changes (JobAlreadyRunning names that job): it
    might pass these entries by.
    """
    stopped_then_restored = Q(
        delivery_status=DeliveryStatus.NOT_SENT,
        not_sent_reason=NotSentReason.CANCELLED,
    )
    with transaction.atomic():
        locked = LoggedSegment.objects.select_for_update().get(pk=logged_segment.pk)
        if locked.cancelled:
            return 0
        count = InteractionLogEntry.objects.filter(
            Q(delivery_status=DeliveryStatus.FAILED) | stopped_then_restored,
            logged_segment=logged_segment,
            correspondence_type=CorrespondenceType.EMAIL,
            cancelled=False,
        ).update(
            delivery_status=DeliveryStatus.PENDING,
            not_sent_reason=NotSentReason.NONE,
        )
        record_event(
            actor=user,
            action=AuditEvent.Action.RESEND_FAILED,
            obj=locked,
            figures={"count": count},
        )
        if count:
            start_delivery_job(locked, user=user)
    return count
