from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact, CorrespondenceType, MailingGroup, Salesperson
from contacts.widgets import ContactsPicker
from core.compact_forms import JumpForm
from core.ids import IdChoiceField, IdMultipleChoiceField, SelectedIdsField
from interactions.forms import WordUploadField
from interactions.models import InteractionTemplate, LoggedSegment
from segmentation.criteria import LOGGED_CORRESPONDENCE_TYPES, split_values
from segmentation.header_notes import defaults_notes, replaced_values
from segmentation.languages import language_choices
from segmentation.line_values import as_the_segment_says, inherited_values
from segmentation.models import SavedCriteria, Segment, SegmentLine, StepDefinition

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SegmentForm(forms.ModelForm):
    """The segment header: the interaction details every line inherits."""

    take_template_defaults = forms.BooleanField(
        label=_(
            "Take cost, duration, flow, initiated by, correspondence type and campaign "
            "from the template"
        ),
        required=False,
        initial=True,
        help_text=_("Applied when the template is chosen or changed."),
    )
    upload = WordUploadField(
        label=_("Word document of this segment (.docx)"),
        required=False,
        help_text=_("Optional: replaces the template’s documents for every line."),
    )
    remove_document = forms.BooleanField(
        label=_("Remove this segment’s own document"), required=False
    )

    class Meta:
        model = Segment
        fields = [
            "description",
            "template",
            "language",
            "subject",
            "date",
            "salesperson",
            "campaign",
            "campaign_target",
            "campaign_response",
            "correspondence_type",
            "ignore_contact_correspondence_type",
            "unit_cost",
            "unit_duration",
            "information_flow",
            "initiated_by",
        ]
        # Editable only with a campaign (static/js/segmenta.js); the service
        # clears them when there is none.
        widgets = {
            "date": DATE_INPUT,
            "campaign_target": forms.CheckboxInput(
                attrs={"data-needs-value": "id_campaign"}
            ),
            "campaign_response": forms.CheckboxInput(
                attrs={"data-needs-value": "id_campaign"}
            ),
        }
        # The interaction defaults are worded for templates; a header's are defaults
        # for its lines.
        labels = {
            "correspondence_type": capfirst(_("correspondence type (default)")),
        }
        help_texts = {
            "correspondence_type": "",
            "ignore_contact_correspondence_type": _(
                "Use this segment’s correspondence type for every line, whatever the "
                "contact prefers."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = InteractionTemplate.objects.select_related(
            "group"
        )
        self.fields["template"].widget.attrs["data-template-notes"] = "template-notes"
        self.template_notes = defaults_notes(InteractionTemplate.objects.all())
        chosen = self["template"].value()
        self.template_note = self.template_notes.get(str(chosen or ""), "")
        if not self.instance.document_id:
            del self.fields["remove_document"]
        document_fields = ["upload"] + (
            ["remove_document"] if "remove_document" in self.fields else []
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("General"),
                Row(Column("description", css_class="col-md-6"), Column("date")),
                Row(Column("salesperson"), Column("campaign")),
                Row(Column("campaign_target"), Column("campaign_response")),
            ),
            Fieldset(
                _("Interaction"),
                Row(Column("template"), Column("language"), Column("subject")),
                "take_template_defaults",
                HTML('{% include "segmentation/includes/template_notes.html" %}'),
                Row(
                    Column("correspondence_type"),
                    Column("ignore_contact_correspondence_type"),
                ),
                Row(
                    Column("unit_cost"),
                    Column("unit_duration"),
                    Column("information_flow"),
                    Column("initiated_by"),
                ),
                *document_fields,
            ),
        )

    def clean_language(self):
        return self.cleaned_data["language"].strip().lower()

    def replaced_by_template(self) -> list[str]:
        """What the user typed that the newly chosen template's values replace on saving."""
        template = self.cleaned_data["template"]
        if not (self.cleaned_data["take_template_defaults"] and template):
            return []
        if template.pk == self.initial.get("template"):
            return []
        return replaced_values(
            template, typed=self.cleaned_data, changed=self.changed_data
        )


class StepForm(forms.Form):
    """The options of Add, Reduce or Refine Contacts (the criteria are a FilterSet)."""

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        if action == StepDefinition.Action.ADD:
            self.fields["allow_existing_contacts"] = forms.BooleanField(
                label=_("Allow Existing Contacts"),
                required=False,
                help_text=_(
                    "Add contacts already on the segment again, as duplicates."
                ),
            )
            self.fields["expand_companies"] = forms.BooleanField(
                label=_("Expand Companies"),
                required=False,
                help_text=_("Add every contact of each selected contact’s company."),
            )
            self.fields["allow_related_companies"] = forms.BooleanField(
                label=_("Allow Related Companies"),
                required=False,
                help_text=_("Also add the company of each selected person."),
            )
            self.fields["ignore_exclusion"] = forms.BooleanField(
                label=_("Ignore Exclusion"),
                required=False,
                help_text=_(
                    "Add contacts marked “exclude from segments” too. Privacy-blocked "
                    "contacts are never added."
                ),
            )
        else:
            self.fields["entire_companies"] = forms.BooleanField(
                label=_("Entire Companies"),
                required=False,
                help_text=_("A matching contact takes its whole company with it."),
            )


class AddLinesForm(forms.Form):
    contacts = IdMultipleChoiceField(
        label=_("Contacts"),
        queryset=Contact.objects.all(),
        widget=ContactsPicker(),
        error_messages={"required": _("Choose at least one contact.")},
    )


class LineJumpForm(JumpForm):
    """Where the segment's lines start: at a contact's line.

    The lines run in the order they were added; the jump shows the contact's
    line first, and the ones added after it.
    """

    go_contact = forms.CharField(
        label=_("Go to contact No."), required=False, max_length=20
    )

    def clean_go_contact(self):
        return self.cleaned_data["go_contact"].strip().upper()


class RemoveLinesForm(forms.Form):
    lines = SelectedIdsField(
        error_messages={"required": _("Select at least one line to remove.")}
    )


class LineForm(forms.ModelForm):
    """A line's own details; an empty field takes the header's value."""

    correspondence_type = forms.TypedChoiceField(
        label=_("Correspondence type"),
        choices=[("inherit", _("(as the segment says)"))] + CorrespondenceType.choices,
        coerce=str,
        required=False,
    )
    language = forms.ChoiceField(label=_("Language"), required=False)

    class Meta:
        model = SegmentLine
        fields = SegmentLine.EDITABLE_FIELDS
        widgets = {
            "date": DATE_INPUT,
            "personal_comment": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, effective: SegmentLine, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["salesperson"].queryset = Salesperson.objects.all()
        if self.instance.correspondence_type is None:
            self.initial["correspondence_type"] = "inherit"
        for name in ("template", "salesperson", "language", "description", "subject"):
            self.fields[name].help_text = _("Empty: as the segment says.")
        for name in ("campaign_target", "campaign_response"):
            self.fields[name].widget.choices = [
                ("unknown", _("(as the segment says)")),
                ("true", _("Yes")),
                ("false", _("No")),
            ]
        self._show_inherited(effective)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("template"), Column("language"), Column("correspondence_type")),
            Row(Column("description"), Column("subject")),
            Row(Column("campaign_target"), Column("campaign_response")),
            Row(
                Column("salesperson"),
                Column("date"),
                Column("cost"),
                Column("duration"),
                Column("evaluation"),
            ),
            "personal_comment",
            Submit("save", _("Save line")),
        )

    def _show_inherited(self, effective: SegmentLine) -> None:
        """Each field the line inherits shows the value it takes, as Log will use it."""
        values = inherited_values(effective)
        self.fields["language"].choices = [
            ("", as_the_segment_says(values["language"]))
        ] + language_choices(
            with_document=values["document_languages"],
            current=self.instance.language or "",
        )
        self.fields["correspondence_type"].choices = [
            ("inherit", as_the_segment_says(values["correspondence_type"])),
            *CorrespondenceType.choices,
        ]
        for name in ("template", "salesperson"):
            self.fields[name].empty_label = as_the_segment_says(values[name])
        for name in ("description", "subject", "cost", "duration"):
            self.fields[name].widget.attrs["placeholder"] = values[name]
        self.fields["date"].help_text = _("Empty: %(date)s, as the segment says.") % {
            "date": values["date"]
        }

    def clean(self):
        cleaned_data = super().clean()
        for name in ("language", "description", "subject"):
            value = (cleaned_data.get(name) or "").strip()
            cleaned_data[name] = value.lower() if name == "language" else value
            cleaned_data[name] = cleaned_data[name] or None
        if cleaned_data.get("correspondence_type") == "inherit":
            cleaned_data["correspondence_type"] = None
        return cleaned_data


class SaveCriteriaForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    description = forms.CharField(
        label=_("Description"), max_length=100, required=False
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


class ReuseForm(forms.Form):
    """Pick what to reuse; confirm when the segment already has steps."""

    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, segment: Segment, **kwargs):
        super().__init__(*args, **kwargs)
        self.step_count = segment.steps.count()

    def clean(self):
        cleaned_data = super().clean()
        if self.step_count and not cleaned_data.get("confirm"):
            raise forms.ValidationError(
                _(
                    "The segment already has %(count)d criteria steps. Tick the box to "
                    "confirm you want to add more."
                )
                % {"count": self.step_count}
            )
        return cleaned_data


class ReuseCriteriaForm(ReuseForm):
    saved_criteria = IdChoiceField(
        label=_("Saved criteria"), queryset=SavedCriteria.objects.all()
    )


class ReuseSegmentForm(ReuseForm):
    logged_segment = IdChoiceField(
        label=_("Logged segment"), queryset=LoggedSegment.objects.all()
    )


class LogForm(forms.Form):
    """Log: the options of logging a segment."""

    segment_number = forms.CharField(widget=forms.HiddenInput)
    # What the user saw and confirms: logging refuses if the segment changed since
    # (a page without them, e.g. from before an upgrade, counts as changed).
    expected_lines = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, required=False
    )
    expected_step = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, required=False
    )
    create_follow_up = forms.BooleanField(
        label=_("Create Follow-up Segment"),
        required=False,
        help_text=_("A new segment with the same contacts, to follow up on them."),
    )
    deliver = forms.BooleanField(
        label=_("Send attachments"),
        required=False,
        help_text=_(
            "The interactions are to be sent: every e-mail line needs an e-mail "
            "address. Without it, e-mail lines of contacts without an address are "
            "logged with no correspondence type."
        ),
    )

    def __init__(self, *args, can_deliver: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_deliver:
            self.fields["deliver"].disabled = True
            self.fields["deliver"].help_text = _(
                "No line has a correspondence type, so there is nothing to send."
            )


class FollowUpForm(forms.Form):
    """Create Follow-up Segment from a logged segment, optionally for some contacts."""

    correspondence_types = forms.MultipleChoiceField(
        label=_("Only contacts logged with correspondence type"),
        choices=LOGGED_CORRESPONDENCE_TYPES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.CharField(
        label=_("Only contacts logged in language"),
        required=False,
        help_text=_("One or more language codes, e.g. “sv cs”. Empty: all languages."),
    )

    def clean_languages(self):
        return split_values(self.cleaned_data["languages"])


class PersonalDocumentForm(forms.Form):
    """The edited letter of one contact, uploaded back to its line."""

    document = WordUploadField(
        label=_("Personalised letter (.docx)"),
        help_text=_("Download the letter, edit it in Word, and upload it here."),
        error_messages={"required": _("Choose the edited .docx file to upload.")},
    )


class MailingGroupForm(forms.Form):
    """Apply Mailing Group: the group every contact of the segment goes into."""

    mailing_group = IdChoiceField(
        label=_("Mailing group"),
        queryset=MailingGroup.objects.all(),
        error_messages={"required": _("Specify a mailing group.")},
    )
    delete_old_assignments = forms.BooleanField(
        label=_("Delete old assignments"),
        required=False,
        help_text=_(
            "First take every contact that is not on the segment out of the group."
        ),
    )


class LineSelectionForm(forms.Form):
    """Which lines Edit Lines works on: the ticked ones, or all the filter matches."""

    lines = SelectedIdsField(required=False)
    all_matching = forms.BooleanField(required=False)
    expected = forms.IntegerField(min_value=0, required=False)

    def clean(self):
        cleaned_data = super().clean()
        if self.errors:
            return cleaned_data
        if cleaned_data["all_matching"]:
            if cleaned_data["expected"] is None:
                raise forms.ValidationError(
                    _("The selection is not valid; reload the page and try again.")
                )
        elif not cleaned_data["lines"]:
            raise forms.ValidationError(
                _("Select at least one line, or all matching lines.")
            )
        else:
            cleaned_data["expected"] = len(cleaned_data["lines"])
        return cleaned_data


LEAVE_AS_IT_IS = _("(leave as it is)")


class LineEditForm(forms.Form):
    """Edit Lines: a new value, or back to the header's, for any overridable field.

    Built from SegmentLine.OVERRIDABLE_FIELDS, so a new overridable field shows
    up here by itself. An empty value leaves the field as it is.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for name in SegmentLine.OVERRIDABLE_FIELDS:
            model_field = SegmentLine._meta.get_field(name)
            field = model_field.formfield(required=False)
            if name == "date":
                field.widget = DATE_INPUT
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = LEAVE_AS_IT_IS
            elif isinstance(field, forms.ChoiceField):
                # An empty choice leaves the field alone here, whatever it means
                # on a single line's form.
                field.choices = [("", LEAVE_AS_IT_IS)] + [
                    choice for choice in field.choices if choice[0] != ""
                ]
            self.fields[name] = field
            self.fields[f"reset_{name}"] = forms.BooleanField(
                label=_("Reset to the header"),
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.rows.append((self[name], self[f"reset_{name}"]))

    def clean(self):
        cleaned_data = super().clean()
        self.changes = {}
        for name in SegmentLine.OVERRIDABLE_FIELDS:
            value = cleaned_data.get(name)
            if isinstance(value, str):
                value = value.strip().lower() if name == "language" else value.strip()
            given = value not in forms.Field.empty_values
            if cleaned_data.get(f"reset_{name}"):
                if given:
                    self.add_error(
                        name,
                        _("Give a new value or reset to the header, not both."),
                    )
                self.changes[name] = None
            elif given:
                self.changes[name] = value
        if not self.errors and not self.changes:
            raise forms.ValidationError(
                _(
                    "Give a new value or tick “Reset to the header” for at least one field."
                )
            )
        return cleaned_data


def edit_lines_arguments(
    selection: LineSelectionForm, line_filter, form: LineEditForm
) -> dict:
    """edit_lines' keyword arguments (but the user) from its three valid forms."""
    all_matching = selection.cleaned_data["all_matching"]
    return {
        "changes": form.changes,
        "line_ids": selection.cleaned_data["lines"],
        "filters": line_filter.cleaned_data if all_matching else None,
        "expected_count": selection.cleaned_data["expected"],
    }
