"""Writes of contact data; each owns its transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from contacts.fields import CONTACT_FIELDS
from contacts.models import Contact
from contacts.numbering import take_numbers
from core.audit import AuditEvent, record_event
from core.users import User

BLOCKERS_SHOWN = 5


def create_contact(*, fields: dict, user: User) -> Contact:
    """Create a contact from its field values, giving it the next contact number."""
    # Not durable: Django admin calls it inside the transaction of its change form.
    with transaction.atomic():
        contact = Contact(number=take_numbers("contact")[0])
        _write(contact, fields)
        record_event(actor=user, action=AuditEvent.Action.CREATE_CONTACT, obj=contact)
    return contact


def update_contact(contact: Contact, *, fields: dict, user: User) -> Contact:
    """Change a contact's field values (CONTACT_FIELDS); its number stays."""
    # Not durable: Django admin calls it inside the transaction of its change form.
    with transaction.atomic():
        _write(contact, fields)
        record_event(actor=user, action=AuditEvent.Action.UPDATE_CONTACT, obj=contact)
    return contact


def _write(contact: Contact, fields: dict) -> None:
    """Set the fields, save, then the groups and relations (they need the row)."""
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"Not a contact field: {', '.join(sorted(unknown))}.")
    related = {
        name: values
        for name, values in fields.items()
        if Contact._meta.get_field(name).many_to_many
    }
    for name, value in fields.items():
        if name not in related:
            setattr(contact, name, value)
    contact.save()
    for name, values in related.items():
        getattr(contact, name).set(values)


def delete_contact(contact: Contact, *, user: User) -> None:
    """Delete a contact, or explain what still needs it and delete nothing."""
    try:
        with transaction.atomic(durable=True):
            record_event(
                actor=user, action=AuditEvent.Action.DELETE_CONTACT, obj=contact
            )
            contact.delete()
    except ProtectedError as error:
        raise ValidationError(
            _describe_blockers(contact, error.protected_objects)
        ) from error


def unsubscribe_contact(contact_id: int) -> None:
    """Unsubscribe (the e-mail link): exclude the contact from segments and say when.

    Only these two fields change; the first unsubscription's time is kept.
    """
    with transaction.atomic():
        contact = Contact.objects.filter(pk=contact_id).only("number").first()
        if contact is None:
            return
        Contact.objects.filter(pk=contact_id).update(
            exclude_from_segments=True,
            unsubscribed_at=Coalesce(F("unsubscribed_at"), timezone.now()),
        )
        record_event(
            actor=None, action=AuditEvent.Action.UNSUBSCRIBE_CONTACT, obj=contact
        )


def _describe_blockers(contact: Contact, blockers) -> str:
    by_kind: dict[str, list[str]] = {}
    for blocker in blockers:
        by_kind.setdefault(capfirst(blocker._meta.verbose_name_plural), []).append(
            str(blocker)
        )
    parts = []
    for kind, names in by_kind.items():
        shown = ", ".join(names[:BLOCKERS_SHOWN])
        if len(names) > BLOCKERS_SHOWN:
            shown += " " + _("and %(count)d more") % {
                "count": len(names) - BLOCKERS_SHOWN
            }
        parts.append(f"{kind}: {shown}")
    return _(
        "%(contact)s cannot be deleted because it is still used. %(blockers)s."
    ) % {
        "contact": contact,
        "blockers": "; ".join(parts),
    }
