"""Writes of interaction data; each owns its transaction."""

import datetime
import hashlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from contacts.models import Contact, CorrespondenceType, Salesperson
from core.audit import AuditEvent, record_event
from core.users import User
from interactions.models import (
    Campaign,
    CampaignEntry,
    Evaluation,
    InteractionLogEntry,
    InteractionTemplate,
    LoggedSegment,
    TemplateDocument,
    WordDocument,
)
from interactions.word_merge import read_merge_fields

ENTRIES_NAMED = 5
ENTRIES_RECORDED = 20


def store_word_document(data: bytes, *, file_name: str, user: User) -> WordDocument:
    """Check an uploaded Word file and keep it, unchangeable, through the storage API.

    Raises word_merge.DocumentError with a message for the user when the file is
    not a safe, readable .docx; nothing is stored then.
    """
    merge_fields = read_merge_fields(data, file_name=file_name)
    with transaction.atomic():
        document = WordDocument(
            file_name=file_name,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            merge_fields=merge_fields,
            uploaded_by=user,
        )
        document.file.save(file_name, ContentFile(data), save=False)
        document.save()
    return document


def save_campaign(campaign: Campaign, *, fields: dict, user: User) -> Campaign:
    """Create or edit a campaign (code, description, dates) from the campaign pages.

    A taken code or an ending before the start raises ValidationError; nothing
    is saved then.
    """
    with transaction.atomic(durable=True):
        action = (
            AuditEvent.Action.UPDATE_CAMPAIGN
            if campaign.pk
            else AuditEvent.Action.CREATE_CAMPAIGN
        )
        for name, value in fields.items():
            setattr(campaign, name, value)
        campaign.full_clean()
        campaign.save()
        record_event(actor=user, action=action, obj=campaign, label=campaign.code)
    return campaign


def template_document_for(
    template: InteractionTemplate, language: str
) -> TemplateDocument | None:
    """The template's document in `language`, else in its default language."""
    documents = {document.language: document for document in template.documents.all()}
    return documents.get(language) or documents.get(template.default_language)


def interaction_language(template: InteractionTemplate, contact: Contact) -> str:
    """The contact's language if the template has a document in it, else the default."""
    if template.documents.filter(language=contact.language).exists():
        return contact.language
    return template.default_language


def correspondence_type_for(template: InteractionTemplate, contact: Contact) -> str:
    """The template's type if it ignores the contact or the contact has none, else the contact's."""
    if template.ignore_contact_correspondence_type or not contact.correspondence_type:
        return template.correspondence_type
    return contact.correspondence_type


def create_interaction(
    contact: Contact,
    *,
    template: InteractionTemplate,
    date: datetime.date,
    description: str,
    salesperson: Salesperson,
    user: User,
    subject: str = "",
    correspondence_type: str | None = None,
    evaluation: str = Evaluation.BLANK,
    time: datetime.time | None = None,
    attempt_failed: bool = False,
    campaign: Campaign | None = None,
) -> InteractionLogEntry:
    """Log one interaction with one contact, with the template's defaults.

    A `correspondence_type` of None means "resolve it": the template's type when
    it ignores the contact's preference or the contact has none, else the contact's.
    """
    if contact.privacy_blocked:
        raise ValidationError(
            _("%(contact)s is privacy blocked; no interaction can be logged.")
            % {"contact": contact}
        )
    if correspondence_type is None:
        correspondence_type = correspondence_type_for(template, contact)
    language = interaction_language(template, contact)
    template_document = template_document_for(template, language)
    with transaction.atomic(durable=True):
        entry = InteractionLogEntry.objects.create(
            contact=contact,
            contact_company=contact.company_contact,
            date=date,
            time=time,
            description=description or template.description,
            subject=subject,
            template=template,
            group_id=template.group_id,
            language=language,
            information_flow=template.information_flow,
            initiated_by=template.initiated_by,
            correspondence_type=correspondence_type or CorrespondenceType.BLANK,
            cost=Decimal(template.unit_cost),
            duration=template.unit_duration,
            salesperson=salesperson,
            campaign=campaign or template.campaign,
            evaluation=evaluation,
            attempt_failed=attempt_failed,
            document=template_document.document if template_document else None,
            created_by=user,
        )
        record_event(
            actor=user,
            action=AuditEvent.Action.CREATE_INTERACTION,
            obj=contact,
            figures={"entry": str(entry.pk), "template": template.code},
        )
    return entry


def evaluate_entries(
    entries: QuerySet[InteractionLogEntry], *, evaluation: str, user: User
) -> int:
    """Give every selected entry the same evaluation; return how many changed."""
    if evaluation not in Evaluation.values:
        raise ValidationError(_("Choose an evaluation."))
    with transaction.atomic(durable=True):
        count = entries.update(evaluation=evaluation)
        _record_entries(
            entries,
            AuditEvent.Action.EVALUATE_ENTRIES,
            count=count,
            user=user,
            evaluation=evaluation,
        )
    return count


def cancel_entries(entries: QuerySet[InteractionLogEntry], *, user: User) -> int:
    """Mark the selected entries cancelled; they stay in the history."""
    with transaction.atomic():
        count = entries.filter(cancelled=False).update(cancelled=True)
        _record_entries(
            entries, AuditEvent.Action.CANCEL_ENTRIES, count=count, user=user
        )
    return count


def _record_entries(entries, action: str, *, count: int, user: User, **figures):
    """One event for a set of entries: how many changed and the first ids chosen."""
    record_event(
        actor=user,
        action=action,
        obj=InteractionLogEntry,
        figures={
            "count": count,
            "entries": list(
                entries.order_by("pk").values_list("pk", flat=True)[:ENTRIES_RECORDED]
            ),
            **figures,
        },
    )


def restore_entries(entries: QuerySet[InteractionLogEntry], *, user: User) -> int:
    """Undo the cancellation of the selected entries.

    Refused for all of them while any belongs to a cancelled logged segment:
    such entries come back only with their logged segment.
    """
    with transaction.atomic():
        blocked = list(
            entries.filter(logged_segment__cancelled=True)
            .order_by("pk")
            .values_list("pk", "logged_segment__segment_number")[: ENTRIES_NAMED + 1]
        )
        if blocked:
            raise ValidationError(
                _(
                    "Entries %(entries)s belong to a cancelled logged segment "
                    "(%(segments)s). Restore the logged segment instead; "
                    "nothing was restored."
                )
                % {
                    "entries": _entry_numbers([entry_id for entry_id, _ in blocked]),
                    "segments": ", ".join(
                        sorted({number for _entry, number in blocked})
                    ),
                }
            )
        # Left by Delete Cancelled Segments: still cancelled, with no logged
        # segment to restore them with (reference 2.16).
        in_cancelled_campaign_entry = list(
            entries.filter(campaign_entry__cancelled=True)
            .order_by("pk")
            .values_list("pk", flat=True)[: ENTRIES_NAMED + 1]
        )
        if in_cancelled_campaign_entry:
            raise ValidationError(
                _(
                    "Entries %(entries)s belong to a cancelled campaign entry; "
                    "nothing was restored."
                )
                % {"entries": _entry_numbers(in_cancelled_campaign_entry)}
            )
        count = entries.filter(cancelled=True).update(cancelled=False)
        _record_entries(
            entries, AuditEvent.Action.RESTORE_ENTRIES, count=count, user=user
        )
    return count


def _entry_numbers(entry_ids: list[int]) -> str:
    """The first ENTRIES_NAMED numbers, and "…" when there were more."""
    return ", ".join(str(entry_id) for entry_id in entry_ids[:ENTRIES_NAMED]) + (
        "…" if len(entry_ids) > ENTRIES_NAMED else ""
    )


def cancel_logged_segment(logged_segment: LoggedSegment, *, user: User) -> int:
    """Cancel a logged segment and, in one statement, its interactions still active.

    Those entries are marked as cancelled with the segment, so Restore brings back
    exactly them; an entry cancelled on its own before stays cancelled.
    Returns how many entries were cancelled.
    """
    return _set_cancelled(logged_segment, cancelled=True, user=user)


def restore_logged_segment(logged_segment: LoggedSegment, *, user: User) -> int:
    """Restore a cancelled logged segment and the interactions its Cancel cancelled.

    Returns how many entries were restored.
    """
    return _set_cancelled(logged_segment, cancelled=False, user=user)


def _set_cancelled(
    logged_segment: LoggedSegment, *, cancelled: bool, user: User
) -> int:
    """Cancel (or restore) the logged segment and its entries, in one statement each.

    Cancel marks the entries still active as cancelled with the segment; Restore
    brings back exactly those. Returns how many entries changed.
    """
    with transaction.atomic(durable=True):
        locked = _lock_logged_segment(logged_segment, must_be_cancelled=not cancelled)
        entries = locked.entries.filter(
            **({"cancelled": False} if cancelled else {"cancelled_with_segment": True})
        )
        changed = entries.update(cancelled=cancelled, cancelled_with_segment=cancelled)
        # Reference 2.15: the campaign entries follow their logged segment.
        locked.campaign_entries.update(cancelled=cancelled)
        LoggedSegment.objects.filter(pk=locked.pk).update(cancelled=cancelled)
        record_event(
            actor=user,
            action=(
                AuditEvent.Action.CANCEL_LOGGED_SEGMENT
                if cancelled
                else AuditEvent.Action.RESTORE_LOGGED_SEGMENT
            ),
            obj=locked,
            figures={"count": changed},
        )
    logged_segment.cancelled = cancelled
    return changed


def _lock_logged_segment(
    logged_segment: LoggedSegment, *, must_be_cancelled: bool
) -> LoggedSegment:
    """The logged segment re-read under its row lock; a message if its state differs.

    The action is the one the user chose; reading the state only here, under the
    lock, is what makes a double click or a resubmitted form change nothing.
    """
    locked = LoggedSegment.objects.select_for_update().get(pk=logged_segment.pk)
    if locked.cancelled != must_be_cancelled:
        message = (
            _("Logged segment %(number)s is already cancelled; nothing changed.")
            if locked.cancelled
            else _("Logged segment %(number)s is not cancelled; nothing changed.")
        )
        raise ValidationError(message % {"number": locked.segment_number})
    return locked


def cancelled_segments_in_range(
    *,
    created_from: datetime.date | None = None,
    created_to: datetime.date | None = None,
    number_from: str | None = None,
    number_to: str | None = None,
) -> QuerySet:
    """The logged segments created and numbered within the given bounds, any state.

    The numbers are segment numbers (SM00017), zero-padded, so they compare as text.
    """
    bounds = {
        "created_at__date__gte": created_from,
        "created_at__date__lte": created_to,
        "segment_number__gte": number_from,
        "segment_number__lte": number_to,
    }
    return LoggedSegment.objects.filter(
        **{lookup: value for lookup, value in bounds.items() if value is not None}
    ).order_by()


def cancelled_segments_counts(**bounds) -> dict:
    """What Delete Cancelled Segments would do: three counts, three queries."""
    in_range = cancelled_segments_in_range(**bounds)
    cancelled = in_range.filter(cancelled=True)
    return {
        "segments": cancelled.count(),
        "entries": InteractionLogEntry.objects.filter(
            logged_segment__in=cancelled.values("pk")
        ).count(),
        "not_cancelled": in_range.filter(cancelled=False).count(),
    }


def delete_cancelled_segments(
    *,
    created_from: datetime.date | None = None,
    created_to: datetime.date | None = None,
    number_from: str | None = None,
    number_to: str | None = None,
    user: User,
) -> dict:
    """Delete Cancelled Segments: delete the cancelled logged segments in the range.

    As in the reference, their interactions (cancelled with them) and campaign
    entries are kept and only unlinked: logged_segment becomes NULL,
    segment_number stays. A logged
    segment that is not cancelled is never deleted. Returns the counts.
    """
    bounds = {
        "created_from": created_from,
        "created_to": created_to,
        "number_from": number_from,
        "number_to": number_to,
    }
    with transaction.atomic(durable=True):
        # The row locks keep a Restore from slipping in between; PostgreSQL
        # re-checks `cancelled` on the rows it locks.
        doomed = list(
            cancelled_segments_in_range(**bounds)
            .filter(cancelled=True)
            .select_for_update()
            .order_by("pk")
            .values_list("pk", "segment_number")
        )
        ids = [pk for pk, _number in doomed]
        entries = InteractionLogEntry.objects.filter(logged_segment__in=ids).update(
            logged_segment=None
        )
        campaign_entries = CampaignEntry.objects.filter(logged_segment__in=ids).update(
            logged_segment=None
        )
        LoggedSegment.objects.filter(pk__in=ids).delete()
        if doomed:
            record_event(
                actor=user,
                action=AuditEvent.Action.DELETE_CANCELLED_SEGMENTS,
                obj=LoggedSegment,
                figures={
                    "count": len(doomed),
                    "entries": entries,
                    "campaign_entries": campaign_entries,
                    "numbers": ", ".join(f"{pk} {number}" for pk, number in doomed),
                    **{
                        name: str(value)
                        for name, value in bounds.items()
                        if value is not None
                    },
                },
            )
    return {
        "segments": len(doomed),
        "entries": entries,
        "campaign_entries": campaign_entries,
    }
