"""Saved criteria: clear a segment's steps, save them, replay them."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import AuditEvent, nested_services, record_event
from core.users import User
from segmentation.models import (
    CriteriaStep,
    SavedCriteria,
    SavedCriteriaStep,
    Segment,
    StepDefinition,
)
from segmentation.services.segments import lock_segment
from segmentation.services.steps import Origin, add_contacts, remove_by_criteria

Action = StepDefinition.Action


OPTION_FIELDS = [
    "allow_existing_contacts",
    "expand_companies",
    "allow_related_companies",
    "ignore_exclusion",
    "entire_companies",
]


def clear_criteria(segment: Segment, *, user: User) -> int:
    """Forget every step of an empty segment; return how many there were."""
    with transaction.atomic(durable=True):
        segment = lock_segment(segment)
        if segment.lines.exists():
            raise ValidationError(
                _("The segment still has lines; its steps are what Go Back undoes.")
            )
        _total, deleted = CriteriaStep.objects.filter(segment=segment).delete()
        count = deleted.get(CriteriaStep._meta.label, 0)
        record_event(
            actor=user,
            action=AuditEvent.Action.CLEAR_CRITERIA,
            obj=segment,
            figures={"count": count},
        )
    return count


def save_criteria(
    segment: Segment, *, code: str, description: str, user: User
) -> SavedCriteria:
    """Save Criteria: keep the segment's steps under a code, for Reuse Criteria."""
    with transaction.atomic(durable=True):
        # Edit Lines changed details of lines that exist today, not criteria.
        steps = list(segment.steps.exclude(action=Action.EDIT).order_by("number"))
        if not steps:
            raise ValidationError(_("The segment has no criteria steps to save."))
        taken = ValidationError(
            _("Saved criteria %(code)s already exist; choose another code.")
            % {"code": code}
        )
        if SavedCriteria.objects.filter(code__iexact=code).exists():
            raise taken
        # Another request may save the same code between the check and the
        # insert: the unique constraint catches it, in a savepoint so the
        # transaction stays usable for the message.
        try:
            with transaction.atomic():
                saved = SavedCriteria.objects.create(
                    code=code, description=description, created_by=user
                )
        except IntegrityError as error:
            raise taken from error
        SavedCriteriaStep.objects.bulk_create(
            SavedCriteriaStep(
                saved_criteria=saved,
                number=index,
                action=step.action,
                parameters=step.parameters,
                **{name: getattr(step, name) for name in OPTION_FIELDS},
            )
            for index, step in enumerate(steps, start=1)
        )
        record_event(
            actor=user,
            action=AuditEvent.Action.SAVE_CRITERIA,
            obj=segment,
            figures={"code": saved.code, "count": len(steps)},
        )
    return saved


def reuse_criteria(
    segment: Segment, *, saved_criteria: SavedCriteria, user: User
) -> list[CriteriaStep]:
    """Reuse Criteria: replay saved steps against today's contacts, as new steps.

    All or nothing: if one step's criteria are no longer valid, no step is applied.
    """
    with transaction.atomic(durable=True):
        with nested_services():
            steps = [
                _replay(segment, definition, user=user)
                for definition in saved_criteria.steps.order_by("number")
            ]
        record_event(
            actor=user,
            action=AuditEvent.Action.REUSE_CRITERIA,
            obj=segment,
            figures={
                "code": saved_criteria.code,
                "count": len(steps),
                "added": sum(step.added_count for step in steps),
                "removed": sum(step.removed_count for step in steps),
            },
        )
    return steps


class _Preview(Exception):
    """Carries a preview's figures out of the transaction it rolls back."""

    def __init__(self, steps: list[dict]):
        self.steps = steps


def preview_reuse_criteria(
    segment: Segment, *, saved_criteria: SavedCriteria
) -> list[dict]:
    """What Reuse Criteria would do today, step by step; nothing is changed.

    Each step works on what the steps before it left, so the steps are replayed
    in a transaction that is then rolled back: the counts are exactly what
    applying them now would do. ValidationError as reuse_criteria raises it.
    """
    try:
        with transaction.atomic(), nested_services():
            steps = [
                _replay(segment, definition, user=None)
                for definition in saved_criteria.steps.order_by("number")
            ]
            raise _Preview(
                [
                    {
                        "number": number,
                        "action": step.get_action_display(),
                        "is_add": step.action == Action.ADD,
                        "parameters": step.parameters,
                        "added": step.added_count,
                        "removed": step.removed_count,
                    }
                    for number, step in enumerate(steps, start=1)
                ]
            )
    except _Preview as preview:
        return preview.steps


def _replay(
    segment: Segment, definition: StepDefinition, *, user: User
) -> CriteriaStep:
    if definition.action == Action.ADD:
        return add_contacts(
            segment,
            criteria=definition.parameters,
            user=user,
            allow_existing_contacts=definition.allow_existing_contacts,
            expand_companies=definition.expand_companies,
            allow_related_companies=definition.allow_related_companies,
            ignore_exclusion=definition.ignore_exclusion,
            origin=Origin.REUSE_CRITERIA,
        )
    # Unlike the reference, Refine keeps its Entire Companies option on replay.
    return remove_by_criteria(
        segment,
        action=definition.action,
        criteria=definition.parameters,
        user=user,
        entire_companies=definition.entire_companies,
        origin=Origin.REUSE_CRITERIA,
    )


def rename_saved_criteria(
    saved_criteria: SavedCriteria, *, code: str, description: str, user: User
) -> SavedCriteria:
    """Rename: a new code and description for saved criteria; the steps stay."""
    with transaction.atomic(durable=True):
        locked = _lock_saved_criteria(saved_criteria)
        old_code = locked.code
        taken = ValidationError(
            _("Saved criteria %(code)s already exist; choose another code.")
            % {"code": code}
        )
        if (
            SavedCriteria.objects.filter(code__iexact=code)
            .exclude(pk=locked.pk)
            .exists()
        ):
            raise taken
        locked.code = code
        locked.description = description
        try:
            with transaction.atomic():
                locked.save(update_fields=["code", "description"])
        except IntegrityError as error:
            raise taken from error
        record_event(
            actor=user,
            action=AuditEvent.Action.RENAME_SAVED_CRITERIA,
            obj=locked,
            label=code,
            figures={"old_code": old_code, "code": code},
        )
    return locked


def delete_saved_criteria(saved_criteria: SavedCriteria, *, user: User) -> int:
    """Delete saved criteria with their steps; return how many steps went."""
    with transaction.atomic(durable=True):
        locked = _lock_saved_criteria(saved_criteria)
        steps = SavedCriteriaStep.objects.filter(saved_criteria=locked).delete()[0]
        SavedCriteria.objects.filter(pk=locked.pk).delete()
        record_event(
            actor=user,
            action=AuditEvent.Action.DELETE_SAVED_CRITERIA,
            obj=locked,
            label=locked.code,
            figures={"code": locked.code, "count": steps},
        )
    return steps


def _lock_saved_criteria(saved_criteria: SavedCriteria) -> SavedCriteria:
    try:
        return SavedCriteria.objects.select_for_update().get(pk=saved_criteria.pk)
    except SavedCriteria.DoesNotExist as error:
        raise ValidationError(
            _("Saved criteria %(code)s no longer exist.")
            % {"code": saved_criteria.code}
        ) from error
