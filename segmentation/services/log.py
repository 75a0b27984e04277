"""Log: the one transaction that moves a segment into the interaction log."""

from collections.abc import Callable, Sequence

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Case,
    DateTimeField,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext as _

from contacts.bulk import insert_from_queryset
from contacts.models import Contact, CorrespondenceType
from contacts.numbering import take_numbers
from core.audit import AuditEvent, nested_services, record_event
from core.database import refresh_statistics_on_commit
from core.users import User
from interactions.models import (
    CampaignEntry,
    DeliveryStatus,
    InteractionLogEntry,
    InteractionTemplate,
    LoggedSegment,
    NotSentReason,
)
from segmentation.delivery.jobs import start_delivery_job
from segmentation.effective import with_effective_values
from segmentation.log_check import LogCheck, check_log
from segmentation.models import (
    Segment,
    SegmentLine,
)
from segmentation.services.segments import delete_segment_rows
from segmentation.services.steps import Origin, add_contacts


def log_segment(
    segment: Segment,
    *,
    user: User,
    create_follow_up: bool = False,
    deliver: bool = False,
    expected_lines: int | None = None,
    expected_step: int | None = None,
    on_phase: Callable[[str], None] = lambda phase: None,
) -> LoggedSegment:
    """Log: one interaction log entry per line, and the segment moves to the archive.

    All in one transaction under the segment's row lock: the guards are checked
    again inside it, the entries are written by one INSERT … SELECT from the
    lines' effective values, the segment, its lines and steps are deleted, and the
    follow-up segment (if asked for) is made. Any failure leaves everything as it
    was. Without `deliver`, e-mail lines of contacts without an address are logged
    with no correspondence type (reference 2.12, 6a); with it, they block logging.

    With `deliver` and e-mail lines, the job that sends the e-mails is queued in
    the same transaction (segmentation.delivery.jobs).

    `expected_lines` and `expected_step` are the line count and last step number
    the user confirmed; if another request changed the segment since, nothing is
    logged and StaleConfirmation says what it holds now.

    The follow-up segment, if any, is on the returned object as `follow_up`; the
    delivery job, if any, as `delivery_job`.
    """
    with transaction.atomic(durable=True):
        try:
            segment = Segment.objects.select_for_update().get(pk=segment.pk)
        except Segment.DoesNotExist as error:
            raise AlreadyLogged(segment.number) from error
        check = check_log(segment)
        confirmed = (expected_lines, expected_step)
        if confirmed != (None, None) and not check.is_what_was_confirmed(
            lines=expected_lines, last_step=expected_step
        ):
            raise StaleConfirmation(segment.number, check)
        problems = check.blocking(deliver=deliver)
        if problems:
            raise ValidationError(problems)
        on_phase(_("Writing the interactions"))
        logged = LoggedSegment.objects.create(
            segment_number=segment.number,
            description=segment.description,
            **header_details(segment),
            contact_count=check.contacts,
            created_by=user,
        )
        lines = with_effective_values(SegmentLine.objects.filter(segment=segment))
        has_campaign_entries = (
            _may_have_campaign(segment)
            and _create_campaign_entries(logged, lines, user=user) > 0
        )
        logged.entry_count = insert_from_queryset(
            InteractionLogEntry,
            _entry_columns(
                logged,
                user=user,
                deliver=deliver,
                has_campaign_entries=has_campaign_entries,
            ),
            lines.order_by("pk"),
        )
        logged.save(update_fields=["entry_count"])
        on_phase(_("Removing the segment"))
        delete_segment_rows(segment)
        refresh_statistics_on_commit(InteractionLogEntry, SegmentLine)
        with nested_services():
            logged.follow_up = (
                create_follow_up_segment(logged, user=user)
                if create_follow_up
                else None
            )
        record_event(
            actor=user,
            action=AuditEvent.Action.LOG_SEGMENT,
            obj=logged,
            figures={
                "count": logged.entry_count,
                "follow_up": logged.follow_up.number if logged.follow_up else "",
            },
        )
        # In this transaction: the database task backend commits the job's task
        # with the entries, so no mailing is lost between the commit and a worker.
        logged.delivery_job = (
            start_delivery_job(logged, user=user)
            if deliver and user is not None and check.email
            else None
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


class StaleConfirmation(ValidationError):
    """The segment changed after the user confirmed Log (e.g. another user's Add)."""

    def __init__(self, number: str, check: LogCheck):
        self.check = check
        super().__init__(
            _(
                "Segment %(number)s changed after this page was shown: it now has "
                "%(lines)s lines, after step %(step)s. Nothing was logged; check the "
                "figures and confirm again."
            )
            % {
                "number": number,
                "lines": intcomma(check.lines),
                "step": check.last_step,
            }
        )


def create_follow_up_segment(
    logged_segment: LoggedSegment,
    *,
    user: User,
    correspondence_types: Sequence[str] = (),
    languages: Sequence[str] = (),
) -> Segment:
    """A new segment with the contacts of a logged segment, as one Reuse Segment step.

    Its header starts from the logged segment's (template, salesperson, cost …).

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
            **header_details(logged_segment),
            created_by=user,
        )
        with nested_services():
            step = add_contacts(
                follow_up, criteria=criteria, user=user, origin=Origin.REUSE_SEGMENT
            )
        record_event(
            actor=user,
            action=AuditEvent.Action.CREATE_FOLLOW_UP_SEGMENT,
            obj=follow_up,
            figures={
                "count": step.added_count,
                "logged_segment": logged_segment.segment_number,
            },
        )
    return follow_up


def header_details(source: Segment | LoggedSegment) -> dict:
    """The header's interaction details (LoggedSegment.HEADER_FIELDS), by column."""
    columns = [
        LoggedSegment._meta.get_field(name).attname
        for name in LoggedSegment.HEADER_FIELDS
    ]
    return {column: getattr(source, column) for column in columns}


def _may_have_campaign(segment: Segment) -> bool:
    """Whether any line can be logged with a campaign: one cheap query at most.

    Spares segments without a campaign the grouped pass over every line's
    effective values that making campaign entries takes.
    """
    if segment.campaign_id is not None:
        return True
    return InteractionTemplate.objects.filter(
        Q(pk=segment.template_id)
        | Q(
            pk__in=SegmentLine.objects.filter(
                segment=segment, template__isnull=False
            ).values("template_id")
        ),
        campaign__isnull=False,
    ).exists()


def _create_campaign_entries(
    logged: LoggedSegment, lines: QuerySet[SegmentLine], *, user: User
) -> int:
    """One campaign entry per campaign of the lines (reference 2.12, step 4); how many.

    One INSERT … SELECT grouped by the lines' campaign. The reference takes the
    date and salesperson of the campaign's first line; here the earliest date
    and the lowest salesperson id of its lines stand in, which is the same
    whenever the header sets them.
    """
    return insert_from_queryset(
        CampaignEntry,
        {
            "campaign_id": F("effective_campaign_id"),
            "logged_segment_id": Value(logged.pk),
            "segment_number": Value(logged.segment_number),
            "description": Value(logged.description),
            "date": Min("effective_date"),
            "salesperson_id": Min("effective_salesperson_id"),
            "cancelled": Value(False),
            "created_by_id": Value(
                user.pk if user else None, output_field=IntegerField()
            ),
            "created_at": Value(logged.created_at, output_field=DateTimeField()),
        },
        lines.filter(effective_campaign_id__isnull=False)
        .order_by()
        .values("effective_campaign_id"),
    )


def _entry_columns(
    logged: LoggedSegment, *, user: User, deliver: bool, has_campaign_entries: bool
) -> dict:
    """Each log entry column, from a line annotated with its effective values."""
    # With Send attachments, e-mails wait for the delivery run and hard copies
    # for Mark as Printed.
    delivery_status = (
        Case(
            When(
                effective_correspondence_type__in=[
                    CorrespondenceType.EMAIL,
                    CorrespondenceType.HARD_COPY,
                ],
                then=Value(DeliveryStatus.PENDING),
            ),
            When(
                effective_correspondence_type=CorrespondenceType.FAX,
                then=Value(DeliveryStatus.NOT_SENT),
            ),
            default=Value(DeliveryStatus.NONE),
        )
        if deliver
        else Value(DeliveryStatus.NONE)
    )
    # Faxes are logged only: with Send attachments they are "not sent", saying why.
    not_sent_reason = (
        Case(
            When(
                effective_correspondence_type=CorrespondenceType.FAX,
                then=Value(NotSentReason.FAX),
            ),
            default=Value(NotSentReason.NONE),
        )
        if deliver
        else Value(NotSentReason.NONE)
    )
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
        "campaign_entry_id": (
            Subquery(
                CampaignEntry.objects.filter(
                    logged_segment_id=logged.pk,
                    campaign_id=OuterRef("effective_campaign_id"),
                ).values("pk")[:1]
            )
            if has_campaign_entries
            else Value(None, output_field=IntegerField())
        ),
        "campaign_target": F("effective_campaign_target"),
        "campaign_response": F("effective_campaign_response"),
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
        "delivery_status": delivery_status,
        "not_sent_reason": not_sent_reason,
    }
