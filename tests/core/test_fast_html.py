"""format_row writes exactly what format_html writes."""

import pytest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from core.fast_html import format_row

VALUES = [
    '<b>O\'Brien & "Sons"</b>',
    mark_safe("<em>kept</em>"),
    gettext_lazy("Preview"),
    None,
    42,
    "",
]


@pytest.mark.parametrize("value", VALUES)
def test_a_value_is_escaped_as_format_html_does(value):
    expected = format_html('<td title="{}">{}</td>', value, value)
    written = format_row('<td title="{}">{}</td>', value, value)
    assert (written, type(written)) == (expected, SafeString)


def test_named_values_too():
    row = '<a href="{url}">{name}</a>'
    values = {"url": "/c/1?a=1&b=2", "name": "<script>"}
    assert format_row(row, **values) == format_html(row, **values)
