"""How far a logged segment's delivery is: entries counted by delivery status."""

from django.db.models import Count

from interactions.models import DeliveryStatus, InteractionLogEntry, LoggedSegment


def delivery_counts(logged_segment: LoggedSegment) -> dict[str, int]:
    """Entries per delivery status (one grouped query); statuses without entries left out."""
    rows = (
        InteractionLogEntry.objects.filter(logged_segment=logged_segment)
        .exclude(delivery_status=DeliveryStatus.NONE)
        .values_list("delivery_status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return dict(rows)
