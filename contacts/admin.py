from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contacts.fields import CONTACT_FIELDS, CONTACT_FIELDSETS
from contacts.models import (
    BusinessRelation,
    Contact,
    ContactImport,
    IndustryGroup,
    JobResponsibility,
    MailingGroup,
    NumberSeries,
    Salesperson,
    Territory,
)
from contacts.services import create_contact, update_contact
from core.admin_ids import IdsModelAdmin


@admin.register(
    Territory, IndustryGroup, MailingGroup, BusinessRelation, JobResponsibility
)
class ReferenceDataAdmin(IdsModelAdmin):
    list_display = ["code", "description"]
    search_fields = ["code", "description"]


@admin.register(Salesperson)
class SalespersonAdmin(IdsModelAdmin):
    list_display = ["code", "name", "job_title", "email", "phone", "user"]
    search_fields = ["code", "name", "email"]
    autocomplete_fields = ["user"]


@admin.register(NumberSeries)
class NumberSeriesAdmin(IdsModelAdmin):
    list_display = ["code", "prefix", "width", "last_number"]
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Contact)
class ContactAdmin(IdsModelAdmin):
    list_display = [
        "number",
        "name",
        "type",
        "company",
        "city",
        "country",
        "email",
        "salesperson",
    ]
    list_filter = [
        "type",
        "country",
        "correspondence_type",
        "exclude_from_segments",
        "privacy_blocked",
        "salesperson",
        "territory",
        "mailing_groups",
    ]
    list_select_related = ["company", "salesperson"]
    search_fields = ["number", "name", "company__name", "city", "email"]
    autocomplete_fields = [
        "company",
        "salesperson",
        "territory",
        "mailing_groups",
        "job_responsibilities",
        "industry_groups",
        "business_relations",
    ]
    readonly_fields = ["number", "created_at", "modified_at"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["number", *CONTACT_FIELDSETS[0][1]]}),
        *((title, {"fields": names}) for title, names in CONTACT_FIELDSETS[1:]),
        (_("History"), {"fields": ["created_at", "modified_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in CONTACT_FIELDS}
        if change:
            update_contact(obj, fields=fields, user=request.user)
        else:
            # The admin goes on with its own instance (history, redirect).
            created = create_contact(fields=fields, user=request.user)
            obj.pk, obj.number = created.pk, created.number

    def save_related(self, request, form, formsets, change):
        # The service has set the groups and relations; save only the inlines.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(ContactImport)
class ContactImportAdmin(IdsModelAdmin):
    """Read-only; a user sees their own imports, admins everyone's."""

    list_display = [
        "original_name",
        "status",
        "row_count",
        "error_count",
        "imported_count",
        "uploaded_by",
        "uploaded_at",
    ]
    list_filter = ["status"]
    search_fields = ["original_name"]
    # The file is linked through the view that checks who asks, never its storage URL.
    exclude = ["file"]
    readonly_fields = [
        "download" if field.name == "file" else field.name
        for field in ContactImport._meta.fields
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None
            or obj.uploaded_by_id == request.user.pk
            or request.user.has_perm("contacts.view_every_contactimport")
        )

    @admin.display(description=_("file"))
    def download(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("contacts:contact_import_file", args=[obj.pk]),
            gettext("Download %(name)s") % {"name": obj.original_name},
        )
