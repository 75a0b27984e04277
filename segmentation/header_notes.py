"""What a segment header takes from elsewhere, said to the user.

Ticking "take cost … from the template" replaces the header's cost, duration and
the rest with the template's: the user sees them as soon as the template is
chosen, and is told on saving when they replaced a value the user typed. A
follow-up segment starts from its logged segment's header, and says what it took.
"""

from decimal import Decimal

from django.db.models import Model
from django.template.defaultfilters import yesno
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from interactions.models import InteractionTemplate, LoggedSegment


def defaults_note(template: InteractionTemplate) -> str:
    """The template's interaction defaults, in one sentence."""
    values = "; ".join(
        _labelled(template, name, getattr(template, name))
        for name in template.interaction_defaults()
    )
    return _("The template brings: %(values)s.") % {"values": values}


def defaults_notes(templates) -> dict[str, str]:
    """Each template's note by its id, for the page to show when it is chosen."""
    return {
        str(template.pk): defaults_note(template)
        for template in templates.select_related("campaign")
    }


def replaced_values(
    template: InteractionTemplate, *, typed: dict, changed: list[str]
) -> list[str]:
    """The typed values (of `changed`) the template's replace: "label: typed → template"."""
    brought = template.interaction_defaults()
    return [
        f"{_labelled(template, name, typed[name])} → {_display(template, name, value)}"
        for name, value in brought.items()
        if name in changed and name in typed and typed[name] != value
    ]


def carried_over_note(logged: LoggedSegment) -> str:
    """What a follow-up segment took from its logged segment's header; "" if nothing."""
    values = "; ".join(
        _labelled(logged, name, getattr(logged, name))
        for name in LoggedSegment.HEADER_FIELDS
        if getattr(logged, name) not in (None, "", False)
    )
    if not values:
        return ""
    return _("Carried over from segment %(number)s: %(values)s.") % {
        "number": logged.segment_number,
        "values": values,
    }


def _labelled(obj: Model, name: str, value) -> str:
    label = capfirst(obj._meta.get_field(name).verbose_name)
    return f"{label}: {_display(obj, name, value)}"


def _display(obj: Model, name: str, value) -> str:
    field = obj._meta.get_field(name)
    if field.choices:
        value = dict(field.flatchoices).get(value, value)
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return yesno(value, _("yes,no"))
    if isinstance(value, Decimal):
        return number_format(value, 2)
    return str(value)
