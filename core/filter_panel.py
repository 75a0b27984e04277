"""The cache key of an unfiltered list's filter panel.

Rendering a filter panel (crispy fields, choice selects) is most of a list
page's time. Its HTML depends on the language, the query and the choices
offered, so the key holds all three: the choices are read (one small query per
model, as rendering does) and a changed reference row changes the key, never a
stale panel. Views ask for a key only when the list is unfiltered, so each
search does not store a copy.
"""

import hashlib

from django.forms import ModelChoiceField
from django.utils.translation import get_language

from core.keyset import POSITION_NAMES


def panel_key(request, form, *, leave_out=()) -> str:
    """What the filter panel of this request looks like, as a cache key.

    `leave_out` names parameters the panel does not show (a jump form's).
    """
    choices = [
        (name, _choices(field))
        for name, field in form.fields.items()
        if hasattr(field, "choices") and getattr(field.widget, "lists_choices", True)
    ]
    # The page and the keyset position are not in the panel: every page shares
    # one copy.
    left_out = {"page", *POSITION_NAMES, *leave_out}
    query = sorted(item for item in request.GET.lists() if item[0] not in left_out)
    parts = (get_language(), query, choices)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _choices(field) -> list[tuple[str, str]]:
    """A field's choices as (value, label) text; a model's rows read in one query."""
    if isinstance(field, ModelChoiceField):
        return [
            (str(field.prepare_value(row)), str(field.label_from_instance(row)))
            for row in field.queryset
        ]
    return [(str(value), str(label)) for value, label in field.choices]
