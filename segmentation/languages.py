"""The languages a line may ask for: a list to choose from, not a code to type."""

from collections.abc import Iterable

from django.conf.locale import LANG_INFO
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _


def language_name(code: str) -> str:
    """The language's name in the user's language, with its code; the code if unknown."""
    try:
        name = get_language_info(code)["name_translated"]
    except KeyError:
        return code
    return f"{name} ({code})"


def language_choices(*, with_document: Iterable[str], current: str = "") -> list:
    """Every language Django knows, by name; those the template has a document in first.

    `current`, a code the list does not know, is kept so saving does not lose it.
    """
    with_document = set(with_document)
    known = {code for code, info in LANG_INFO.items() if "name" in info}
    if current:
        known.add(current)
    named = sorted(
        ((code, language_name(code)) for code in known | with_document),
        key=lambda choice: choice[1].casefold(),
    )
    return [
        (
            _("The template has a document in"),
            [choice for choice in named if choice[0] in with_document],
        ),
        (
            _("Other languages"),
            [choice for choice in named if choice[0] not in with_document],
        ),
    ]
