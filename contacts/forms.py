from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from contacts.fields import CONTACT_FIELDS
from contacts.imports import MAX_FILE_SIZE
from contacts.models import Contact
from contacts.widgets import ContactPicker
from core.ids import IdChoiceField, IdMultipleChoiceField


class ContactForm(forms.ModelForm):
    """Create or edit a contact; companies hold the inherited groups and relations."""

    class Meta:
        model = Contact
        fields = CONTACT_FIELDS
        widgets = {
            "company": ContactPicker(contact_type=Contact.Type.COMPANY),
            "mailing_groups": forms.CheckboxSelectMultiple,
            "job_responsibilities": forms.CheckboxSelectMultiple,
            "industry_groups": forms.CheckboxSelectMultiple,
            "business_relations": forms.CheckboxSelectMultiple,
            "language": forms.TextInput(attrs={"placeholder": "en, sv, fr, cs…"}),
        }
        field_classes = {
            "company": IdChoiceField,
            "salesperson": IdChoiceField,
            "territory": IdChoiceField,
            "mailing_groups": IdMultipleChoiceField,
            "job_responsibilities": IdMultipleChoiceField,
            "industry_groups": IdMultipleChoiceField,
            "business_relations": IdMultipleChoiceField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                _("General"),
                Row(
                    Column("type", css_class="col-md-3"),
                    Column("name"),
                    Column("name_2"),
                ),
                Row(Column("company"), Column("job_title")),
            ),
            Fieldset(
                _("Address"),
                Row(Column("address"), Column("address_2")),
                Row(
                    Column("post_code", css_class="col-md-2"),
                    Column("city"),
                    Column("county"),
                    Column("country"),
                ),
            ),
            Fieldset(
                _("Communication"),
                Row(
                    Column("phone"),
                    Column("mobile"),
                    Column("fax"),
                ),
                Row(
                    Column("email"),
                    Column("website"),
                    Column("vat_registration_number"),
                ),
            ),
            Fieldset(
                _("Segmentation"),
                Row(
                    Column("language", css_class="col-md-2"),
                    Column("correspondence_type"),
                    Column("salesperson"),
                    Column("territory"),
                ),
                Row(Column("formal_salutation"), Column("informal_salutation")),
                Row(Column("exclude_from_segments"), Column("privacy_blocked")),
                Row(
                    Column("mailing_groups"),
                    Column("job_responsibilities"),
                    Column("industry_groups"),
                    Column("business_relations"),
                ),
            ),
            Submit("save", _("Save")),
        )

    def clean_language(self):
        return self.cleaned_data["language"].strip().lower()

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("type") == Contact.Type.COMPANY:
            if cleaned_data.get("company"):
                self.add_error(
                    "company", _("A company cannot belong to another company.")
                )
        elif cleaned_data.get("type") == Contact.Type.PERSON:
            for field in ("industry_groups", "business_relations"):
                if cleaned_data.get(field):
                    self.add_error(
                        field,
                        _(
                            "Set this on the person’s company; "
                            "persons inherit it from their company."
                        ),
                    )
            if (
                self.instance.pk
                and self.instance.is_company
                and self.instance.persons.exists()
            ):
                self.add_error(
                    "type",
                    _(
                        "This company still has persons; move them to another company first."
                    ),
                )
        company = cleaned_data.get("company")
        if company and self.instance.pk and company.pk == self.instance.pk:
            self.add_error("company", _("A contact cannot be its own company."))
        return cleaned_data


class ContactImportForm(forms.Form):
    """Upload of a CSV or XLSX file of contacts."""

    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A .csv (UTF-8, comma or semicolon) or .xlsx file of at most 50 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = True
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("upload", _("Check the file")))

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if file.size > MAX_FILE_SIZE:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return file
