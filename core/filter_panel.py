"""The cache key of an unfiltered list's filter panel.

Rendering a filter panel (crispy fields, choice selects) is most of a list
page's time. Its HTML depends on the language, the query and the choices
offered, so the key holds all three: the choices are read (one small query per
model, as rendering does) and a changed reference row changes the key, never a
stale panel. Views ask for a key only when the list is unfiltered, so each
search does not store a copy.
"""

import functools
import hashlib
from pathlib import Path

import crispy_bootstrap5
import crispy_forms
import django
import django_filters
from django.conf import settings
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
    parts = (release(), get_language(), query, choices)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


# Whose templates draw a panel besides ours.
TEMPLATE_PACKAGES = (django, crispy_forms, crispy_bootstrap5, django_filters)


@functools.cache
def release() -> str:
    """A fingerprint of what draws the panels besides the request: our templates,
    our translations and the template libraries' versions. A release that
    changes any of them makes new keys, so no cached panel outlives its code.
    Read once per process."""
    digest = hashlib.sha256()
    roots = [Path(root) for root in settings.TEMPLATES[0]["DIRS"]]
    roots += [Path(root) for root in settings.LOCALE_PATHS]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".html", ".mo") and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    for package in TEMPLATE_PACKAGES:
        digest.update(package.__version__.encode())
    return digest.hexdigest()


def _choices(field) -> list[tuple[str, str]]:
    """A field's choices as (value, label) text; a model's rows read in one query."""
    if isinstance(field, ModelChoiceField):
        return [
            (str(field.prepare_value(row)), str(field.label_from_instance(row)))
            for row in field.queryset
        ]
    return [(str(value), str(label)) for value, label in field.choices]
