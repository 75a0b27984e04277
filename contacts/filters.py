"""The contact list's search, filters and sorting (also used by the export)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from contacts.models import (
    BusinessRelation,
    Contact,
    CorrespondenceType,
    IndustryGroup,
    JobResponsibility,
    MailingGroup,
    Salesperson,
    Territory,
)


def linked_through(relation: str, values, *, via_company: bool) -> Q:
    """Contacts linked to any of `values` through an M2M, directly or through their company."""
    field = Contact._meta.get_field(relation)
    linked = field.remote_field.through.objects.filter(
        **{f"{field.m2m_reverse_field_name()}__in": values}
    )
    contact = field.m2m_field_name()
    condition = Exists(linked.filter(**{contact: OuterRef("pk")}))
    if via_company:
        condition |= Exists(linked.filter(**{contact: OuterRef("company_id")}))
    return condition


# filter name: (the Contact M2M field, whether persons inherit it from their company)
LINKED_FILTERS = {
    "mailing_group": ("mailing_groups", False),
    "job_responsibility": ("job_responsibilities", False),
    "industry_group": ("industry_groups", True),
    "business_relation": ("business_relations", True),
}


class ContactFilter(django_filters.FilterSet):
    """Search box, filters and sort order of the contact list."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    company = django_filters.ModelChoiceFilter(
        queryset=Contact.objects.filter(type=Contact.Type.COMPANY),
        widget=forms.HiddenInput,
    )
    type = django_filters.ChoiceFilter(label=_("Type"), choices=Contact.Type.choices)
    country = django_filters.ChoiceFilter(label=_("Country"), choices=countries)
    salesperson = django_filters.ModelChoiceFilter(
        label=_("Salesperson"), queryset=Salesperson.objects.all()
    )
    territory = django_filters.ModelChoiceFilter(
        label=_("Territory"), queryset=Territory.objects.all()
    )
    language = django_filters.CharFilter(label=_("Language"), lookup_expr="iexact")
    correspondence_type = django_filters.ChoiceFilter(
        label=_("Correspondence type"),
        choices=[choice for choice in CorrespondenceType.choices if choice[0]],
    )
    mailing_group = django_filters.ModelMultipleChoiceFilter(
        label=_("Mailing group"),
        queryset=MailingGroup.objects.all(),
        method="filter_linked",
    )
    industry_group = django_filters.ModelMultipleChoiceFilter(
        label=_("Industry group"),
        queryset=IndustryGroup.objects.all(),
        method="filter_linked",
    )
    business_relation = django_filters.ModelMultipleChoiceFilter(
        label=_("Business relation"),
        queryset=BusinessRelation.objects.all(),
        method="filter_linked",
    )
    job_responsibility = django_filters.ModelMultipleChoiceFilter(
        label=_("Job responsibility"),
        queryset=JobResponsibility.objects.all(),
        method="filter_linked",
    )
    exclude_from_segments = django_filters.BooleanFilter(
        label=_("Excluded from segments")
    )
    privacy_blocked = django_filters.BooleanFilter(label=_("Privacy blocked"))
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=[
            ("number", "number"),
            ("name", "name"),
            ("company__name", "company"),
            ("city", "city"),
            ("country", "country"),
            ("created_at", "created"),
        ],
        field_labels={
            "number": _("Number"),
            "name": _("Name"),
            "company__name": _("Company"),
            "city": _("City"),
            "country": _("Country"),
            "created_at": _("Created"),
        },
    )

    class Meta:
        model = Contact
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        terms = value.split()
        for term in terms:
            queryset = queryset.filter(
                Q(number__icontains=term)
                | Q(name__icontains=term)
                | Q(company__name__icontains=term)
                | Q(city__icontains=term)
                | Q(email__icontains=term)
            )
        return queryset

    def filter_linked(self, queryset, name, value):
        if not value:
            return queryset
        relation, via_company = LINKED_FILTERS[name]
        return queryset.filter(linked_through(relation, value, via_company=via_company))
