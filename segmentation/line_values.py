"""What a line takes from its segment, shown in the fields it leaves empty.

A line stores only what the user changed (NULL inherits), so its form would
otherwise show blank fields; these are the values Log would use for them.
"""

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from contacts.models import CorrespondenceType, Salesperson
from interactions.models import InteractionTemplate, TemplateDocument
from segmentation.languages import language_name
from segmentation.models import SegmentLine


def as_the_segment_says(value: str) -> str:
    """The empty choice of a line field, naming what it stands for when known."""
    if not value:
        return _("(as the segment says)")
    return _("(as the segment says: %(value)s)") % {"value": value}


def inherited_values(effective: SegmentLine) -> dict:
    """Display values of the fields `effective` (annotated by with_effective_values) inherits.

    A field the line sets itself gets "": its own value is in the field.
    """
    template = InteractionTemplate.objects.filter(
        pk=effective.effective_template_id
    ).first()
    salesperson = Salesperson.objects.filter(
        pk=effective.effective_salesperson_id
    ).first()
    shown = {
        "template": str(template or ""),
        "salesperson": str(salesperson or ""),
        "language": language_name(effective.effective_language)
        if effective.effective_language
        else "",
        "correspondence_type": CorrespondenceType(
            effective.effective_correspondence_type or ""
        ).label
        if effective.effective_correspondence_type
        else "",
        "description": effective.effective_description or "",
        "subject": effective.effective_subject or "",
        "date": date_format(effective.effective_date, "SHORT_DATE_FORMAT"),
        "cost": number_format(effective.effective_cost or 0, 2),
        "duration": str(effective.effective_duration or 0),
    }
    for name in shown:
        if getattr(effective, SegmentLine._meta.get_field(name).attname) is not None:
            shown[name] = ""
    shown["document_languages"] = list(
        TemplateDocument.objects.filter(
            template_id=effective.effective_template_id
        ).values_list("language", flat=True)
    )
    return shown
