"""What a template brings to a segment header: shown before saving, reported after.

Ticking "take cost … from the template" replaces the header's cost, duration and
the rest with the template's; the user sees them as soon as the template is
chosen, and is told on saving when they replaced a value the user typed.
"""

from decimal import Decimal

from django.template.defaultfilters import yesno
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from interactions.models import InteractionTemplate


def defaults_note(template: InteractionTemplate) -> str:
    """The template's interaction defaults, in one sentence."""
    values = "; ".join(
        f"{_label(name)}: {_shown(template, name)}"
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
    return [
        f"{_label(name)}: {_display(name, value)} → {_shown(template, name)}"
        for name, value in typed.items()
        if name in changed
        and name in template.interaction_defaults()
        and value != getattr(template, name)
    ]


def _label(name: str) -> str:
    return capfirst(InteractionTemplate._meta.get_field(name).verbose_name)


def _shown(template: InteractionTemplate, name: str) -> str:
    return _display(name, getattr(template, name))


def _display(name: str, value) -> str:
    field = InteractionTemplate._meta.get_field(name)
    if field.choices:
        value = dict(field.flatchoices).get(value, value)
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return yesno(value, _("yes,no"))
    if isinstance(value, Decimal):
        return number_format(value, 2)
    return str(value)
