"""Edit Lines: set or reset the details of many segment lines at once, as one step.

Set-based: one INSERT … SELECT snapshots the chosen lines' details (what Go
Back puts back), one UPDATE changes exactly the snapshotted lines.
"""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Model, Value
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contacts.bulk import insert_from_queryset
from core.audit import AuditEvent
from core.users import User
from segmentation.line_filter import filter_parameters, matching_lines
from segmentation.models import (
    CriteriaStep,
    EditedSegmentLine,
    Segment,
    SegmentLine,
    StepDefinition,
)
from segmentation.services.segments import lock_segment
from segmentation.services.steps import Origin, new_step, record_step

SNAPSHOT_FIELDS = [
    field.attname
    for field in EditedSegmentLine._meta.concrete_fields
    if field.name not in ("id", "line_id", "edited_by_step")
]


def edit_lines(
    segment: Segment,
    *,
    changes: dict,
    user: User,
    line_ids: Sequence[int] = (),
    filters: dict | None = None,
    expected_count: int,
) -> CriteriaStep:
    """Edit Lines: give the chosen lines new details, or None = back to the header's.

    The lines are either `line_ids` or, with `filters`, every line the workbench
    filter matches. `expected_count` is how many lines the user was shown: if
    the selection no longer has that many, nothing changes.
    """
    _check_changes(segment, changes)
    if filters is None and not line_ids:
        raise ValidationError(_("Select at least one line."))
    # Not durable: above STEP_LINES_IN_REQUEST a job runs it in its transaction.
    with transaction.atomic():
        segment = lock_segment(segment)
        if filters is None:
            lines = SegmentLine.objects.filter(segment=segment, pk__in=line_ids)
        else:
            lines = matching_lines(segment, filters)
        step = new_step(
            segment,
            user=user,
            origin=Origin.WORKBENCH,
            action=StepDefinition.Action.EDIT,
            parameters={
                "fields": {name: _plain(value) for name, value in changes.items()},
                "filter": filter_parameters(filters) if filters is not None else None,
            },
        )
        columns = {name: F(name) for name in SNAPSHOT_FIELDS}
        columns["line_id"] = F("pk")
        columns["edited_by_step_id"] = Value(step.pk)
        step.edited_count = insert_from_queryset(
            EditedSegmentLine, columns, lines.order_by()
        )
        if step.edited_count != expected_count:
            raise _stale(expected_count, step.edited_count)
        SegmentLine.objects.filter(
            pk__in=EditedSegmentLine.objects.filter(edited_by_step=step).values(
                "line_id"
            )
        ).update(**changes)
        step.save(update_fields=["edited_count"])
        record_step(
            segment,
            step,
            AuditEvent.Action.EDIT_LINES,
            count=step.edited_count,
            user=user,
        )
    return step


def _check_changes(segment: Segment, changes: dict) -> None:
    if not changes:
        raise ValidationError(
            _("Give a new value or tick “reset to the header” for at least one field.")
        )
    others = set(changes) - set(SegmentLine.OVERRIDABLE_FIELDS)
    if others:
        raise ValueError(f"Edit Lines cannot change {', '.join(sorted(others))}.")
    probe = SegmentLine(segment=segment, **changes)
    probe.clean_fields(
        exclude=[
            field.name
            for field in SegmentLine._meta.fields
            if field.name not in changes or changes[field.name] is None
        ]
    )


def _stale(expected: int, found: int) -> ValidationError:
    return ValidationError(
        ngettext(
            "You chose %(expected)d line, but %(found)d match now: the segment "
            "changed meanwhile. Nothing was changed; look at the lines again.",
            "You chose %(expected)d lines, but %(found)d match now: the segment "
            "changed meanwhile. Nothing was changed; look at the lines again.",
            expected,
        )
        % {"expected": expected, "found": found},
        code="stale",
    )


def _plain(value):
    """A new value as JSON for the step's parameters: codes for records."""
    if isinstance(value, Model):
        return getattr(value, "code", value.pk)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
