"""Writes of a segment's header and lines; each owns its transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from contacts.numbering import take_numbers
from interactions.services import store_word_document
from segmentation.forms import SegmentForm
from segmentation.models import (
    CriteriaStep,
    RemovedSegmentLine,
    Segment,
    SegmentLine,
)


def save_segment(form: SegmentForm, *, user) -> Segment:
    """Save a segment header from a valid form; a new one gets the next number.

    An uploaded Word document is stored (never changed afterwards) and becomes
    the segment's own document for every line.
    """
    with transaction.atomic():
        segment = form.save(commit=False)
        if not segment.pk:
            segment.number = take_numbers("segment")[0]
            segment.created_by = user
        upload = form.cleaned_data.get("upload")
        if upload:
            segment.document = store_word_document(
                upload["data"], file_name=upload["name"], user=user
            )
        elif form.cleaned_data.get("remove_document"):
            segment.document = None
        segment.save()
    return segment


def update_line(line: SegmentLine, *, fields: dict) -> SegmentLine:
    """Change a line's own interaction details; None means "as the header"."""
    with transaction.atomic():
        lock_segment(line.segment)
        for name, value in fields.items():
            setattr(line, name, value)
        line.full_clean(exclude=["segment", "contact", "added_by_step"])
        line.save(update_fields=list(fields))
    return line


def personalise_line(
    line: SegmentLine, *, data: bytes | None, file_name: str = "", user=None
) -> SegmentLine:
    """Give one line its own edited letter, used as it is; None goes back to the shared one.

    The header's and the template's documents are never touched.
    """
    with transaction.atomic():
        document = (
            store_word_document(data, file_name=file_name, user=user)
            if data is not None
            else None
        )
        return update_line(line, fields={"personal_document": document})


def delete_segment(segment: Segment) -> None:
    """Delete a segment with its lines, snapshots and steps, set-based."""
    with transaction.atomic():
        delete_segment_rows(lock_segment(segment))


def lock_segment(segment: Segment) -> Segment:
    """The segment re-read under its row lock; a message if it is gone."""
    # Steps on one segment run one at a time: the row lock queues concurrent
    # requests (SQLite's IMMEDIATE transactions do the same for the whole file).
    try:
        return Segment.objects.select_for_update().get(pk=segment.pk)
    except Segment.DoesNotExist as error:
        raise ValidationError(
            _("Segment %(number)s no longer exists; it may have been logged.")
            % {"number": segment.number}
        ) from error


def delete_segment_rows(segment: Segment) -> None:
    """Delete a segment with its lines, snapshots and steps (inside a transaction)."""
    # Children first, each in one statement; the segment row last.
    SegmentLine.objects.filter(segment=segment).delete()
    RemovedSegmentLine.objects.filter(segment=segment).delete()
    CriteriaStep.objects.filter(segment=segment).delete()
    segment.delete()
