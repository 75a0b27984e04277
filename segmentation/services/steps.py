"""Add, Reduce, Refine and Go Back: the steps of a segment, set-based.

Every step (by hand or by criteria) runs set-based: one INSERT … SELECT for the
lines it adds, or one INSERT … SELECT into the snapshot table plus one DELETE for
the lines it removes, so Go Back can restore them.
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import (
    F,
    Max,
    QuerySet,
    Value,
)
from django.utils.translation import gettext as _

from contacts.bulk import insert_from_queryset
from contacts.models import Contact
from core.audit import AuditEvent, record_event
from core.database import refresh_statistics_on_commit
from core.users import User
from interactions.models import LoggedSegment
from segmentation.criteria import matching_contacts
from segmentation.models import (
    CriteriaStep,
    EditedSegmentLine,
    RemovedSegmentLine,
    Segment,
    SegmentLine,
    StepDefinition,
)
from segmentation.selection import (
    candidates_for_add,
    contacts_to_add,
    count_add,
    lines_to_remove,
)
from segmentation.services.segments import lock_segment

Action = StepDefinition.Action


Origin = CriteriaStep.Origin

# The event an Add step records, by where its criteria came from.
ADD_EVENTS = {
    Origin.CRITERIA: AuditEvent.Action.ADD_CONTACTS,
    Origin.MANUAL: AuditEvent.Action.ADD_CONTACTS_BY_HAND,
    Origin.REUSE_SEGMENT: AuditEvent.Action.REUSE_SEGMENT,
    Origin.REUSE_CRITERIA: AuditEvent.Action.ADD_CONTACTS,
}
STEP_EVENTS = {
    Action.REDUCE: AuditEvent.Action.REDUCE_CONTACTS,
    Action.REFINE: AuditEvent.Action.REFINE_CONTACTS,
}


def add_contacts(
    segment: Segment,
    *,
    criteria: dict,
    user: User,
    allow_existing_contacts: bool = False,
    expand_companies: bool = False,
    allow_related_companies: bool = False,
    ignore_exclusion: bool = False,
    origin: str = Origin.CRITERIA,
) -> CriteriaStep:
    """Add Contacts: put every contact the criteria select on the segment, as one step.

    Privacy-blocked contacts are never added; excluded ones only with
    `ignore_exclusion`; contacts already on the segment only with
    `allow_existing_contacts` (as marked duplicates).
    """
    with transaction.atomic():
        segment = lock_segment(segment)
        candidates = candidates_for_add(
            matching_contacts(criteria),
            expand_companies=expand_companies,
            allow_related_companies=allow_related_companies,
        )
        step = new_step(
            segment,
            user=user,
            origin=origin,
            action=Action.ADD,
            parameters=criteria,
            allow_existing_contacts=allow_existing_contacts,
            expand_companies=expand_companies,
            allow_related_companies=allow_related_companies,
            ignore_exclusion=ignore_exclusion,
        )
        if origin in (Origin.REUSE_SEGMENT, Origin.MANUAL):
            # Reused and hand-picked contacts are few; say who was left out and why.
            step.left_out = count_add(
                segment,
                candidates,
                allow_existing_contacts=allow_existing_contacts,
                ignore_exclusion=ignore_exclusion,
            ).left_out()
        step.added_count = _insert_lines(
            segment,
            step,
            contacts_to_add(
                segment,
                candidates,
                allow_existing_contacts=allow_existing_contacts,
                ignore_exclusion=ignore_exclusion,
            ),
        )
        step.save(update_fields=["added_count", "left_out"])
        record_step(
            segment, step, ADD_EVENTS[origin], count=step.added_count, user=user
        )
    return step


def reduce_contacts(
    segment: Segment,
    *,
    criteria: dict,
    user: User,
    entire_companies: bool = False,
    origin: str = Origin.CRITERIA,
) -> CriteriaStep:
    """Reduce Contacts: remove the lines of the contacts the criteria select."""
    return remove_by_criteria(
        segment,
        action=Action.REDUCE,
        criteria=criteria,
        user=user,
        entire_companies=entire_companies,
        origin=origin,
    )


def refine_contacts(
    segment: Segment,
    *,
    criteria: dict,
    user: User,
    entire_companies: bool = False,
    origin: str = Origin.CRITERIA,
) -> CriteriaStep:
    """Refine Contacts: keep only the lines of the contacts the criteria select."""
    return remove_by_criteria(
        segment,
        action=Action.REFINE,
        criteria=criteria,
        user=user,
        entire_companies=entire_companies,
        origin=origin,
    )


# The buttons of the criteria page, by action (the view and its job call them).
STEP_SERVICES = {
    Action.ADD: add_contacts,
    Action.REDUCE: reduce_contacts,
    Action.REFINE: refine_contacts,
}


def add_contacts_by_hand(
    segment: Segment, *, contacts: Sequence[Contact], user: User
) -> CriteriaStep:
    """Add chosen contacts, as one step; refused whole if any of them cannot go on."""
    if not contacts:
        raise ValidationError(_("Choose at least one contact."))
    problems = []
    on_segment = set(
        segment.lines.filter(contact__in=contacts).values_list("contact_id", flat=True)
    )
    for contact in contacts:
        if contact.privacy_blocked:
            problems.append(_("%(contact)s is privacy blocked.") % {"contact": contact})
        elif contact.exclude_from_segments:
            problems.append(
                _("%(contact)s is excluded from segments.") % {"contact": contact}
            )
        elif contact.pk in on_segment:
            problems.append(
                _("%(contact)s is already on the segment.") % {"contact": contact}
            )
    if problems:
        raise ValidationError(
            [*problems, _("No contact was added.")], code="contact_refused"
        )
    numbers = " ".join(sorted(contact.number for contact in contacts))
    return add_contacts(
        segment, criteria={"number": [numbers]}, user=user, origin=Origin.MANUAL
    )


def remove_lines(
    segment: Segment, *, line_ids: Sequence[int], user: User
) -> CriteriaStep:
    """Remove the chosen lines, as one Reduce step that Go Back can undo."""
    with transaction.atomic(durable=True):
        segment = lock_segment(segment)
        lines = SegmentLine.objects.filter(segment=segment, pk__in=line_ids)
        numbers = sorted(set(lines.values_list("contact__number", flat=True)))
        if not numbers:
            raise ValidationError(_("Select at least one line."))
        step = new_step(
            segment,
            user=user,
            origin=Origin.MANUAL,
            action=Action.REDUCE,
            parameters={"number": [" ".join(numbers)]},
        )
        step.removed_count = _snapshot_and_delete(lines, step)
        step.save(update_fields=["removed_count"])
        record_step(
            segment,
            step,
            AuditEvent.Action.REMOVE_LINES,
            count=step.removed_count,
            user=user,
        )
    return step


def go_back(segment: Segment, *, user: User) -> CriteriaStep:
    """Undo the last step exactly: its lines go, the lines it removed come back as they were."""
    with transaction.atomic(durable=True):
        segment = lock_segment(segment)
        step = segment.steps.order_by("-number").first()
        if step is None:
            raise ValidationError(_("There is no step to undo."))
        taken_off, _by_model = SegmentLine.objects.filter(added_by_step=step).delete()
        removed = RemovedSegmentLine.objects.filter(removed_by_step=step)
        restored = insert_from_queryset(
            SegmentLine,
            {field.attname: F(field.attname) for field in _line_fields()},
            removed,
        )
        removed.delete()
        if step.action == Action.EDIT:
            _restore_edited_lines(step)
        record_step(
            segment,
            step,
            AuditEvent.Action.GO_BACK,
            count=taken_off,
            user=user,
            restored=restored,
        )
        step.delete()
    return step


def reuse_segment(
    segment: Segment, *, logged_segment: LoggedSegment, user: User
) -> CriteriaStep:
    """Reuse Segment: add the contacts of a logged segment, as one Add step."""
    return add_contacts(
        segment,
        criteria={"logged_segment": [str(logged_segment.pk)]},
        user=user,
        origin=Origin.REUSE_SEGMENT,
    )


def remove_by_criteria(
    segment: Segment,
    *,
    action: str,
    criteria: dict,
    user: User,
    entire_companies: bool,
    origin: str,
) -> CriteriaStep:
    """Reduce or Refine: snapshot and delete the lines the criteria pick, as one step."""
    with transaction.atomic():
        segment = lock_segment(segment)
        lines = lines_to_remove(
            segment,
            action,
            matching_contacts(criteria),
            entire_companies=entire_companies,
        )
        step = new_step(
            segment,
            user=user,
            origin=origin,
            action=action,
            parameters=criteria,
            entire_companies=entire_companies,
        )
        step.removed_count = _snapshot_and_delete(lines, step)
        step.save(update_fields=["removed_count"])
        record_step(
            segment, step, STEP_EVENTS[action], count=step.removed_count, user=user
        )
    return step


def _restore_edited_lines(step: CriteriaStep) -> None:
    """Put back the details an Edit Lines step changed, in one UPDATE … FROM its snapshot.

    Only the fields the step changed go back: a later hand edit of another
    field stays. UPDATE … FROM is the same in PostgreSQL and SQLite (3.33+).
    """
    quote = connection.ops.quote_name
    columns = [
        SegmentLine._meta.get_field(name).column for name in step.parameters["fields"]
    ]
    assignments = ", ".join(
        f"{quote(column)} = snapshot.{quote(column)}" for column in columns
    )
    lines = quote(SegmentLine._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {lines} SET {assignments} "
            f"FROM {quote(EditedSegmentLine._meta.db_table)} snapshot "
            f"WHERE snapshot.edited_by_step_id = %s AND {lines}.id = snapshot.line_id",
            [step.pk],
        )


def record_step(
    segment: Segment,
    step: CriteriaStep,
    action: str,
    *,
    count: int,
    user: User,
    **figures,
) -> None:
    record_event(
        actor=user,
        action=action,
        obj=segment,
        figures={"step": step.number, "count": count, **figures},
    )


def new_step(segment: Segment, *, user: User, **fields) -> CriteriaStep:
    # A step may add or remove thousands of lines: the planner should know.
    refresh_statistics_on_commit(SegmentLine, RemovedSegmentLine, EditedSegmentLine)
    last = segment.steps.aggregate(last=Max("number"))["last"] or 0
    return CriteriaStep.objects.create(
        segment=segment, number=last + 1, created_by=user, **fields
    )


def _insert_lines(
    segment: Segment, step: CriteriaStep, contacts: QuerySet[Contact]
) -> int:
    return insert_from_queryset(
        SegmentLine,
        {
            "segment_id": Value(segment.pk),
            "contact_id": F("pk"),
            "is_duplicate": F("on_segment"),
            "added_by_step_id": Value(step.pk),
            "evaluation": Value(""),
            "personal_comment": Value(""),
        },
        contacts,
    )


def _line_fields():
    return [
        field
        for field in RemovedSegmentLine._meta.concrete_fields
        if field.name != "removed_by_step"
    ]


def _snapshot_and_delete(lines: QuerySet[SegmentLine], step: CriteriaStep) -> int:
    columns = {field.attname: F(field.attname) for field in _line_fields()}
    columns["id"] = F("pk")
    columns["removed_by_step_id"] = Value(step.pk)
    removed = insert_from_queryset(RemovedSegmentLine, columns, lines)
    # Delete exactly the snapshotted lines, whatever changed since the SELECT.
    SegmentLine.objects.filter(
        pk__in=RemovedSegmentLine.objects.filter(removed_by_step=step).values("pk")
    ).delete()
    return removed
