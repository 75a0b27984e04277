"""Personalised letters older than the segment header's last change.

A personalised letter is used as it is, so once the header changes (its
salesperson, subject, date …) the letter still says what the header said when
it was uploaded, while the log records what the header says now.
"""

from segmentation.models import Segment, SegmentLine


def stale_letter_count(segment: Segment) -> int:
    """How many of the segment's lines have a letter uploaded before the header last changed."""
    return SegmentLine.objects.filter(
        segment=segment, personal_document__uploaded_at__lt=segment.modified_at
    ).count()
