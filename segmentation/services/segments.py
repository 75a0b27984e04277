"""Writes of a segment's header and lines; each owns its transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from contacts.numbering import take_numbers
from core.audit import AuditEvent, record_event
from core.users import User
from interactions.services import store_word_document
from segmentation.models import (
    CriteriaStep,
    RemovedSegmentLine,
    Segment,
    SegmentLine,
)


def save_segment(
    segment: Segment,
    *,
    fields: dict,
    upload: dict | None,
    user: User,
    take_template_defaults: bool = False,
    remove_document: bool = False,
) -> Segment:
    """Save a segment header; a new one gets the next number.

    With `take_template_defaults`, a new or changed template brings its cost,
    duration, flow, initiated-by, correspondence type and campaign (whatever
    `fields` says for them). An `upload` ({"name", "data"}) is stored, never
    changed afterwards, and becomes the segment's own document for every line.
    """
    with transaction.atomic(durable=True):
        action = AuditEvent.Action.UPDATE_SEGMENT
        if segment.pk:
            segment = lock_segment(segment)
        template = fields.get("template")
        template_changed = template is not None and (
            segment.pk is None or template.pk != segment.template_id
        )
        if template_changed and take_template_defaults:
            fields = {**fields, **template.interaction_defaults()}
        for name, value in fields.items():
            setattr(segment, name, value)
        if segment.campaign_id is None:
            # Reference 1.6: clearing the campaign clears its target and response.
            segment.campaign_target = segment.campaign_response = False
        if not segment.pk:
            segment.number = take_numbers("segment")[0]
            segment.created_by = user
            action = AuditEvent.Action.CREATE_SEGMENT
        if upload:
            segment.document = store_word_document(
                upload["data"], file_name=upload["name"], user=user
            )
        elif remove_document:
            segment.document = None
        segment.full_clean(
            exclude=[f.name for f in Segment._meta.fields if f.name not in fields],
            validate_unique=False,
        )
        segment.save()
        record_event(actor=user, action=action, obj=segment)
    return segment


def update_line(line: SegmentLine, *, fields: dict, user: User) -> SegmentLine:
    """Change a line's own interaction details; None means "as the header".

    Only SegmentLine.EDITABLE_FIELDS may be changed here.
    """
    others = set(fields) - set(SegmentLine.EDITABLE_FIELDS)
    if others:
        raise ValueError(f"A line's {', '.join(sorted(others))} cannot be changed.")
    with transaction.atomic(durable=True):
        line = _write_line(line, fields=fields)
        _record_line(line, AuditEvent.Action.UPDATE_LINE, user=user)
    return line


def personalise_line(
    line: SegmentLine,
    *,
    data: bytes | None,
    file_name: str = "",
    user: User,
) -> SegmentLine:
    """Give one line its own edited letter, used as it is; None goes back to the shared one.

    The header's and the template's documents are never touched.
    """
    with transaction.atomic(durable=True):
        document = (
            store_word_document(data, file_name=file_name, user=user)
            if data is not None
            else None
        )
        line = _write_line(line, fields={"personal_document": document})
        _record_line(line, AuditEvent.Action.PERSONALISE_LINE, user=user)
    return line


def _record_line(line: SegmentLine, action: str, *, user: User) -> None:
    record_event(
        actor=user,
        action=action,
        obj=line.segment,
        figures={"line": line.pk, "contact": str(line.contact)},
    )


def _write_line(line: SegmentLine, *, fields: dict) -> SegmentLine:
    """Set and save a line's fields (inside a transaction) under its segment's lock."""
    lock_segment(line.segment)
    for name, value in fields.items():
        setattr(line, name, value)
    line.full_clean(exclude=["segment", "contact", "added_by_step"])
    line.save(update_fields=list(fields))
    return line


def delete_segment(segment: Segment, *, user: User) -> None:
    """Delete a segment with its lines, snapshots and steps, set-based."""
    with transaction.atomic(durable=True):
        segment = lock_segment(segment)
        record_event(
            actor=user,
            action=AuditEvent.Action.DELETE_SEGMENT,
            obj=segment,
            figures={"count": segment.lines.count()},
        )
        delete_segment_rows(segment)


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
