"""What a delivery run did, and how it writes each entry's result.

A run decides each entry's result in memory (`finish`) and writes a batch's
results with one UPDATE per kind of result (`record_results`).
"""

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from interactions.models import DeliveryStatus, InteractionLogEntry, NotSentReason


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


def reason_not_to_send(entry: InteractionLogEntry) -> str:
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


def finish(entry, status, *, reason: str = "", detail: str = "") -> None:
    entry.delivery_status = status
    entry.not_sent_reason = reason
    entry.delivery_detail = detail


def record_results(
    results: list[InteractionLogEntry], outcome: DeliveryOutcome
) -> None:
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
