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


def mailing_group_counts(segment: Segment, *, mailing_group: MailingGroup) -> dict:
    """How many of the segment's contacts are missing from the group, how many are in it."""
    contacts = _segment_contacts(segment)
    total = contacts.count()
    missing = _missing(contacts, mailing_group).count()
    return {"added": missing, "already": total - missing}


def apply_mailing_group(
    segment: Segment, *, mailing_group: MailingGroup, user: User
) -> dict:
    """Apply Mailing Group: add every contact of the segment to the group.

    Contacts already in it are left as they are. One INSERT … SELECT of the
    missing links. Returns {"added": n, "already": m}.
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
        added = insert_from_queryset(
            Membership,
            {"contact_id": F("pk"), "mailinggroup_id": Value(group.pk)},
            _missing(contacts, group),
        )
        counts = {"added": added, "already": total - added}
        record_event(
            actor=user,
            action=AuditEvent.Action.APPLY_MAILING_GROUP,
            obj=segment,
            figures={"code": group.code, "count": added, "already": total - added},
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
