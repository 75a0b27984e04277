"""The interaction details each segment line will be logged with, computed in SQL.

A line stores only what the user changed for its contact (NULL = inherit, in
SegmentLine.OVERRIDABLE_FIELDS), so header edits reach every line at once. The
rules, as annotations:

- template: the line's, else the header's; group, campaign and the template's
  defaults follow it. Cost, duration, information flow and initiated-by come from
  the header unless the line has a template of its own.
- campaign target and response: the line's; else as cost is; always off when
  the line has no campaign.
- salesperson: the line's, else the header's, else the contact's.
- correspondence type: the line's; else the header's default when the header
  ignores contact preferences; else the template's default when the template
  ignores them or the contact has none; else the contact's (reference 2.10).
- language: the line's; else the contact's if the template has a document in
  it; else the header's default language; else the template's default.
- document: the line's personalised one, else the segment's own, else the
  template's in the line's language, else the template's in its default language.

The segment page, the Log action and the letters all read these annotations,
so they can never disagree.
"""

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    CharField,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf

from interactions.models import TemplateDocument

OWN_TEMPLATE = Q(template__isnull=False) & ~Q(template_id=F("segment__template_id"))


def _template(field: str):
    """A field of the line's effective template."""
    return Coalesce(F(f"template__{field}"), F(f"segment__template__{field}"))


def _first_id(*expressions):
    return Coalesce(*expressions, output_field=BigIntegerField())


def _from_template_or_header(template_field: str, header_field: str):
    return Case(
        When(OWN_TEMPLATE, then=F(f"template__{template_field}")),
        default=F(f"segment__{header_field}"),
    )


def _campaign_flag(field: str):
    """The line's own value, else the header's (or its own template's); only with a campaign."""
    return Case(
        When(effective_campaign_id__isnull=True, then=Value(False)),
        default=Coalesce(F(field), _from_template_or_header(field, field)),
        output_field=BooleanField(),
    )


def _template_document(language: str):
    return Subquery(
        TemplateDocument.objects.filter(
            template_id=OuterRef("effective_template_id"), language=OuterRef(language)
        ).values("document_id")[:1]
    )


def effective_template_id():
    return _first_id(F("template_id"), F("segment__template_id"))


def effective_salesperson_id():
    return _first_id(
        F("salesperson_id"), F("segment__salesperson_id"), F("contact__salesperson_id")
    )


def effective_cost():
    """The line's cost, else its own template's unit cost, else the header's."""
    return Coalesce(
        F("cost"),
        _from_template_or_header("unit_cost", "unit_cost"),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )


def effective_correspondence_type():
    """Reference 2.10, as one expression over the line, its header and its contact."""
    return Coalesce(
        F("correspondence_type"),
        Case(
            When(
                Q(segment__ignore_contact_correspondence_type=True)
                & ~Q(segment__correspondence_type=""),
                then=F("segment__correspondence_type"),
            ),
            When(
                (Q(template__isnull=False) | Q(segment__template__isnull=False))
                & (
                    Q(template__ignore_contact_correspondence_type=True)
                    | Q(
                        template__isnull=True,
                        segment__template__ignore_contact_correspondence_type=True,
                    )
                    | Q(contact__correspondence_type="")
                ),
                then=_template("correspondence_type"),
            ),
            default=F("contact__correspondence_type"),
        ),
        output_field=CharField(),
    )


def with_effective_values(lines: QuerySet) -> QuerySet:
    """Annotate segment lines with `effective_<field>` for every logged detail."""
    lines = lines.annotate(
        effective_template_id=effective_template_id(),
        effective_group_id=_first_id(
            F("template__group_id"), F("segment__template__group_id")
        ),
        effective_description=Coalesce(F("description"), F("segment__description")),
        effective_subject=Coalesce(F("subject"), F("segment__subject")),
        effective_date=Coalesce(F("date"), F("segment__date")),
        effective_salesperson_id=effective_salesperson_id(),
        effective_campaign_id=_first_id(
            F("segment__campaign_id"),
            F("template__campaign_id"),
            F("segment__template__campaign_id"),
        ),
        effective_cost=effective_cost(),
        effective_duration=Coalesce(
            F("duration"), _from_template_or_header("unit_duration", "unit_duration")
        ),
        effective_information_flow=_from_template_or_header(
            "information_flow", "information_flow"
        ),
        effective_initiated_by=_from_template_or_header("initiated_by", "initiated_by"),
        effective_correspondence_type=effective_correspondence_type(),
        contact_has_document_language=Exists(
            TemplateDocument.objects.filter(
                template_id=OuterRef("effective_template_id"),
                language=OuterRef("contact__language"),
            )
        ),
    )
    lines = lines.annotate(
        effective_campaign_target=_campaign_flag("campaign_target"),
        effective_campaign_response=_campaign_flag("campaign_response"),
        effective_language=Coalesce(
            F("language"),
            Case(
                When(contact_has_document_language=True, then=F("contact__language")),
                default=Coalesce(
                    NullIf(F("segment__language"), Value("")),
                    _template("default_language"),
                    Value(""),
                ),
            ),
            output_field=CharField(),
        ),
        template_default_language=_template("default_language"),
    )
    return lines.annotate(
        effective_document_id=_first_id(
            F("personal_document_id"),
            F("segment__document_id"),
            _template_document("effective_language"),
            _template_document("template_default_language"),
        ),
    )
