from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.models import (
    Contact,
    CorrespondenceType,
    Salesperson,
    language_code_validator,
)
from core.models import CreatedBy
from interactions.models import (
    Evaluation,
    InteractionDefaults,
    InteractionTemplate,
    WordDocument,
)


class Segment(InteractionDefaults, CreatedBy):
    """A worksheet of contacts to interact with: a header plus one line per contact.

    The header holds the interaction details every line inherits; a line stores
    only what the user changed for its contact (see SegmentLine).
    """

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    description = models.CharField(_("description"), max_length=100, blank=True)
    template = models.ForeignKey(
        InteractionTemplate,
        verbose_name=_("interaction template"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="segments",
    )
    language = models.CharField(
        _("language (default)"),
        max_length=12,
        blank=True,
        validators=[language_code_validator],
        help_text=_(
            "For contacts whose language the template has no document in; "
            "empty means the template’s default language."
        ),
    )
    subject = models.CharField(_("subject (default)"), max_length=100, blank=True)
    salesperson = models.ForeignKey(
        Salesperson,
        verbose_name=_("salesperson"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="segments",
        help_text=_("Empty: each line takes its contact’s salesperson."),
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    document = models.ForeignKey(
        WordDocument,
        verbose_name=_("Word document of this segment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="segments",
        help_text=_(
            "Replaces the template’s documents for every line of this segment."
        ),
    )
    modified_at = models.DateTimeField(_("modified"), auto_now=True)

    class Meta(InteractionDefaults.Meta):
        ordering = ["-number"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        constraints = [
            *InteractionDefaults.Meta.constraints,
            # Reference 1.6: target and response mean something only with a campaign.
            models.CheckConstraint(
                condition=models.Q(campaign__isnull=False)
                | models.Q(campaign_target=False, campaign_response=False),
                name="segment_campaign_flags_need_campaign",
                violation_error_message=_(
                    "Campaign target and campaign response need a campaign."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.description}".strip()

    def get_absolute_url(self):
        return reverse("segmentation:segment_detail", args=[self.pk])


class LineDetails(models.Model):
    """What a line may change of the header's interaction details; NULL means "inherit".

    Shared by segment lines and their snapshots, so Go Back restores a line exactly.
    """

    description = models.CharField(  # noqa: DJ001 - NULL inherits, "" is a value
        _("description"), max_length=100, null=True, blank=True
    )
    subject = models.CharField(_("subject"), max_length=100, null=True, blank=True)  # noqa: DJ001 - NULL inherits, "" is a value
    template = models.ForeignKey(
        InteractionTemplate,
        verbose_name=_("interaction template"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(  # noqa: DJ001 - NULL inherits, "" is a value
        _("language"),
        max_length=12,
        null=True,
        blank=True,
        validators=[language_code_validator],
    )
    correspondence_type = models.CharField(  # noqa: DJ001 - NULL inherits, "" is a value
        _("correspondence type"),
        max_length=10,
        choices=CorrespondenceType.choices,
        null=True,
        blank=True,
    )
    salesperson = models.ForeignKey(
        Salesperson,
        verbose_name=_("salesperson"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    date = models.DateField(_("date"), null=True, blank=True)
    cost = models.DecimalField(
        _("cost"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    duration = models.PositiveIntegerField(
        _("duration (minutes)"), null=True, blank=True
    )
    campaign_target = models.BooleanField(_("campaign target"), null=True, blank=True)
    campaign_response = models.BooleanField(
        _("campaign response"), null=True, blank=True
    )
    evaluation = models.CharField(
        _("evaluation"),
        max_length=15,
        choices=Evaluation.choices,
        blank=True,
        default=Evaluation.BLANK,
    )
    personal_comment = models.TextField(
        _("personal comment"),
        blank=True,
        help_text=_("Merged into the letter’s Comment field."),
    )
    personal_document = models.ForeignKey(
        WordDocument,
        verbose_name=_("personalised document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # What a line may take over from the header: NULL means "as the header says".
    OVERRIDABLE_FIELDS = [
        "template",
        "language",
        "description",
        "subject",
        "correspondence_type",
        "salesperson",
        "date",
        "cost",
        "duration",
        "campaign_target",
        "campaign_response",
    ]
    # What the line form edits: the above plus what only a line has.
    EDITABLE_FIELDS = [*OVERRIDABLE_FIELDS, "evaluation", "personal_comment"]

    class Meta:
        abstract = True


class SegmentLine(LineDetails):
    """One contact on a segment, with whatever was changed for that contact only.

    A contact is on a segment once, unless a step explicitly allowed existing
    contacts: those extra lines are marked as duplicates (a partial unique index).
    """

    segment = models.ForeignKey(
        Segment,
        verbose_name=_("segment"),
        on_delete=models.CASCADE,
        related_name="lines",
        db_index=False,  # the (segment, id) index below serves it
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.PROTECT,
        related_name="segment_lines",
    )
    is_duplicate = models.BooleanField(
        _("duplicate"),
        default=False,
        help_text=_("The contact is on the segment more than once."),
    )
    added_by_step = models.ForeignKey(
        "CriteriaStep",
        verbose_name=_("added by step"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="added_lines",
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("segment line")
        verbose_name_plural = _("segment lines")
        indexes = [
            # The segment page's lines in order: its keyset pages seek in it.
            models.Index(fields=["segment", "id"], name="line_segment_id_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["segment", "contact"],
                condition=models.Q(is_duplicate=False),
                name="one_line_per_contact_per_segment",
                violation_error_message=_("This contact is already on the segment."),
            ),
        ]

    def __str__(self):
        return f"{self.segment.number} · {self.contact}"


class RemovedSegmentLine(LineDetails):
    """A line as it was when a Reduce/Refine step removed it, so Go Back restores it as is.

    The primary key is the removed line's own, which Go Back gives back to it.
    """

    id = models.BigIntegerField(primary_key=True)
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    is_duplicate = models.BooleanField(default=False)
    added_by_step = models.ForeignKey(
        "CriteriaStep", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    removed_by_step = models.ForeignKey(
        "CriteriaStep", on_delete=models.CASCADE, related_name="removed_lines"
    )

    class Meta:
        verbose_name = _("removed segment line")
        verbose_name_plural = _("removed segment lines")

    def __str__(self):
        return f"{self.pk} ({self.removed_by_step})"


class EditedSegmentLine(LineDetails):
    """A line's details as they were before an Edit Lines step, so Go Back puts them back.

    No foreign key to the line: a later Reduce may remove the line (and Go Back
    bring it back with the same id) without losing this snapshot.
    """

    line_id = models.BigIntegerField(_("line"))
    edited_by_step = models.ForeignKey(
        "CriteriaStep", on_delete=models.CASCADE, related_name="edited_lines"
    )

    class Meta:
        verbose_name = _("edited segment line")
        verbose_name_plural = _("edited segment lines")

    def __str__(self):
        return f"{self.line_id} ({self.edited_by_step})"


class StepDefinition(models.Model):
    """An action with its criteria and options: what a step did or a saved step will do."""

    class Action(models.TextChoices):
        ADD = "add", _("Add Contacts")
        REDUCE = "reduce", _("Reduce Contacts")
        REFINE = "refine", _("Refine Contacts")
        EDIT = "edit", _("Edit Lines")

    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    parameters = models.JSONField(
        _("criteria"),
        default=dict,
        blank=True,
        help_text=_("The filter values, as the criteria form takes them."),
    )
    allow_existing_contacts = models.BooleanField(
        _("allow existing contacts"), default=False
    )
    expand_companies = models.BooleanField(_("expand companies"), default=False)
    allow_related_companies = models.BooleanField(
        _("allow related companies"), default=False
    )
    ignore_exclusion = models.BooleanField(_("ignore exclusion"), default=False)
    entire_companies = models.BooleanField(_("entire companies"), default=False)

    class Meta:
        abstract = True


class CriteriaStep(StepDefinition, CreatedBy):
    """One Add / Reduce / Refine / Edit Lines applied to a segment, undone by Go Back."""

    class Origin(models.TextChoices):
        CRITERIA = "criteria", _("Criteria")
        MANUAL = "manual", _("By hand")
        REUSE_SEGMENT = "reuse_segment", _("Reuse Segment")
        REUSE_CRITERIA = "reuse_criteria", _("Reuse Criteria")
        WORKBENCH = "workbench", _("Workbench")

    segment = models.ForeignKey(
        Segment,
        verbose_name=_("segment"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    number = models.PositiveIntegerField(_("step"))
    origin = models.CharField(
        _("origin"), max_length=20, choices=Origin.choices, default=Origin.CRITERIA
    )
    added_count = models.PositiveIntegerField(_("added"), default=0)
    removed_count = models.PositiveIntegerField(_("removed"), default=0)
    edited_count = models.PositiveIntegerField(_("edited"), default=0)
    left_out = models.JSONField(
        _("left out"),
        default=dict,
        blank=True,
        help_text=_("Contacts the step left out, by reason."),
    )

    class Meta:
        ordering = ["segment", "number"]
        verbose_name = _("criteria step")
        verbose_name_plural = _("criteria steps")
        constraints = [
            models.UniqueConstraint(
                fields=["segment", "number"], name="one_step_number_per_segment"
            ),
        ]

    def __str__(self):
        return f"{self.segment.number} #{self.number} {self.get_action_display()}"


class SavedCriteria(CreatedBy):
    """A named list of steps that Reuse Criteria replays on another segment."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    description = models.CharField(_("description"), max_length=100, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("saved criteria")
        verbose_name_plural = _("saved criteria")

    def __str__(self):
        return f"{self.code} – {self.description}" if self.description else self.code

    def get_absolute_url(self):
        return reverse("segmentation:saved_criteria_detail", args=[self.pk])


class SavedCriteriaStep(StepDefinition):
    """One step of saved criteria."""

    saved_criteria = models.ForeignKey(
        SavedCriteria,
        verbose_name=_("saved criteria"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    number = models.PositiveIntegerField(_("step"))

    class Meta:
        ordering = ["saved_criteria", "number"]
        verbose_name = _("saved criteria step")
        verbose_name_plural = _("saved criteria steps")
        constraints = [
            models.UniqueConstraint(
                fields=["saved_criteria", "number"],
                name="one_number_per_saved_criteria_step",
            ),
        ]

    def __str__(self):
        return f"{self.saved_criteria.code} #{self.number}"
