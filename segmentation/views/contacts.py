"""The contact list (filtered by the segment criteria), its export, the contact page,
and New Segment from the filtered list.

They live here, not in contacts, because the criteria read interactions and
the list creates segments; config/urls.py keeps them in the contacts namespace.
"""

from urllib.parse import urlencode

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from contacts.exports import export_contacts
from contacts.models import Contact
from core.filter_panel import panel_key
from core.list_count import ListPaginator
from segmentation.criteria import SECTIONS, ContactCriteria, parameters_from
from segmentation.services import create_segment_from_criteria

PAGE_SIZES = [25, 50, 100, 250]
PERSONS_SHOWN = 100


DESCENDING = gettext_lazy("descending")
SORTS = [
    ("number", "number", gettext_lazy("Number")),
    ("name", "name", gettext_lazy("Name")),
    ("company__name", "company", gettext_lazy("Company")),
    ("city", "city", gettext_lazy("City")),
    ("country", "country", gettext_lazy("Country")),
    ("created_at", "created", gettext_lazy("Created")),
]


class ContactListFilter(ContactCriteria):
    """The segment criteria, plus the list's sort order (which selects nothing)."""

    sort = django_filters.OrderingFilter(
        label=gettext_lazy("Sort by"),
        fields=[(field, param) for field, param, _label in SORTS],
        # Every label lazy, the descending ones too: django-filter would format
        # "%s (descending)" once, at import, in English.
        field_labels={
            key: text
            for field, param, label in SORTS
            for key, text in (
                (field, label),
                (f"-{param}", format_lazy("{} ({})", label, DESCENDING)),
            )
        },
    )


def filtered_contacts(
    request, queryset: QuerySet[Contact]
) -> tuple[ContactListFilter, QuerySet[Contact]]:
    """The list's filter set and the contacts it selects (none if a value is not valid)."""
    filterset = ContactListFilter(request.GET, queryset=queryset)
    return filterset, filterset.qs if filterset.is_valid() else queryset.none()


class ContactListView(PermissionRequiredMixin, ListView):
    """Search, filter by every segment criterion, sort and page through contacts."""

    permission_required = "contacts.view_contact"
    raise_exception = True
    model = Contact

    def get_paginate_by(self, queryset):
        size = self.request.GET.get("per_page", "")
        return (
            int(size) if size.isdigit() and int(size) in PAGE_SIZES else PAGE_SIZES[1]
        )

    def get_paginator(self, queryset, per_page, **options):
        """Counts that stay quick at a million contacts (core.list_count)."""
        filtered = bool(parameters_from(self.request.GET))
        return ListPaginator(queryset, per_page, filtered=filtered, **options)

    def get_queryset(self):
        self.filterset, contacts = filtered_contacts(
            self.request, Contact.objects.select_related("company", "salesperson")
        )
        return contacts

    def get_context_data(self, **kwargs):
        form = self.filterset.form
        given = {
            name.removesuffix("_after").removesuffix("_before")
            for name, values in self.request.GET.lists()
            if any(value.strip() for value in values)
        }
        sections = [
            (
                label,
                [form[name] for name in names],
                index == 0 or bool(given & {*names}),
            )
            for index, (label, names) in enumerate(SECTIONS)
        ]
        return super().get_context_data(
            filter=self.filterset,
            sections=sections,
            page_sizes=PAGE_SIZES,
            panel_key=None if given - LIST_ONLY else panel_key(self.request, form),
            **kwargs,
        )


# Parameters of the list that select nothing: with only these the list is unfiltered.
LIST_ONLY = {"sort", "page", "per_page"}


@permission_required("contacts.view_contact", raise_exception=True)
def contact_export(request):
    """Exactly the contacts of the filtered list, in its order, as CSV or Excel."""
    _filterset, contacts = filtered_contacts(request, Contact.objects.all())
    return export_contacts(contacts, file_format=request.GET.get("format", "csv"))


class ContactDetailView(PermissionRequiredMixin, DetailView):
    """A contact card; a company lists its persons, a person shows what it inherits."""

    permission_required = "contacts.view_contact"
    raise_exception = True
    queryset = Contact.objects.select_related(
        "company", "salesperson", "territory"
    ).prefetch_related(
        "mailing_groups",
        "job_responsibilities",
        "industry_groups",
        "business_relations",
        "company__industry_groups",
        "company__business_relations",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contact = self.object
        if contact.is_company:
            persons = contact.persons.order_by("name")
            context["persons"] = persons[:PERSONS_SHOWN]
            context["person_count"] = persons.count()
        return context


@require_POST
@permission_required("segmentation.add_segment", raise_exception=True)
def segment_create_from_contacts(request):
    """New segment from these contacts: the list's criteria as its one Add step."""
    criteria = parameters_from(request.POST)
    try:
        segment = create_segment_from_criteria(criteria=criteria, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        query = urlencode(criteria, doseq=True)
        return redirect(f"{reverse('contacts:contact_list')}?{query}")
    count = segment.steps.get().added_count
    messages.success(
        request,
        ngettext(
            "Segment %(number)s created with %(count)d contact.",
            "Segment %(number)s created with %(count)d contacts.",
            count,
        )
        % {"number": segment.number, "count": count},
    )
    return redirect(segment)
