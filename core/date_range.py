"""A from–to date filter whose two boxes each have a name a screen reader reads.

Django gives a multi-widget's <label> no `for` (it cannot point at two boxes),
so each box gets an aria-label: the filter's label and "from" or "to".
"""

import django_filters
from django.utils.translation import pgettext


class NamedDateRangeWidget(django_filters.widgets.DateRangeWidget):
    def __init__(self, *, label):
        super().__init__(attrs={"type": "date"})
        self.label = label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        ends = (pgettext("date range", "from"), pgettext("date range", "to"))
        for subwidget, end in zip(context["widget"]["subwidgets"], ends, strict=True):
            subwidget["attrs"]["aria-label"] = f"{self.label}: {end}"
        return context


class NamedDateFromToFilter(django_filters.DateFromToRangeFilter):
    """DateFromToRangeFilter with date boxes named for screen readers."""

    def __init__(self, *, label, **kwargs):
        super().__init__(
            label=label, widget=NamedDateRangeWidget(label=label), **kwargs
        )
