"""Widgets rendered through Jinja2 are the HTML Django's own templates give."""

import pytest
from django.forms.renderers import DjangoTemplates
from django.test import RequestFactory
from django.test.html import parse_html

from core.form_renderer import JinjaWidgetsRenderer
from interactions.filters import InteractionLogFilter
from segmentation.views.contacts import ContactListFilter
from tests.factories import MailingGroupFactory

pytestmark = pytest.mark.django_db


def _widgets(filterset_class, query: str, renderer) -> list[str]:
    request = RequestFactory().get("/?" + query)
    form = filterset_class(request.GET).form
    form.renderer = renderer
    return [str(form[name]) for name in form.fields]


@pytest.mark.parametrize(
    ("filterset_class", "query", "shown"),
    [
        (ContactListFilter, "", 'name="country"'),
        (ContactListFilter, "country=SE&type=person&q=%3Cb%3E", 'value="&lt;b&gt;"'),
        # django-filter's date range has no Jinja2 template: Django's renders it.
        (InteractionLogFilter, "q=berg&date_after=2026-01-01", 'name="date_after"'),
    ],
)
def test_every_widget_renders_as_with_django_templates(filterset_class, query, shown):
    MailingGroupFactory(description='Fish & "chips"')

    jinja = _widgets(filterset_class, query, JinjaWidgetsRenderer())
    django = _widgets(filterset_class, query, DjangoTemplates())

    # parse_html: equal HTML however each engine spaces tags or escapes quotes.
    assert [parse_html(html) for html in jinja] == [parse_html(html) for html in django]
    assert shown in "".join(jinja)
