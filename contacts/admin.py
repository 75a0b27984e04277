from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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
from contacts.numbering import take_numbers


@admin.register(
    Territory, IndustryGroup, MailingGroup, BusinessRelation, JobResponsibility
)
class ReferenceDataAdmin(admin.ModelAdmin):
    list_display = ["code", "description"]
    search_fields = ["code", "description"]


@admin.register(Salesperson)
class SalespersonAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "job_title", "email", "phone", "user"]
    search_fields = ["code", "name", "email"]
    autocomplete_fields = ["user"]


@admin.register(NumberSeries)
class NumberSeriesAdmin(admin.ModelAdmin):
    list_display = ["code", "prefix", "width", "last_number"]
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
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
        (
            None,
            {"fields": ["number", "type", "name", "name_2", "company", "job_title"]},
        ),
        (
            _("Address"),
            {
                "fields": [
                    "address",
                    "address_2",
                    "post_code",
                    "city",
                    "county",
                    "country",
                ]
            },
        ),
        (_("Communication"), {"fields": ["phone", "mobile", "email", "website"]}),
        (
            _("Segmentation"),
            {
                "fields": [
                    "language",
                    "correspondence_type",
                    "salesperson",
                    "territory",
                    "formal_salutation",
                    "informal_salutation",
                    "exclude_from_segments",
                    "privacy_blocked",
                    "mailing_groups",
                    "job_responsibilities",
                    "industry_groups",
                    "business_relations",
                ]
            },
        ),
        (_("History"), {"fields": ["created_at", "modified_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.number = take_numbers("contact")[0]
        super().save_model(request, obj, form, change)


@admin.register(ContactImport)
class ContactImportAdmin(admin.ModelAdmin):
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
    readonly_fields = [field.name for field in ContactImport._meta.fields]

    def has_add_permission(self, request):
        return False
