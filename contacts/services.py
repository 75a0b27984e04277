"""Writes of contact data; each owns its transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
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
