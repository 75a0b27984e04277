"""New segment from the filtered contact list."""

from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from contacts.numbering import take_numbers
from core.audit import AuditEvent, nested_services, record_event
from core.users import User
from segmentation.criteria_words import describe
from segmentation.models import Segment
from segmentation.services.steps import add_contacts


def create_segment_from_criteria(*, criteria: dict, user: User) -> Segment:
    """A new segment (next number, the user's salesperson) with one Add Contacts step.

    All or nothing: criteria that are not valid raise ValidationError and leave
    no segment behind.
    """
    description = _("Contacts: %(criteria)s") % {"criteria": describe(criteria)}
    with transaction.atomic(durable=True):
        segment = Segment.objects.create(
            number=take_numbers("segment")[0],
            description=Truncator(description).chars(
                Segment._meta.get_field("description").max_length
            ),
            salesperson=getattr(user, "salesperson", None),
            created_by=user,
        )
        with nested_services():
            step = add_contacts(segment, criteria=criteria, user=user)
        record_event(
            actor=user,
            action=AuditEvent.Action.CREATE_SEGMENT_FROM_CONTACTS,
            obj=segment,
            figures={"count": step.added_count},
        )
    return segment
