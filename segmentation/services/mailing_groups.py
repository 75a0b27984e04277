"""Apply Mailing Group: every contact of a segment into one mailing group."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet, Value
from django.utils.translation import gettext as _

from contacts.bulk import insert_from_queryset
from contacts.models import Contact, MailingGroup
from core.audit import AuditEvent, record_event
from core.users import User
from segmentation.models import Segment, SegmentLine
from segmentation.services.segments import lock_segment

Membership = Contact.mailing_groups.through


def mailing_group_counts(
    segment: Segment, *, mailing_group: MailingGroup, delete_old_assignments: bool
) -> dict:
    """What Apply Mailing Group would do: contacts to add, already in, to take out.

    "removed" counts the group's contacts not on the segment, which only the
    Delete Old Assignments option takes out of it.
    """
    contacts = _segment_contacts(segment)
    total = contacts.count()
    missing = _missing(contacts, mailing_group).count()
    removed = 0
    if delete_old_assignments:
        removed = _old_assignments(segment, mailing_group).count()
    return {"added": missing, "already": total - missing, "removed": removed}


def apply_mailing_group(
    segment: Segment,
    *,
    mailing_group: MailingGroup,
    user: User,
    delete_old_assignments: bool = False,
) -> dict:
    """Apply Mailing Group: add every contact of the segment to the group.

    Contacts already in it are left as they are. With `delete_old_assignments`
    (reference 2.17) the group first loses every contact not on the segment, so
    afterwards it holds exactly the segment's contacts. One DELETE of the old
    links, one INSERT … SELECT of the missing ones.
    Returns {"added": n, "already": m, "removed": r}.
    """
    with transaction.atomic(durable=True):
        segment = lock_segment(segment)
        # Two applies of the same group queue on its row, so neither inserts a
        # link the other has just inserted.
        try:
            group = MailingGroup.objects.select_for_update().get(pk=mailing_group.pk)
        except MailingGroup.DoesNotExist as error:
            raise ValidationError(
                _("Mailing group %(code)s no longer exists.")
                % {"code": mailing_group.code}
            ) from error
        contacts = _segment_contacts(segment)
        total = contacts.count()
        if not total:
            raise ValidationError(
                _("Segment %(number)s has no contacts.") % {"number": segment.number}
            )
        removed = 0
        if delete_old_assignments:
            removed, _by_model = _old_assignments(segment, group).delete()
        added = insert_from_queryset(
            Membership,
            {"contact_id": F("pk"), "mailinggroup_id": Value(group.pk)},
            _missing(contacts, group),
        )
        counts = {"added": added, "already": total - added, "removed": removed}
        record_event(
            actor=user,
            action=AuditEvent.Action.APPLY_MAILING_GROUP,
            obj=segment,
            figures={"code": group.code, "count": added, **counts},
        )
    return counts


def _segment_contacts(segment: Segment) -> QuerySet:
    """The segment's contacts, each once (a duplicate line is the same contact)."""
    return Contact.objects.filter(
        pk__in=SegmentLine.objects.filter(segment=segment).values("contact_id")
    )


def _missing(contacts: QuerySet, group: MailingGroup) -> QuerySet:
    return contacts.exclude(
        pk__in=Membership.objects.filter(mailinggroup=group).values("contact_id")
    ).order_by()


def _old_assignments(segment: Segment, group: MailingGroup) -> QuerySet:
    """The group's links to contacts that are not on the segment."""
    return Membership.objects.filter(mailinggroup=group).exclude(
        contact_id__in=SegmentLine.objects.filter(segment=segment).values("contact_id")
    )
