"""Writes of segments; each owns its transaction and locks the segment it changes.

Every step (Add, Reduce, Refine, by hand or by criteria) runs set-based: one
INSERT … SELECT for the lines it adds, or one INSERT … SELECT into the snapshot
table plus one DELETE for the lines it removes, so Go Back can restore them.
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Case,
    DateTimeField,
    F,
    IntegerField,
    Max,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext as _

from contacts.bulk import insert_from_queryset
from contacts.models import Contact, CorrespondenceType
from contacts.numbering import take_numbers
from interactions.models import InteractionLogEntry, LoggedSegment
from interactions.services import store_word_document
from segmentation.criteria import matching_contacts
from segmentation.effective import with_effective_values
from segmentation.forms import SegmentForm
from segmentation.log_check import check_log
from segmentation.models import (
    CriteriaStep,
    RemovedSegmentLine,
    SavedCriteria,
    SavedCriteriaStep,
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

Action = StepDefinition.Action
Origin = CriteriaStep.Origin
OPTION_FIELDS = [
    "allow_existing_contacts",
    "expand_companies",
    "allow_related_companies",
    "ignore_exclusion",
    "entire_companies",
]


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


def add_contacts(
    segment: Segment,
    *,
    criteria: dict,
    user,
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
        segment = _locked(segment)
        candidates = candidates_for_add(
            matching_contacts(criteria),
            expand_companies=expand_companies,
            allow_related_companies=allow_related_companies,
        )
        step = _new_step(
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
    return step


def reduce_contacts(
    segment: Segment,
    *,
    criteria: dict,
    user,
    entire_companies: bool = False,
    origin: str = Origin.CRITERIA,
) -> CriteriaStep:
    """Reduce Contacts: remove the lines of the contacts the criteria select."""
    return _remove_by_criteria(
        segment, Action.REDUCE, criteria, user, entire_companies, origin
    )


def refine_contacts(
    segment: Segment,
    *,
    criteria: dict,
    user,
    entire_companies: bool = False,
    origin: str = Origin.CRITERIA,
) -> CriteriaStep:
    """Refine Contacts: keep only the lines of the contacts the criteria select."""
    return _remove_by_criteria(
        segment, Action.REFINE, criteria, user, entire_companies, origin
    )


def add_contacts_by_hand(
    segment: Segment, *, contacts: Sequence[Contact], user
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


def remove_lines(segment: Segment, *, line_ids: Sequence[int], user) -> CriteriaStep:
    """Remove the chosen lines, as one Reduce step that Go Back can undo."""
    with transaction.atomic():
        segment = _locked(segment)
        lines = SegmentLine.objects.filter(segment=segment, pk__in=line_ids)
        numbers = sorted(set(lines.values_list("contact__number", flat=True)))
        if not numbers:
            raise ValidationError(_("Select at least one line."))
        step = _new_step(
            segment,
            user=user,
            origin=Origin.MANUAL,
            action=Action.REDUCE,
            parameters={"number": [" ".join(numbers)]},
        )
        step.removed_count = _snapshot_and_delete(lines, step)
        step.save(update_fields=["removed_count"])
    return step


def go_back(segment: Segment, *, user) -> CriteriaStep:
    """Undo the last step exactly: its lines go, the lines it removed come back as they were."""
    with transaction.atomic():
        segment = _locked(segment)
        step = segment.steps.order_by("-number").first()
        if step is None:
            raise ValidationError(_("There is no step to undo."))
        SegmentLine.objects.filter(added_by_step=step).delete()
        removed = RemovedSegmentLine.objects.filter(removed_by_step=step)
        insert_from_queryset(
            SegmentLine,
            {field.attname: F(field.attname) for field in _line_fields()},
            removed,
        )
        removed.delete()
        step.delete()
    return step


def clear_criteria(segment: Segment, *, user) -> int:
    """Forget every step of an empty segment; return how many there were."""
    with transaction.atomic():
        segment = _locked(segment)
        if segment.lines.exists():
            raise ValidationError(
                _("The segment still has lines; its steps are what Go Back undoes.")
            )
        _total, deleted = CriteriaStep.objects.filter(segment=segment).delete()
    return deleted.get(CriteriaStep._meta.label, 0)


def save_criteria(
    segment: Segment, *, code: str, description: str, user
) -> SavedCriteria:
    """Save Criteria: keep the segment's steps under a code, for Reuse Criteria."""
    with transaction.atomic():
        steps = list(segment.steps.order_by("number"))
        if not steps:
            raise ValidationError(_("The segment has no criteria steps to save."))
        if SavedCriteria.objects.filter(code__iexact=code).exists():
            raise ValidationError(
                _("Saved criteria %(code)s already exist; choose another code.")
                % {"code": code}
            )
        saved = SavedCriteria.objects.create(
            code=code, description=description, created_by=user
        )
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
    return saved


def reuse_criteria(
    segment: Segment, *, saved_criteria: SavedCriteria, user
) -> list[CriteriaStep]:
    """Reuse Criteria: replay saved steps against today's contacts, as new steps.

    All or nothing: if one step's criteria are no longer valid, no step is applied.
    """
    with transaction.atomic():
        return [
            _replay(segment, definition, user=user)
            for definition in saved_criteria.steps.order_by("number")
        ]


def reuse_segment(
    segment: Segment, *, logged_segment: LoggedSegment, user
) -> CriteriaStep:
    """Reuse Segment: add the contacts of a logged segment, as one Add step."""
    return add_contacts(
        segment,
        criteria={"logged_segment": [str(logged_segment.pk)]},
        user=user,
        origin=Origin.REUSE_SEGMENT,
    )


def update_line(line: SegmentLine, *, fields: dict) -> SegmentLine:
    """Change a line's own interaction details; None means "as the header"."""
    with transaction.atomic():
        _locked(line.segment)
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
        _delete_segment_rows(_locked(segment))


def log_segment(
    segment: Segment, *, user, create_follow_up: bool = False, deliver: bool = False
) -> LoggedSegment:
    """Log: one interaction log entry per line, and the segment moves to the archive.

    All in one transaction under the segment's row lock: the guards are checked
    again inside it, the entries are written by one INSERT … SELECT from the
    lines' effective values, the segment, its lines and steps are deleted, and the
    follow-up segment (if asked for) is made. Any failure leaves everything as it
    was. Without `deliver`, e-mail lines of contacts without an address are logged
    with no correspondence type (reference 2.12, 6a); with it, they block logging.

    The follow-up segment, if any, is on the returned object as `follow_up`.
    """
    with transaction.atomic():
        try:
            segment = Segment.objects.select_for_update().get(pk=segment.pk)
        except Segment.DoesNotExist as error:
            raise AlreadyLogged(segment.number) from error
        check = check_log(segment)
        problems = check.blocking(deliver=deliver)
        if problems:
            raise ValidationError(problems)
        logged = LoggedSegment.objects.create(
            segment_number=segment.number,
            description=segment.description,
            campaign_id=segment.campaign_id,
            contact_count=check.contacts,
            created_by=user,
        )
        logged.entry_count = insert_from_queryset(
            InteractionLogEntry,
            _entry_columns(logged, user),
            with_effective_values(SegmentLine.objects.filter(segment=segment)).order_by(
                "pk"
            ),
        )
        logged.save(update_fields=["entry_count"])
        _delete_segment_rows(segment)
        logged.follow_up = (
            create_follow_up_segment(logged, user=user) if create_follow_up else None
        )
    return logged


class AlreadyLogged(ValidationError):
    """The segment is gone: another request logged it first."""

    def __init__(self, number: str):
        self.segment_number = number
        self.logged_segment = LoggedSegment.objects.filter(
            segment_number=number
        ).first()
        super().__init__(
            _("Segment %(number)s has already been logged.") % {"number": number}
        )


def create_follow_up_segment(
    logged_segment: LoggedSegment,
    *,
    user,
    correspondence_types: Sequence[str] = (),
    languages: Sequence[str] = (),
) -> Segment:
    """A new segment with the contacts of a logged segment, as one Reuse Segment step.

    Optionally only the contacts whose interaction had one of the given
    correspondence types or languages.
    """
    criteria = {"logged_segment": [str(logged_segment.pk)]}
    if correspondence_types:
        criteria["logged_correspondence_type"] = list(correspondence_types)
    if languages:
        criteria["logged_language"] = [" ".join(languages)]
    with transaction.atomic():
        follow_up = Segment.objects.create(
            number=take_numbers("segment")[0],
            description=(
                _("Follow-up on segment %(number)s")
                % {"number": logged_segment.segment_number}
            )[:100],
            campaign_id=logged_segment.campaign_id,
            salesperson=getattr(user, "salesperson", None),
            created_by=user,
        )
        add_contacts(
            follow_up, criteria=criteria, user=user, origin=Origin.REUSE_SEGMENT
        )
    return follow_up


def _replay(segment: Segment, definition: StepDefinition, *, user) -> CriteriaStep:
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
    return _remove_by_criteria(
        segment,
        definition.action,
        definition.parameters,
        user,
        definition.entire_companies,
        Origin.REUSE_CRITERIA,
    )


def _remove_by_criteria(segment, action, criteria, user, entire_companies, origin):
    with transaction.atomic():
        segment = _locked(segment)
        lines = lines_to_remove(
            segment,
            action,
            matching_contacts(criteria),
            entire_companies=entire_companies,
        )
        step = _new_step(
            segment,
            user=user,
            origin=origin,
            action=action,
            parameters=criteria,
            entire_companies=entire_companies,
        )
        step.removed_count = _snapshot_and_delete(lines, step)
        step.save(update_fields=["removed_count"])
    return step


def _locked(segment: Segment) -> Segment:
    # Steps on one segment run one at a time: the row lock queues concurrent
    # requests (SQLite's IMMEDIATE transactions do the same for the whole file).
    try:
        return Segment.objects.select_for_update().get(pk=segment.pk)
    except Segment.DoesNotExist as error:
        raise ValidationError(
            _("Segment %(number)s no longer exists; it may have been logged.")
            % {"number": segment.number}
        ) from error


def _new_step(segment: Segment, *, user, **fields) -> CriteriaStep:
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


def _delete_segment_rows(segment: Segment) -> None:
    # Children first, each in one statement; the segment row last.
    SegmentLine.objects.filter(segment=segment).delete()
    RemovedSegmentLine.objects.filter(segment=segment).delete()
    CriteriaStep.objects.filter(segment=segment).delete()
    segment.delete()


def _entry_columns(logged: LoggedSegment, user) -> dict:
    """Each log entry column, from a line annotated with its effective values."""
    return {
        "contact_id": F("contact_id"),
        "contact_company_id": Case(
            When(contact__type=Contact.Type.COMPANY, then=F("contact_id")),
            default=F("contact__company_id"),
        ),
        "date": F("effective_date"),
        "description": F("effective_description"),
        "subject": F("effective_subject"),
        "template_id": F("effective_template_id"),
        "group_id": F("effective_group_id"),
        "language": F("effective_language"),
        "information_flow": F("effective_information_flow"),
        "initiated_by": F("effective_initiated_by"),
        # Without delivery, an e-mail to nobody is logged as no correspondence.
        "correspondence_type": Case(
            When(
                effective_correspondence_type=CorrespondenceType.EMAIL,
                contact__email="",
                then=Value(CorrespondenceType.BLANK),
            ),
            default=F("effective_correspondence_type"),
        ),
        "cost": F("effective_cost"),
        "duration": F("effective_duration"),
        "salesperson_id": F("effective_salesperson_id"),
        "campaign_id": F("effective_campaign_id"),
        "evaluation": F("evaluation"),
        "attempt_failed": Value(False),
        "cancelled": Value(False),
        "document_id": F("effective_document_id"),
        "document_is_personalised": Case(
            When(personal_document__isnull=False, then=Value(True)),
            default=Value(False),
        ),
        "personal_comment": F("personal_comment"),
        "logged_segment_id": Value(logged.pk),
        "segment_number": Value(logged.segment_number),
        "created_by_id": Value(user.pk if user else None, output_field=IntegerField()),
        "created_at": Value(logged.created_at, output_field=DateTimeField()),
    }


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
