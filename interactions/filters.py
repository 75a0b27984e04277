"""Filters of the Interaction Log and Logged Segments pages."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contacts.models import Contact, Salesperson
from contacts.widgets import ContactPicker
from core.date_range import NamedDateFromToFilter
from core.ids import IdChoiceFilter
from interactions.models import (
    Campaign,
    DeliveryStatus,
    Evaluation,
    InteractionGroup,
    InteractionLogEntry,
    InteractionTemplate,
    LoggedSegment,
)

NOT_EVALUATED = "none"
NOT_TO_BE_SENT = "none"
YES_NO = [("true", _("Yes")), ("false", _("No"))]


def filter_yes_no(queryset, name, value):
    return queryset.filter(**{name: value == "true"})


class InteractionLogFilter(django_filters.FilterSet):
    """Who, what, when: the filters of the Interaction Log."""

    contact = IdChoiceFilter(
        label=_("Contact"),
        queryset=Contact.objects.all(),
        widget=ContactPicker(),
    )
    contact_company = IdChoiceFilter(
        label=_("Company"),
        queryset=Contact.objects.filter(type=Contact.Type.COMPANY),
        widget=ContactPicker(contact_type=Contact.Type.COMPANY),
    )
    template = IdChoiceFilter(
        label=_("Interaction template"), queryset=InteractionTemplate.objects.all()
    )
    group = IdChoiceFilter(
        label=_("Interaction group"), queryset=InteractionGroup.objects.all()
    )
    salesperson = IdChoiceFilter(
        label=_("Salesperson"), queryset=Salesperson.objects.all()
    )
    campaign = IdChoiceFilter(label=_("Campaign"), queryset=Campaign.objects.all())
    date = NamedDateFromToFilter(
        label=_("Date (from – to)"),
    )
    segment_number = django_filters.CharFilter(
        label=_("Segment no."), lookup_expr="iexact"
    )
    evaluation = django_filters.ChoiceFilter(
        label=_("Evaluation"),
        choices=[(NOT_EVALUATED, pgettext_lazy("evaluation", "(none)"))]
        + [choice for choice in Evaluation.choices if choice[0]],
        empty_label=_("(any)"),
        method="filter_evaluation",
    )
    cancelled = django_filters.ChoiceFilter(
        label=_("Cancelled"),
        choices=YES_NO,
        empty_label=_("(any)"),
        method=filter_yes_no,
    )
    delivery_status = django_filters.ChoiceFilter(
        label=_("Delivery status"),
        choices=[(NOT_TO_BE_SENT, DeliveryStatus.NONE.label)]
        + [choice for choice in DeliveryStatus.choices if choice[0]],
        empty_label=_("(any)"),
        method="filter_delivery_status",
    )

    class Meta:
        model = InteractionLogEntry
        fields: list[str] = []

    def filter_evaluation(self, queryset, name, value):
        return queryset.filter(evaluation="" if value == NOT_EVALUATED else value)

    def filter_delivery_status(self, queryset, name, value):
        return queryset.filter(delivery_status="" if value == NOT_TO_BE_SENT else value)


class LoggedSegmentFilter(django_filters.FilterSet):
    """Search and filters of the Logged Segments page."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    created_at = NamedDateFromToFilter(
        label=_("Created (from – to)"),
    )
    campaign = IdChoiceFilter(label=_("Campaign"), queryset=Campaign.objects.all())
    cancelled = django_filters.ChoiceFilter(
        label=_("Cancelled"),
        choices=YES_NO,
        empty_label=_("(any)"),
        method=filter_yes_no,
    )

    class Meta:
        model = LoggedSegment
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        value = value.strip()
        condition = Q(segment_number__unicode_icontains=value) | Q(
            description__unicode_icontains=value
        )
        if value.isdigit():
            condition |= Q(pk=int(value))
        return queryset.filter(condition)
