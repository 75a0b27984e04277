from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.files import PrivateUploadTo


class CorrespondenceType(models.TextChoices):
    """How a contact prefers to receive letters; shared by contacts, templates and segments."""

    BLANK = "", _("(none)")
    HARD_COPY = "hard_copy", _("Hard copy")
    EMAIL = "email", _("Email")
    # Logged only: Segmenta sends no faxes (the Log page says so).
    FAX = "fax", _("Fax")


language_code_validator = RegexValidator(
    r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$",
    _("Enter a language code such as “en”, “sv”, “fr”, “cs” or “pt-br”."),
)


class NumberSeries(models.Model):
    """A counter that hands out human-readable numbers such as CT000001."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    prefix = models.CharField(_("prefix"), max_length=10)
    width = models.PositiveSmallIntegerField(_("digits"), default=6)
    last_number = models.PositiveBigIntegerField(_("last number used"), default=0)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")

    def __str__(self):
        return self.code

    def format(self, number: int) -> str:
        return f"{self.prefix}{number:0{self.width}d}"


class ReferenceData(models.Model):
    """A code with a description: the shape of every small lookup table."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    description = models.CharField(_("description"), max_length=100, blank=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} – {self.description}" if self.description else self.code


class Territory(ReferenceData):
    """A sales territory contacts are assigned to."""

    class Meta(ReferenceData.Meta):
        verbose_name = _("territory")
        verbose_name_plural = _("territories")


class IndustryGroup(ReferenceData):
    """An industry a company belongs to; its persons inherit it."""

    class Meta(ReferenceData.Meta):
        verbose_name = _("industry group")
        verbose_name_plural = _("industry groups")


class MailingGroup(ReferenceData):
    """A mailing list a contact is on (newsletter, Christmas card…)."""

    class Meta(ReferenceData.Meta):
        verbose_name = _("mailing group")
        verbose_name_plural = _("mailing groups")


class BusinessRelation(ReferenceData):
    """How we relate to a company (customer, vendor, partner…); its persons inherit it."""

    class Meta(ReferenceData.Meta):
        verbose_name = _("business relation")
        verbose_name_plural = _("business relations")


class JobResponsibility(ReferenceData):
    """What a person is responsible for in their company (purchasing, IT…)."""

    class Meta(ReferenceData.Meta):
        verbose_name = _("job responsibility")
        verbose_name_plural = _("job responsibilities")


class Salesperson(models.Model):
    """A salesperson or purchaser who owns contacts and interactions."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="salesperson",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("salesperson")
        verbose_name_plural = _("salespeople")

    def __str__(self):
        return f"{self.code} – {self.name}"


class Contact(models.Model):
    """A company or a person marketing can put on segments and write to."""

    class Type(models.TextChoices):
        COMPANY = "company", _("Company")
        PERSON = "person", _("Person")

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    type = models.CharField(
        _("type"), max_length=10, choices=Type.choices, default=Type.PERSON
    )
    name = models.CharField(_("name"), max_length=100)
    name_2 = models.CharField(_("name 2"), max_length=100, blank=True)
    company = models.ForeignKey(
        "self",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="persons",
        limit_choices_to={"type": Type.COMPANY},
    )
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=100, blank=True)
    address_2 = models.CharField(_("address 2"), max_length=100, blank=True)
    post_code = models.CharField(_("post code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    county = models.CharField(_("county"), max_length=50, blank=True)
    country = CountryField(_("country"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    mobile = models.CharField(_("mobile phone"), max_length=30, blank=True)
    fax = models.CharField(_("fax"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    vat_registration_number = models.CharField(
        _("VAT registration no."), max_length=30, blank=True
    )
    language = models.CharField(
        _("language"),
        max_length=12,
        blank=True,
        validators=[language_code_validator],
        help_text=_("Letters are written in this language when a template has it."),
    )
    correspondence_type = models.CharField(
        _("preferred correspondence type"),
        max_length=10,
        choices=CorrespondenceType.choices,
        blank=True,
        default=CorrespondenceType.BLANK,
    )
    salesperson = models.ForeignKey(
        Salesperson,
        verbose_name=_("salesperson"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
    )
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
    )
    formal_salutation = models.CharField(
        _("formal salutation"),
        max_length=100,
        blank=True,
        help_text=_("For example “Dear Ms Novák”."),
    )
    informal_salutation = models.CharField(
        _("informal salutation"),
        max_length=100,
        blank=True,
        help_text=_("For example “Hi Jana”."),
    )
    exclude_from_segments = models.BooleanField(
        _("exclude from segments"),
        default=False,
        help_text=_(
            "Criteria and reuse skip this contact unless told to ignore exclusion."
        ),
    )
    unsubscribed_at = models.DateTimeField(
        _("unsubscribed"),
        null=True,
        blank=True,
        help_text=_(
            "When the contact used the unsubscribe link of an e-mail; it also set "
            "“exclude from segments”."
        ),
    )
    privacy_blocked = models.BooleanField(
        _("privacy blocked"),
        default=False,
        help_text=_("Never put on a segment and never written to."),
    )
    mailing_groups = models.ManyToManyField(
        MailingGroup,
        verbose_name=_("mailing groups"),
        blank=True,
        related_name="contacts",
    )
    job_responsibilities = models.ManyToManyField(
        JobResponsibility,
        verbose_name=_("job responsibilities"),
        blank=True,
        related_name="contacts",
    )
    industry_groups = models.ManyToManyField(
        IndustryGroup,
        verbose_name=_("industry groups"),
        blank=True,
        related_name="contacts",
        help_text=_("Set on companies; their persons inherit them."),
    )
    business_relations = models.ManyToManyField(
        BusinessRelation,
        verbose_name=_("business relations"),
        blank=True,
        related_name="contacts",
        help_text=_("Set on companies; their persons inherit them."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    modified_at = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(fields=["name"], name="contact_name_idx"),
            models.Index(fields=["city"], name="contact_city_idx"),
            models.Index(fields=["post_code"], name="contact_post_code_idx"),
            models.Index(fields=["country", "city"], name="contact_country_city_idx"),
            models.Index(fields=["email"], name="contact_email_idx"),
            # A contact's company, or itself (segmentation.selection.group_key):
            # Expand Companies finds whole companies through it.
            models.Index(
                Coalesce("company", "id"),
                name="contact_group_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(type="person") | models.Q(company__isnull=True),
                name="contact_company_has_no_company",
                violation_error_message=_(
                    "A company cannot belong to another company."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    def get_absolute_url(self):
        return reverse("contacts:contact_detail", args=[self.pk])

    @property
    def is_company(self) -> bool:
        return self.type == self.Type.COMPANY

    @property
    def company_contact(self) -> "Contact | None":
        """The company whose industry groups and business relations apply to this contact."""
        return self if self.is_company else self.company


class ContactImportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ContactImportQuerySet":
        """The user's own imports; everyone's with view_every_contactimport (admins)."""
        if user.has_perm("contacts.view_every_contactimport"):
            return self
        return self.filter(uploaded_by_id=user.pk)


class ContactImport(models.Model):
    """An uploaded CSV/XLSX file of contacts, previewed before it is imported."""

    class Status(models.TextChoices):
        # A large file is checked by a job (contacts.import_jobs) after upload.
        CHECKING = "checking", _("Being checked")
        PREVIEWED = "previewed", _("Previewed")
        IMPORTED = "imported", _("Imported")

    file = models.FileField(_("file"), upload_to=PrivateUploadTo("contact-imports"))
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    imported_count = models.PositiveIntegerField(_("contacts imported"), default=0)
    errors = models.JSONField(
        _("first errors"),
        default=list,
        blank=True,
        help_text=_("The first errors found, as [row, column, message]."),
    )
    ignored_columns = models.JSONField(_("ignored columns"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="contact_imports",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)

    objects = ContactImportQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("contact import")
        verbose_name_plural = _("contact imports")
        permissions = [
            ("view_every_contactimport", _("Can view every user's contact imports"))
        ]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("contacts:contact_import_detail", args=[self.pk])
