"""Segment criteria: JSON parameters -> a queryset of contacts (criteria_words: in words).

Read-only. The same parameters are stored on every criteria step and in saved
criteria, so a step can be shown, counted and replayed against today's contacts;
the contact list filters with them too, so its URL converts 1:1 into criteria.
Choices are stored by code (mailing group NEWSLETTER, salesperson AH), not by
database id, so saved criteria stay readable and survive re-imports.
"""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy
from django_countries import countries

from contacts.filters import LINKED_FILTERS, linked_through, search_condition
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
from core.date_range import NamedDateFromToFilter
from core.ids import IdMultipleChoiceFilter
from interactions.models import (
    Campaign,
    Evaluation,
    InteractionGroup,
    InteractionLogEntry,
    InteractionTemplate,
    LoggedSegment,
)

HAS = "has"
NO_TYPE = "none"
# The correspondence types an entry may have been logged with, "none" included.
LOGGED_CORRESPONDENCE_TYPES = [(NO_TYPE, gettext_lazy("(none)"))] + [
    choice for choice in CorrespondenceType.choices if choice[0]
]
HAS_NOT = "has_not"
# No criterion joins rows (they use EXISTS or IN), so none needs DISTINCT, which
# would also make every INSERT … SELECT sort whole contact rows.
SEPARATORS = re.compile(r"[\s,;|]+")
INTERACTION_FILTERS = [
    "interaction_template",
    "interaction_group",
    "interaction_evaluation",
    "interaction_campaign",
    "interaction_date",
    "interaction_include_cancelled",
]


DAMAGED_CRITERIA = gettext_lazy(
    "These criteria are damaged: they are not a list of criteria and their values."
)
LINKED_MODELS = {MailingGroup, IndustryGroup, BusinessRelation, JobResponsibility}


def _codes(model, label, *, method=None):
    """Rows of `model` picked by their codes in a searchable list."""
    return django_filters.ModelMultipleChoiceFilter(
        distinct=False,
        label=label,
        queryset=model.objects.all(),
        to_field_name="code",
        # Without a method django-filter would compare the code with the foreign key.
        method=method
        or ("filter_linked" if model in LINKED_MODELS else "filter_codes"),
        widget=forms.SelectMultiple(attrs={"data-enhance": "multi"}),
    )


def _choices(label, choices, **options):
    """Some of `choices` picked in a searchable list."""
    return django_filters.MultipleChoiceFilter(
        distinct=False,
        label=label,
        choices=choices,
        widget=forms.SelectMultiple(attrs={"data-enhance": "multi"}),
        **options,
    )


class CheckboxFilter(django_filters.Filter):
    """A tick box: "on" or "true" is ticked, anything else is not."""

    field_class = forms.BooleanField


def _collected(queryset, name, value):
    """The interaction filters are applied together, in filter_queryset."""
    return queryset


# How the criteria form groups its fields, as the reference's request page does.
SECTIONS = [
    (
        gettext_lazy("Contact"),
        [
            "q",
            "type",
            "number",
            "company",
            "name",
            "post_code_from",
            "post_code_to",
            "city",
            "country",
            "language",
            "salesperson",
            "territory",
            "correspondence_type",
            "created",
        ],
    ),
    (
        gettext_lazy("Groups"),
        ["mailing_group", "industry_group", "business_relation", "job_responsibility"],
    ),
    (
        gettext_lazy("Interaction history"),
        ["interaction", *INTERACTION_FILTERS],
    ),
    (
        gettext_lazy("Logged segments"),
        ["logged_segment", "logged_correspondence_type", "logged_language"],
    ),
]


class ContactCriteria(django_filters.FilterSet):
    """Every dimension contacts are selected on; all filters given must match."""

    q = django_filters.CharFilter(
        label=gettext_lazy("Search"),
        method="filter_search",
        help_text=gettext_lazy("Words in the number, name, company, city or e-mail."),
    )
    type = django_filters.ChoiceFilter(
        label=gettext_lazy("Type"), choices=Contact.Type.choices
    )
    number = django_filters.CharFilter(
        label=gettext_lazy("No."),
        method="filter_numbers",
        help_text=gettext_lazy("One or more contact numbers."),
    )
    company = django_filters.CharFilter(
        label=gettext_lazy("Persons of company No."),
        method="filter_company",
        help_text=gettext_lazy("One or more company numbers."),
    )
    name = django_filters.CharFilter(
        label=gettext_lazy("Name contains"), lookup_expr="icontains"
    )
    post_code_from = django_filters.CharFilter(
        label=gettext_lazy("Post code from"), field_name="post_code", lookup_expr="gte"
    )
    post_code_to = django_filters.CharFilter(
        label=gettext_lazy("Post code to"), field_name="post_code", lookup_expr="lte"
    )
    city = django_filters.CharFilter(label=gettext_lazy("City"), lookup_expr="iexact")
    country = _choices(gettext_lazy("Country"), countries)
    language = django_filters.CharFilter(
        label=gettext_lazy("Language"),
        method="filter_languages",
        help_text=gettext_lazy("One or more language codes, e.g. “sv cs”."),
    )
    salesperson = _codes(Salesperson, gettext_lazy("Salesperson"))
    territory = _codes(Territory, gettext_lazy("Territory"))
    correspondence_type = django_filters.MultipleChoiceFilter(
        distinct=False,
        label=gettext_lazy("Correspondence type"),
        choices=[choice for choice in CorrespondenceType.choices if choice[0]],
        widget=forms.CheckboxSelectMultiple,
    )
    created = NamedDateFromToFilter(
        label=gettext_lazy("Created (from – to)"),
        field_name="created_at",
    )
    mailing_group = _codes(MailingGroup, gettext_lazy("Mailing group"))
    industry_group = _codes(IndustryGroup, gettext_lazy("Industry group"))
    business_relation = _codes(BusinessRelation, gettext_lazy("Business relation"))
    job_responsibility = _codes(JobResponsibility, gettext_lazy("Job responsibility"))
    interaction = django_filters.ChoiceFilter(
        label=gettext_lazy("Interaction history"),
        choices=[
            (HAS, gettext_lazy("Has an interaction")),
            (HAS_NOT, gettext_lazy("Has no interaction")),
        ],
        empty_label=gettext_lazy("(any)"),
        method=_collected,
    )
    interaction_template = _codes(
        InteractionTemplate, gettext_lazy("… with template"), method=_collected
    )
    interaction_group = _codes(
        InteractionGroup, gettext_lazy("… in group"), method=_collected
    )
    interaction_evaluation = _choices(
        gettext_lazy("… evaluated"),
        [choice for choice in Evaluation.choices if choice[0]],
        method=_collected,
    )
    interaction_campaign = _codes(
        Campaign, gettext_lazy("… in campaign"), method=_collected
    )
    interaction_date = NamedDateFromToFilter(
        label=gettext_lazy("… dated (from – to)"),
        method=_collected,
    )
    interaction_include_cancelled = CheckboxFilter(
        label=gettext_lazy("… counting cancelled interactions"),
        method=_collected,
        widget=forms.CheckboxInput,
    )
    logged_segment = IdMultipleChoiceFilter(
        distinct=False,
        label=gettext_lazy("In logged segment"),
        queryset=LoggedSegment.objects.all(),
        method="filter_logged_segment",
        widget=forms.SelectMultiple(attrs={"data-enhance": "multi"}),
    )
    logged_correspondence_type = django_filters.MultipleChoiceFilter(
        distinct=False,
        label=gettext_lazy("… logged with correspondence type"),
        choices=LOGGED_CORRESPONDENCE_TYPES,
        method=_collected,
        widget=forms.CheckboxSelectMultiple,
    )
    logged_language = django_filters.CharFilter(
        label=gettext_lazy("… logged in language"),
        method=_collected,
        help_text=gettext_lazy("One or more language codes."),
    )

    class Meta:
        model = Contact
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        for term in value.split():
            queryset = queryset.filter(search_condition(term))
        return queryset

    def filter_numbers(self, queryset, name, value):
        return queryset.filter(number__in=split_values(value, upper=True))

    def filter_company(self, queryset, name, value):
        return queryset.filter(company__number__in=split_values(value, upper=True))

    def filter_codes(self, queryset, name, value):
        return queryset.filter(**{f"{name}__in": value}) if value else queryset

    def filter_languages(self, queryset, name, value):
        return queryset.filter(language__in=split_values(value))

    def filter_linked(self, queryset, name, value):
        if not value:
            return queryset
        relation, via_company = LINKED_FILTERS[name]
        return queryset.filter(linked_through(relation, value, via_company=via_company))

    def filter_logged_segment(self, queryset, name, value):
        if not value:
            return queryset
        entries = InteractionLogEntry.objects.filter(
            logged_segment__in=value, contact=OuterRef("pk")
        )
        kinds = self.form.cleaned_data.get("logged_correspondence_type")
        if kinds:
            entries = entries.filter(
                correspondence_type__in=[
                    CorrespondenceType.BLANK if kind == NO_TYPE else kind
                    for kind in kinds
                ]
            )
        languages = self.form.cleaned_data.get("logged_language")
        if languages:
            entries = entries.filter(language__in=split_values(languages))
        return queryset.filter(Exists(entries))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        wanted = data.get("interaction")
        details = any(data.get(name) for name in INTERACTION_FILTERS[:-1])
        if not wanted and not details:
            return queryset
        entries = InteractionLogEntry.objects.filter(contact=OuterRef("pk"))
        if not data.get("interaction_include_cancelled"):
            entries = entries.filter(cancelled=False)
        for name, lookup in [
            ("interaction_template", "template__in"),
            ("interaction_group", "group__in"),
            ("interaction_evaluation", "evaluation__in"),
            ("interaction_campaign", "campaign__in"),
        ]:
            if data.get(name):
                entries = entries.filter(**{lookup: data[name]})
        dates = data.get("interaction_date")
        if dates and dates.start:
            entries = entries.filter(date__gte=dates.start)
        if dates and dates.stop:
            entries = entries.filter(date__lte=dates.stop)
        condition = Exists(entries)
        return queryset.filter(~condition if wanted == HAS_NOT else condition)


def split_values(value: str, *, upper: bool = False) -> list[str]:
    """'CT1, CT2 CT3' -> ['CT1', 'CT2', 'CT3']."""
    values = [item for item in SEPARATORS.split(value.strip()) if item]
    return [item.upper() for item in values] if upper else [i.lower() for i in values]


def criteria_for(parameters: dict | None) -> ContactCriteria:
    """A bound criteria filter set for stored parameters (values as lists of strings).

    ValidationError if the parameters are not shaped so: stored JSON can hold anything.
    """
    if not isinstance(parameters, dict | None):
        raise ValidationError(DAMAGED_CRITERIA)
    data = MultiValueDict()
    for name, value in (parameters or {}).items():
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(item, str | int | float) for item in values):
            raise ValidationError(DAMAGED_CRITERIA)
        data.setlist(name, [str(item) for item in values])
    return ContactCriteria(data, queryset=Contact.objects.all())


def parameters_from(data) -> dict[str, list[str]]:
    """The non-empty criteria of a submitted form, as stored on a step."""
    names = set(ContactCriteria.base_filters) | {
        f"{name}_{suffix}"
        for name in ("created", "interaction_date")
        for suffix in ("after", "before")
    }
    parameters = {}
    for name, values in data.lists():
        given = [value.strip() for value in values if value.strip()]
        if name in names and given:
            parameters[name] = given
    return parameters


def matching_contacts(parameters: dict | None) -> QuerySet[Contact]:
    """The contacts the criteria select; ValidationError if a value is not valid today."""
    criteria = criteria_for(parameters)
    if not criteria.is_valid():
        raise ValidationError(
            [
                f"{criteria.form.fields[name].label}: {' '.join(errors)}"
                if name in criteria.form.fields
                else " ".join(errors)
                for name, errors in criteria.errors.items()
            ]
        )
    return criteria.qs
