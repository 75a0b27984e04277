"""Template tags every app's templates may load."""

from django import template
from django.conf import settings
from django.templatetags.static import static

from core.audit import HISTORY_SHOWN, history

register = template.Library()


@register.simple_tag
def static_even_if_uncollected(path: str) -> str:
    """{% static %}, or the file's plain address when the manifest lacks it.

    For the error page, which must render even when a missing static file (or
    manifest) is the error it reports.
    """
    try:
        return static(path)
    except ValueError:
        return f"/{settings.STATIC_URL.lstrip('/')}{path}"


@register.inclusion_tag("includes/history.html")
def history_of(obj) -> dict:
    """The History section of an object's page: its latest events, in one query."""
    return {"events": history(obj), "shown": HISTORY_SHOWN}


@register.simple_tag
def languages_in_their_own_names() -> list[tuple[str, str]]:
    """settings.LANGUAGES as written there: each language named in itself, untranslated."""
    return settings.LANGUAGES
