"""format_html for table rows written in Python, a few times faster.

Django's format_html escapes each value through conditional_escape, which is
wrapped to accept lazy strings: that wrapper costs more than the escaping when
a page writes fifty rows of a dozen cells. This does the same escaping
(`__html__` for safe values, else html.escape of the text, as django.utils.html
.escape does) on plain values and gives the same HTML.
"""

import html

from django.utils.safestring import SafeString, mark_safe


def escaped(value) -> str:
    """The value as HTML: safe values as they are, anything else escaped."""
    as_html = getattr(value, "__html__", None)
    return as_html() if as_html is not None else html.escape(str(value))


def format_row(format_string: str, *args, **kwargs) -> SafeString:
    """format_html's result for the same arguments."""
    return mark_safe(  # every value is escaped above
        format_string.format(
            *map(escaped, args),
            **{name: escaped(value) for name, value in kwargs.items()},
        )
    )
