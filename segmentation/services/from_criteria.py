"""New segment from the filtered contact list."""

from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from contacts.numbering import take_numbers
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
        add_contacts(segment, criteria=criteria, user=user)
    return segment
