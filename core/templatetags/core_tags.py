"""Template tags every app's templates may load."""

from django import template
from django.conf import settings
from django.templatetags.static import static

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
