from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from contacts.models import (
    Contact,
    CorrespondenceType,
    ReferenceData,
    Salesperson,
    language_code_validator,
)
from core.files import PrivateUploadTo
from core.models import CreatedBy


class InformationFlow(models.TextChoices):
    BLANK = "", _("(none)")
    OUTBOUND = "outbound", _("Outbound")
    INBOUND = "inbound", _("Inbound")


class InitiatedBy(models.TextChoices):
    BLANK = "", _("(none)")
    US = "us", _("Us")
    THEM = "them", _("Them")


class Evaluation(models.TextChoices):
    # Its own words: French and Czech agree "none" with the (feminine) evaluation.
    BLANK = "", pgettext_lazy("evaluation", "(none)")
    VERY_POSITIVE = "very_positive", _("Very positive")
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")
    VERY_NEGATIVE = "very_negative", _("Very negative")


class AttachmentFormat(models.TextChoices):
    PDF = "pdf", _("PDF")
    DOCX = "docx", _("Word document (.docx)")


class DeliveryStatus(models.TextChoices):
    """Where an interaction's letter or e-mail is on its way out."""

    NONE = "", _("(not to be sent)")
    PENDING = "pending", _("Pending")
    # Committed before the SMTP transaction: found after a crash, it is sent again.
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    NOT_SENT = "not_sent", _("Not sent")
    PRINTED = "printed", _("Printed")


class NotSentReason(models.TextChoices):
    NONE = "", pgettext_lazy("reason not sent", "(none)")
    CANCELLED = "cancelled", _("Cancelled")
    NO_ADDRESS = "no_address", _("No e-mail address")
    EXCLUDED = "excluded", _("Excluded from segments")
    PRIVACY_BLOCKED = "privacy_blocked", _("Privacy blocked")
    FAX = "fax", _("Fax: logged only")


class Campaign(models.Model):
    """A marketing campaign that interactions and segments can be attributed to."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    description = models.CharField(_("description"), max_length=100)
    starting_date = models.DateField(_("starting date"), null=True, blank=True)
    ending_date = models.DateField(_("ending date"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ending_date__isnull=True)
                | models.Q(starting_date__isnull=True)
                | models.Q(ending_date__gte=models.F("starting_date")),
                name="campaign_ends_after_it_starts",
                violation_error_message=_(
                    "The ending date cannot be before the starting date."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.description}"


class InteractionGroup(ReferenceData):
    """A kind of interaction (letters, e-mails, meetings, phone calls) for statistics."""

    class Meta(ReferenceData.Meta):
        verbose_name = _("interaction group")
        verbose_name_plural = _("interaction groups")


class InteractionDefaults(models.Model):
    """The interaction details a template proposes and a segment header passes to its lines.

    Choosing a template copies every one of these fields onto the segment header.
    """

    unit_cost = models.DecimalField(
        _("unit cost"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    unit_duration = models.PositiveIntegerField(_("unit duration (minutes)"), default=0)
    information_flow = models.CharField(
        _("information flow"),
        max_length=10,
        choices=InformationFlow.choices,
        blank=True,
        default=InformationFlow.BLANK,
    )
    initiated_by = models.CharField(
        _("initiated by"),
        max_length=10,
        choices=InitiatedBy.choices,
        blank=True,
        default=InitiatedBy.BLANK,
    )
    correspondence_type = models.CharField(
        _("default correspondence type"),
        max_length=10,
        choices=CorrespondenceType.choices,
        blank=True,
        default=CorrespondenceType.BLANK,
        help_text=_(
            "Used for contacts without a preferred correspondence type, "
            "or for everyone when the contact’s preference is ignored."
        ),
    )
    ignore_contact_correspondence_type = models.BooleanField(
        _("ignore contact correspondence type"),
        default=False,
        help_text=_(
            "Always use this template’s correspondence type, whatever the contact prefers."
        ),
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    campaign_target = models.BooleanField(
        _("campaign target"),
        default=False,
        help_text=_("The contacts are the campaign’s target group."),
    )
    campaign_response = models.BooleanField(
        _("campaign response"),
        default=False,
        help_text=_("The interactions are responses to the campaign."),
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit_cost__gte=0),
                name="%(app_label)s_%(class)s_unit_cost_not_negative",
            ),
        ]

    def interaction_defaults(self) -> dict:
        """These fields' values; an empty campaign is left out (it never clears one)."""
        return {
            field.name: getattr(self, field.name)
            for field in InteractionDefaults._meta.fields
            if field.name != "campaign" or self.campaign_id
        }


class InteractionTemplate(InteractionDefaults):
    """The defaults of one kind of interaction, with a Word document per language."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    group = models.ForeignKey(
        InteractionGroup,
        verbose_name=_("interaction group"),
        on_delete=models.PROTECT,
        related_name="templates",
    )
    description = models.CharField(
        _("description"),
        max_length=100,
        help_text=_("Becomes the interaction’s description when none is given."),
    )
    default_language = models.CharField(
        _("default language"),
        max_length=12,
        blank=True,
        validators=[language_code_validator],
        help_text=_(
            "The document in this language is used for contacts whose language "
            "the template has no document in."
        ),
    )
    attachment_format = models.CharField(
        _("e-mail attachment format"),
        max_length=4,
        choices=AttachmentFormat.choices,
        default=AttachmentFormat.PDF,
        db_default=AttachmentFormat.PDF,
        help_text=_(
            "How the merged letter is attached to e-mails. A .docx is attached when "
            "PDF conversion is not available."
        ),
    )

    class Meta(InteractionDefaults.Meta):
        ordering = ["code"]
        verbose_name = _("interaction template")
        verbose_name_plural = _("interaction templates")

    def __str__(self):
        return f"{self.code} – {self.description}"


class WordDocument(models.Model):
    """An uploaded Word file; never changed, so logged interactions can always re-merge it.

    Replacing a template's document stores a new WordDocument and points the
    template at it; the old one stays for the interactions that used it.
    """

    file = models.FileField(_("file"), upload_to=PrivateUploadTo("word-documents"))
    file_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    merge_fields = models.JSONField(
        _("merge fields"),
        default=list,
        help_text=_("The MERGEFIELD names found in the document when it was uploaded."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("Word document")
        verbose_name_plural = _("Word documents")

    def __str__(self):
        return self.file_name

    def get_absolute_url(self):
        return reverse("interactions:word_document_download", args=[self.pk])


class TemplateLanguageVersion(models.Model):
    """What a template has once per language; each subclass declares its `template` link."""

    language = models.CharField(
        _("language"), max_length=12, validators=[language_code_validator]
    )

    class Meta:
        abstract = True
        ordering = ["template", "language"]

    def __str__(self):
        return f"{self.template.code} ({self.language})"


class TemplateDocument(TemplateLanguageVersion):
    """The Word document of an interaction template in one language."""

    template = models.ForeignKey(
        InteractionTemplate,
        verbose_name=_("interaction template"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    description = models.CharField(_("description"), max_length=100, blank=True)
    document = models.ForeignKey(
        WordDocument,
        verbose_name=_("Word document"),
        on_delete=models.PROTECT,
        related_name="template_documents",
    )

    class Meta(TemplateLanguageVersion.Meta):
        verbose_name = _("template document")
        verbose_name_plural = _("template documents")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "language"],
                name="one_document_per_template_language",
                violation_error_message=_(
                    "This template already has a document in this language."
                ),
            ),
        ]


class TemplateEmail(TemplateLanguageVersion):
    """The e-mail text of an interaction template in one language.

    Placeholders such as {Contact_Name} use the letters' merge-field names; only
    known fields are replaced, by plain substitution.
    """

    template = models.ForeignKey(
        InteractionTemplate,
        verbose_name=_("interaction template"),
        on_delete=models.CASCADE,
        related_name="emails",
    )
    body_text = models.TextField(
        _("message (plain text)"),
        help_text=_("Placeholders such as {Formal_Salutation} use merge-field names."),
    )
    body_html = models.TextField(
        _("message (HTML, optional)"),
        blank=True,
        help_text=_(
            "Sent beside the plain text when given. Placeholder values are escaped."
        ),
    )

    class Meta(TemplateLanguageVersion.Meta):
        verbose_name = _("template e-mail")
        verbose_name_plural = _("template e-mails")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "language"],
                name="one_email_per_template_language",
                violation_error_message=_(
                    "This template already has an e-mail in this language."
                ),
            ),
        ]


class LoggedSegment(CreatedBy):
    """The archive record of a segment whose interactions have been logged."""

    segment_number = models.CharField(_("segment number"), max_length=20, unique=True)
    description = models.CharField(_("description"), max_length=100)
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="logged_segments",
    )
    # The segment header's interaction details when it was logged: its follow-up
    # segment starts from them.
    template = models.ForeignKey(
        InteractionTemplate,
        verbose_name=_("interaction template"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=12, blank=True)
    subject = models.CharField(_("subject"), max_length=100, blank=True)
    salesperson = models.ForeignKey(
        Salesperson,
        verbose_name=_("salesperson"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    unit_cost = models.DecimalField(
        _("unit cost"), max_digits=12, decimal_places=2, default=0
    )
    unit_duration = models.PositiveIntegerField(_("unit duration (minutes)"), default=0)
    information_flow = models.CharField(
        _("information flow"),
        max_length=10,
        choices=InformationFlow.choices,
        blank=True,
    )
    initiated_by = models.CharField(
        _("initiated by"), max_length=10, choices=InitiatedBy.choices, blank=True
    )
    correspondence_type = models.CharField(
        _("correspondence type"),
        max_length=10,
        choices=CorrespondenceType.choices,
        blank=True,
    )
    ignore_contact_correspondence_type = models.BooleanField(
        _("ignore contact correspondence type"), default=False
    )
    entry_count = models.PositiveIntegerField(_("interactions"), default=0)
    contact_count = models.PositiveIntegerField(_("contacts"), default=0)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    printed_at = models.DateTimeField(_("printed"), null=True, blank=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("printed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("logged segment")
        verbose_name_plural = _("logged segments")
        indexes = [
            models.Index(fields=["created_at"], name="logged_segment_created_idx")
        ]

    # What a segment header passes on to the logged segment and its follow-up.
    HEADER_FIELDS = [
        "template",
        "language",
        "subject",
        "salesperson",
        "campaign",
        "correspondence_type",
        "ignore_contact_correspondence_type",
        "unit_cost",
        "unit_duration",
        "information_flow",
        "initiated_by",
    ]

    def __str__(self):
        # The segment number is the identity users know; the primary key is internal.
        return f"{self.segment_number} {self.description}".strip()

    def get_absolute_url(self):
        return reverse("segmentation:logged_segment_detail", args=[self.pk])


class CampaignEntry(CreatedBy):
    """One campaign's part of one logged segment (reference 1.13), made by Log.

    Cancelled and restored with its logged segment. Delete Cancelled Segments
    keeps it and only unlinks it from the deleted logged segment.
    """

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    logged_segment = models.ForeignKey(
        LoggedSegment,
        verbose_name=_("logged segment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaign_entries",
    )
    segment_number = models.CharField(_("segment number"), max_length=20, blank=True)
    description = models.CharField(_("description"), max_length=100, blank=True)
    date = models.DateField(_("date"))
    salesperson = models.ForeignKey(
        Salesperson,
        verbose_name=_("salesperson"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaign_entries",
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("campaign entry")
        verbose_name_plural = _("campaign entries")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "logged_segment"],
                name="one_campaign_entry_per_logged_segment",
            ),
        ]

    def __str__(self):
        return f"{self.pk} · {self.campaign.code} · {self.segment_number}"


class InteractionLogEntry(CreatedBy):
    """One interaction with one contact; history, so only evaluation and cancellation change.

    The entry number is the primary key. Every value the interaction used is
    stored on the entry, so later edits to templates or segments never rewrite it.
    """

    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.PROTECT,
        related_name="interaction_log_entries",
        db_index=False,  # the (contact, date) index below serves it
    )
    contact_company = models.ForeignKey(
        Contact,
        verbose_name=_("contact company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # the (contact_company, date) index below serves it
    )
    date = models.DateField(_("date"))
    time = models.TimeField(_("time"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=100)
    subject = models.CharField(_("subject"), max_length=100, blank=True)
    template = models.ForeignKey(
        InteractionTemplate,
        verbose_name=_("interaction template"),
        on_delete=models.PROTECT,
        related_name="log_entries",
        db_index=False,  # the (template, date) index below serves it
    )
    group = models.ForeignKey(
        InteractionGroup,
        verbose_name=_("interaction group"),
        on_delete=models.PROTECT,
        related_name="log_entries",
        db_index=False,  # the (group, date) index below serves it
    )
    language = models.CharField(_("language"), max_length=12, blank=True)
    information_flow = models.CharField(
        _("information flow"),
        max_length=10,
        choices=InformationFlow.choices,
        blank=True,
    )
    initiated_by = models.CharField(
        _("initiated by"), max_length=10, choices=InitiatedBy.choices, blank=True
    )
    correspondence_type = models.CharField(
        _("correspondence type"),
        max_length=10,
        choices=CorrespondenceType.choices,
        blank=True,
    )
    cost = models.DecimalField(_("cost"), max_digits=12, decimal_places=2, default=0)
    duration = models.PositiveIntegerField(_("duration (minutes)"), default=0)
    salesperson = models.ForeignKey(
        Salesperson,
        verbose_name=_("salesperson"),
        on_delete=models.PROTECT,
        related_name="interaction_log_entries",
        db_index=False,  # the (salesperson, date) index below serves it
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interaction_log_entries",
        db_index=False,  # the (campaign, date) index below serves it
    )
    campaign_entry = models.ForeignKey(
        CampaignEntry,
        verbose_name=_("campaign entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interaction_log_entries",
    )
    campaign_target = models.BooleanField(
        _("campaign target"), default=False, db_default=False
    )
    campaign_response = models.BooleanField(
        _("campaign response"), default=False, db_default=False
    )
    evaluation = models.CharField(
        _("evaluation"),
        max_length=15,
        choices=Evaluation.choices,
        blank=True,
        default=Evaluation.BLANK,
    )
    attempt_failed = models.BooleanField(_("attempt failed"), default=False)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    cancelled_with_segment = models.BooleanField(
        _("cancelled with its logged segment"),
        default=False,
        # Set in SQL too, for the set-based INSERTs that do not name the column.
        db_default=False,
        help_text=_(
            "Cancelled by cancelling its logged segment, so restoring the logged "
            "segment brings it back."
        ),
    )
    document = models.ForeignKey(
        WordDocument,
        verbose_name=_("Word document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="log_entries",
    )
    document_is_personalised = models.BooleanField(
        _("personalised document"),
        default=False,
        help_text=_("The document was edited for this contact and is used as it is."),
    )
    personal_comment = models.TextField(_("personal comment"), blank=True)
    logged_segment = models.ForeignKey(
        LoggedSegment,
        verbose_name=_("logged segment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
    )
    segment_number = models.CharField(_("segment number"), max_length=20, blank=True)
    delivery_status = models.CharField(
        _("delivery status"),
        max_length=10,
        choices=DeliveryStatus.choices,
        blank=True,
        default=DeliveryStatus.NONE,
        db_default=DeliveryStatus.NONE,
    )
    not_sent_reason = models.CharField(
        _("reason not sent"),
        max_length=20,
        choices=NotSentReason.choices,
        blank=True,
        default=NotSentReason.NONE,
        db_default=NotSentReason.NONE,
    )
    delivery_detail = models.TextField(
        _("delivery detail"),
        blank=True,
        default="",
        db_default="",
        help_text=_("The mail server's reply when sending failed, or a note."),
    )
    message_id = models.CharField(
        _("Message-ID"), max_length=255, blank=True, default="", db_default=""
    )
    delivery_attempts = models.PositiveSmallIntegerField(
        _("delivery attempts"), default=0, db_default=0
    )
    delivered_at = models.DateTimeField(_("sent or printed"), null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("interaction log entry")
        verbose_name_plural = _("interaction log entries")
        indexes = [
            models.Index(fields=["contact", "-date"], name="entry_contact_date_idx"),
            models.Index(
                fields=["contact_company", "-date"], name="entry_company_date_idx"
            ),
            models.Index(fields=["template", "-date"], name="entry_template_date_idx"),
            models.Index(fields=["group", "-date"], name="entry_group_date_idx"),
            models.Index(
                fields=["salesperson", "-date"], name="entry_salesperson_date_idx"
            ),
            models.Index(fields=["campaign", "-date"], name="entry_campaign_date_idx"),
            # The Interaction Log's order (newest first, the entry number
            # breaking ties), read backwards: its keyset pages seek in it.
            models.Index(fields=["date", "id"], name="entry_date_id_idx"),
            # The delivery engine's queue and the logged segment's status counts.
            models.Index(
                fields=["logged_segment", "delivery_status"],
                name="entry_delivery_idx",
            ),
            # A logged segment's entries in id order: its export reads them in
            # keyset chunks (core/exports.py) without sorting them all per chunk.
            models.Index(fields=["logged_segment", "id"], name="entry_logged_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cost__gte=0), name="entry_cost_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.pk} · {self.contact.number} · {self.description}"

    def get_absolute_url(self):
        return reverse("interactions:entry_detail", args=[self.pk])


class CompanyInformation(models.Model):
    """Our own company's name and address, for the Company_* merge fields of letters.

    One row; `CompanyInformation.current()` gives it (or an empty one).
    """

    name = models.CharField(_("name"), max_length=100)
    name_2 = models.CharField(_("name 2"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=100, blank=True)
    address_2 = models.CharField(_("address 2"), max_length=100, blank=True)
    post_code = models.CharField(_("post code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    county = models.CharField(_("county"), max_length=50, blank=True)
    country = CountryField(_("country"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    fax = models.CharField(_("fax"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    vat_registration_number = models.CharField(
        _("VAT registration no."), max_length=30, blank=True
    )
    registration_number = models.CharField(
        _("registration no."),
        max_length=30,
        blank=True,
        help_text=_("The company register's number."),
    )
    bank_name = models.CharField(_("bank name"), max_length=100, blank=True)
    bank_branch_number = models.CharField(
        _("bank branch no."), max_length=20, blank=True
    )
    bank_account_number = models.CharField(
        _("bank account no."), max_length=30, blank=True
    )
    giro_number = models.CharField(_("giro no."), max_length=20, blank=True)

    class Meta:
        verbose_name = _("company information")
        verbose_name_plural = _("company information")

    def __str__(self):
        return self.name

    @classmethod
    def current(cls) -> "CompanyInformation":
        return cls.objects.order_by("pk").first() or cls(name="")
