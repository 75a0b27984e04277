from django import forms
from django.contrib import admin
from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin_ids import IdsModelAdmin, IdsStackedInline
from core.money import money
from interactions.email_body import (
    fill_placeholders,
    placeholder_report,
    sample_values,
)
from interactions.forms import WordUploadField
from interactions.merge_fields import document_problems
from interactions.models import (
    Campaign,
    CompanyInformation,
    InteractionGroup,
    InteractionTemplate,
    TemplateDocument,
    TemplateEmail,
    WordDocument,
)
from interactions.services import store_word_document


def with_statistics(queryset, entries: str):
    """Annotate interactions, cost and duration of the entries that are not cancelled."""
    not_cancelled = Q(**{f"{entries}__cancelled": False})
    return queryset.annotate(
        interaction_count=Count(entries, filter=not_cancelled),
        total_cost=Coalesce(
            Sum(f"{entries}__cost", filter=not_cancelled),
            Value(0),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        ),
        total_duration=Coalesce(Sum(f"{entries}__duration", filter=not_cancelled), 0),
    )


class StatisticsAdmin(IdsModelAdmin):
    """Shows the number, cost and duration of the interactions that are not cancelled."""

    statistics_relation = ""

    def get_queryset(self, request):
        return with_statistics(super().get_queryset(request), self.statistics_relation)

    @admin.display(description=_("interactions"), ordering="interaction_count")
    def interactions(self, obj):
        return obj.interaction_count

    @admin.display(description=_("cost"), ordering="total_cost")
    def cost(self, obj):
        return money(obj.total_cost)

    @admin.display(description=_("duration (minutes)"), ordering="total_duration")
    def duration(self, obj):
        return obj.total_duration


@admin.register(InteractionGroup)
class InteractionGroupAdmin(StatisticsAdmin):
    statistics_relation = "log_entries"
    list_display = ["code", "description", "interactions", "cost", "duration"]
    search_fields = ["code", "description"]
    readonly_fields = ["interactions", "cost", "duration"]


def merge_field_summary(document: WordDocument) -> str:
    """The document's merge fields, then any field merging cannot fill, as a warning."""
    names = format_html_join(
        " ", "<code>{}</code>", ((name,) for name in document.merge_fields)
    )
    problems = document_problems(document)
    if not problems:
        return names or gettext("none")
    return format_html(
        '{}<ul class="errorlist unmergeable-fields"><li>{}<ul>{}</ul></li></ul>',
        names or gettext("none"),
        gettext("Fields that cannot be filled"),
        format_html_join(
            "",
            "<li><code>{}</code> – {}</li>",
            ((problem.field, problem.reason) for problem in problems),
        ),
    )


class TemplateDocumentForm(forms.ModelForm):
    """A template's document in one language; a new upload replaces it with a new version."""

    upload = WordUploadField(
        label=_("Word document (.docx)"),
        required=False,
        help_text=_("Uploading a new file keeps the old one for history."),
    )

    class Meta:
        model = TemplateDocument
        fields = ["language", "description"]

    def clean_language(self):
        return self.cleaned_data["language"].strip().lower()

    def clean(self):
        cleaned_data = super().clean()
        missing = not self.instance.document_id and not cleaned_data.get("upload")
        if missing and "upload" not in self.errors:
            self.add_error("upload", gettext("Upload a Word document (.docx)."))
        return cleaned_data


class TemplateDocumentFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        template = self.instance
        languages = {
            form.cleaned_data["language"]
            for form in self.forms
            if form.cleaned_data
            and form.cleaned_data.get("language")
            and not form.cleaned_data.get("DELETE")
        }
        if languages and template.default_language not in languages:
            raise forms.ValidationError(
                gettext(
                    "The default language (%(language)s) must be one of the languages "
                    "of the documents: %(languages)s."
                )
                % {
                    "language": template.default_language or gettext("none"),
                    "languages": ", ".join(sorted(languages)),
                }
            )


class TemplateDocumentInline(IdsStackedInline):
    """Stacked, so each box has its own label (a tabular inline labels columns only)."""

    model = TemplateDocument
    form = TemplateDocumentForm
    formset = TemplateDocumentFormSet
    extra = 0
    fields = ["language", "description", "upload", "current_document", "fields_found"]
    readonly_fields = ["current_document", "fields_found"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("document")

    @admin.display(description=_("current document"))
    def current_document(self, obj):
        if not obj.document_id:
            return "–"
        return format_html(
            '<a href="{}">{}</a>', obj.document.get_absolute_url(), obj.document
        )

    @admin.display(description=_("merge fields in the document"))
    def fields_found(self, obj):
        if not obj.document_id:
            return "–"
        return merge_field_summary(obj.document)


class TemplateEmailForm(forms.ModelForm):
    """A template's e-mail text in one language; unknown placeholders are refused."""

    class Meta:
        model = TemplateEmail
        fields = ["language", "body_text", "body_html"]
        widgets = {
            "body_text": forms.Textarea(attrs={"rows": 8, "cols": 60}),
            "body_html": forms.Textarea(attrs={"rows": 4, "cols": 60}),
        }

    def clean_language(self):
        return self.cleaned_data["language"].strip().lower()

    def clean(self):
        cleaned_data = super().clean()
        for name in ["body_text", "body_html"]:
            unknown = [
                report
                for report in placeholder_report(cleaned_data.get(name, ""))
                if not report.known
            ]
            if unknown:
                self.add_error(
                    name,
                    gettext("Unknown placeholders: %(names)s.")
                    % {
                        "names": ", ".join(
                            f"{{{report.name}}}"
                            + (
                                gettext(" (did you mean {%(name)s}?)")
                                % {"name": report.suggestion}
                                if report.suggestion
                                else ""
                            )
                            for report in unknown
                        )
                    },
                )
        return cleaned_data


class TemplateEmailInline(IdsStackedInline):
    model = TemplateEmail
    form = TemplateEmailForm
    extra = 0
    fields = ["language", "body_text", "body_html", "preview"]
    readonly_fields = ["preview"]

    @admin.display(description=_("preview (saved text, sample contact)"))
    def preview(self, obj):
        if not obj.pk:
            return gettext("Save to see a preview.")
        text = fill_placeholders(
            obj.body_text, sample_values(obj.language), language=obj.language
        )
        return format_html('<pre class="email-preview">{}</pre>', text)


@admin.register(InteractionTemplate)
class InteractionTemplateAdmin(StatisticsAdmin):
    statistics_relation = "log_entries"
    list_display = [
        "code",
        "description",
        "group",
        "correspondence_type",
        "default_language",
        "document_languages",
        "interactions",
        "cost",
        "duration",
    ]
    list_filter = [
        "group",
        "correspondence_type",
        "information_flow",
        "initiated_by",
        "campaign",
    ]
    list_select_related = ["group"]
    search_fields = ["code", "description", "group__code", "group__description"]
    # Plain selects: a few dozen groups and campaigns, and admin's select2 boxes
    # have no accessible name while empty.
    readonly_fields = ["interactions", "cost", "duration"]
    inlines = [TemplateDocumentInline, TemplateEmailInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "description",
                    "group",
                    "campaign",
                    ("campaign_target", "campaign_response"),
                ]
            },
        ),
        (
            _("Interaction"),
            {
                "fields": [
                    "unit_cost",
                    "unit_duration",
                    "information_flow",
                    "initiated_by",
                    "correspondence_type",
                    "ignore_contact_correspondence_type",
                    "default_language",
                ]
            },
        ),
        (_("E-mail"), {"fields": ["attachment_format"]}),
        (_("Statistics"), {"fields": ["interactions", "cost", "duration"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("documents")

    @admin.display(description=_("documents"))
    def document_languages(self, obj):
        return ", ".join(document.language for document in obj.documents.all()) or "–"

    def save_formset(self, request, form, formset, change):
        for document_form in formset.forms:
            upload = document_form.cleaned_data.get("upload")
            if upload and not document_form.cleaned_data.get("DELETE"):
                document_form.instance.document = store_word_document(
                    upload["data"], file_name=upload["name"], user=request.user
                )
        super().save_formset(request, form, formset, change)


@admin.register(Campaign)
class CampaignAdmin(IdsModelAdmin):
    list_display = ["code", "description", "starting_date", "ending_date"]
    search_fields = ["code", "description"]
    date_hierarchy = "starting_date"


@admin.register(WordDocument)
class WordDocumentAdmin(IdsModelAdmin):
    """Read-only: documents are uploaded on templates and never change."""

    list_display = ["file_name", "size", "field_count", "uploaded_by", "uploaded_at"]
    search_fields = ["file_name", "sha256"]
    list_select_related = ["uploaded_by"]
    fields = [
        "file_name",
        "download",
        "size",
        "sha256",
        "merge_field_list",
        "uploaded_by",
        "uploaded_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("merge fields"))
    def field_count(self, obj):
        return len(obj.merge_fields)

    @admin.display(description=_("merge fields"))
    def merge_field_list(self, obj):
        return merge_field_summary(obj)

    @admin.display(description=_("download"))
    def download(self, obj):
        return format_html(
            '<a href="{}">{}</a>', obj.get_absolute_url(), gettext("Download")
        )


@admin.register(CompanyInformation)
class CompanyInformationAdmin(IdsModelAdmin):
    """Our own name and address for letters: one row."""

    list_display = ["name", "city", "country", "phone", "email"]

    def has_add_permission(self, request):
        return (
            super().has_add_permission(request)
            and not CompanyInformation.objects.exists()
        )
