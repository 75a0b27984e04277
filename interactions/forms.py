from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact, CorrespondenceType, Salesperson
from contacts.widgets import ContactPicker
from core.compact_forms import JumpForm
from core.ids import IdChoiceField, SelectedIdsField
from interactions.models import Campaign, Evaluation, InteractionTemplate
from interactions.word_merge import DocumentError, read_merge_fields
from interactions.word_package import MAX_DOCUMENT_BYTES, too_large_message

AUTOMATIC = "auto"
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InteractionForm(forms.Form):
    """Create Interaction for one contact; empty fields take the template's defaults."""

    contact = IdChoiceField(
        label=_("Contact"),
        queryset=Contact.objects.all(),
        required=False,
        widget=ContactPicker(),
    )
    template = IdChoiceField(
        label=_("Interaction template"),
        queryset=InteractionTemplate.objects.select_related("group"),
        required=False,
    )
    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=100,
        required=False,
        help_text=_("Left empty, the template’s description is used."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=100, required=False)
    correspondence_type = forms.ChoiceField(
        label=_("Correspondence type"),
        choices=[(AUTOMATIC, _("As the template and the contact say"))]
        + CorrespondenceType.choices,
        initial=AUTOMATIC,
    )
    salesperson = IdChoiceField(
        label=_("Salesperson"), queryset=Salesperson.objects.all(), required=False
    )
    evaluation = forms.ChoiceField(
        label=_("Evaluation"), choices=Evaluation.choices, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("contact"), Column("template")),
            Row(Column("date"), Column("salesperson"), Column("correspondence_type")),
            Row(Column("description"), Column("subject")),
            Row(Column("evaluation", css_class="col-md-4")),
            Submit("save", _("Create Interaction")),
        )

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("contact") and "contact" not in self.errors:
            self.add_error("contact", _("You must select a contact to interact with."))
        template = cleaned_data.get("template")
        if template and not cleaned_data.get("description"):
            cleaned_data["description"] = template.description
        contact = cleaned_data.get("contact")
        if contact and contact.privacy_blocked:
            self.add_error(
                "contact",
                _("This contact is privacy blocked; no interaction can be logged."),
            )
        for name in ("template", "salesperson", "date", "description"):
            if not cleaned_data.get(name) and name not in self.errors:
                self.add_error(
                    name,
                    _("You must fill in the %(field)s field.")
                    % {"field": self.fields[name].label},
                )
        if cleaned_data.get("correspondence_type") == AUTOMATIC:
            cleaned_data["correspondence_type"] = None
        return cleaned_data


def _size_limit() -> str:
    return gettext("At most %(megabytes)d MB.") % {
        "megabytes": MAX_DOCUMENT_BYTES // (1024 * 1024)
    }


_SIZE_LIMIT = lazy(_size_limit, str)()


class WordUploadField(forms.FileField):
    """A Word document (.docx) upload, read once and checked before anything keeps it.

    Cleans to {"name": …, "data": bytes}, or None when nothing new was uploaded.
    """

    def __init__(self, *, help_text="", **kwargs):
        kwargs["help_text"] = format_lazy("{} {}", help_text, _SIZE_LIMIT)
        kwargs.setdefault(
            "widget",
            forms.ClearableFileInput(
                attrs={
                    "accept": ".docx,application/vnd.openxmlformats-officedocument"
                    ".wordprocessingml.document"
                }
            ),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload or upload is initial:
            return None
        # The declared size first, so a huge upload is not read into memory.
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(too_large_message(), code="too_large")
        content = upload.read()
        try:
            read_merge_fields(content, file_name=upload.name)
        except DocumentError as error:
            raise forms.ValidationError(str(error), code="not_a_document") from error
        return {"name": upload.name, "data": content}


class LogEntryActionForm(forms.Form):
    """Evaluate, cancel or restore the entries ticked on the Interaction Log."""

    EVALUATE = "evaluate"
    CANCEL = "cancel"
    RESTORE = "restore"

    entries = SelectedIdsField(
        error_messages={"required": _("Select at least one interaction.")}
    )
    action = forms.ChoiceField(
        choices=[
            (EVALUATE, _("Evaluate")),
            (CANCEL, pgettext_lazy("mark as cancelled", "Cancel")),
            (RESTORE, _("Restore")),
        ]
    )
    evaluation = forms.ChoiceField(
        choices=[choice for choice in Evaluation.choices if choice[0]],
        required=False,
    )

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("action") == self.EVALUATE and not cleaned_data.get(
            "evaluation"
        ):
            self.add_error("evaluation", _("Choose an evaluation."))
        return cleaned_data


class LogJumpForm(JumpForm):
    """Where the Interaction Log starts: at a date or at an entry number.

    The log runs newest first, so a date starts it at that day's last entry (or
    the last one before it) and an entry number at that entry, wherever it
    falls in the filtered list.
    """

    go_date = forms.DateField(
        label=_("Go to date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    go_entry = forms.IntegerField(
        label=_("Go to entry No."), required=False, min_value=1, max_value=2**62
    )

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("go_date") and cleaned_data.get("go_entry"):
            raise forms.ValidationError(_("Give a date or an entry number, not both."))
        return cleaned_data


class CancelledSegmentsRangeForm(forms.Form):
    """Delete Cancelled Segments: which logged segments, by date and/or segment number."""

    created_from = forms.DateField(
        label=_("Created from"), required=False, widget=DATE_INPUT
    )
    created_to = forms.DateField(
        label=_("Created to"), required=False, widget=DATE_INPUT
    )
    # Segment numbers, the identity users know: zero-padded, so they sort as text.
    number_from = forms.CharField(label=_("Number from"), required=False, max_length=20)
    number_to = forms.CharField(label=_("Number to"), required=False, max_length=20)

    def clean_number_from(self):
        return self.cleaned_data["number_from"].upper() or None

    def clean_number_to(self):
        return self.cleaned_data["number_to"].upper() or None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if all(value is None for value in data.values()):
            raise forms.ValidationError(_("Give a date range, a number range or both."))
        for start, end in (
            ("created_from", "created_to"),
            ("number_from", "number_to"),
        ):
            if (
                data[start] is not None
                and data[end] is not None
                and data[start] > data[end]
            ):
                self.add_error(end, _("The end comes before the start."))
        return data


class CampaignForm(forms.ModelForm):
    """A campaign's code, description and dates, on the campaign pages."""

    class Meta:
        model = Campaign
        fields = ["code", "description", "starting_date", "ending_date"]
        widgets = {"starting_date": DATE_INPUT, "ending_date": DATE_INPUT}

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()
