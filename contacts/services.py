"""Writes of contact data; each owns its transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from contacts.forms import ContactForm
from contacts.models import Contact
from contacts.numbering import take_numbers

BLOCKERS_SHOWN = 5


def create_contact(form: ContactForm) -> Contact:
    """Save a new contact from a valid form, giving it the next contact number."""
    with transaction.atomic():
        contact = form.save(commit=False)
        contact.number = take_numbers("contact")[0]
        contact.save()
        form.save_m2m()
    return contact


def delete_contact(contact: Contact) -> None:
    """Delete a contact, or explain what still needs it and delete nothing."""
    try:
        with transaction.atomic():
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
        Contact.objects.filter(pk=contact_id).update(
            exclude_from_segments=True,
            unsubscribed_at=Coalesce(F("unsubscribed_at"), timezone.now()),
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
