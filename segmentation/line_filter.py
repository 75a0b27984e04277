"""The workbench's filter over a segment's lines: which lines a bulk edit reaches.

Language, correspondence type and salesperson are the effective values (what
Log would write), so the filter finds what the table shows. The segment page
lists the matching lines and Edit Lines changes all of them in one statement,
so both read the same queryset from here.
"""

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from contacts.models import CorrespondenceType, Salesperson
from core.compact_forms import CompactForm
from core.ids import IdChoiceField
from segmentation.effective import (
    effective_correspondence_type,
    effective_salesperson_id,
    with_effective_values,
)
from segmentation.models import Segment, SegmentLine

YES_NO = [("", _("(any)")), ("yes", _("Yes")), ("no", _("No"))]
FILTER_FIELDS = [
    "name",
    "language",
    "type",
    "salesperson",
    "personalised",
    "duplicate",
    "changed",
]


class LineFilterForm(CompactForm):
    """The workbench filter; every field optional, an empty one filters nothing."""

    name = forms.CharField(label=_("Name or number"), required=False, max_length=100)
    language = forms.CharField(label=_("Language"), required=False, max_length=12)
    type = forms.ChoiceField(
        label=_("Correspondence type"),
        choices=[("", _("(any)")), *CorrespondenceType.choices],
        required=False,
    )
    salesperson = IdChoiceField(
        label=_("Salesperson"),
        queryset=Salesperson.objects.all(),
        required=False,
        empty_label=_("(any)"),
    )
    personalised = forms.ChoiceField(
        label=_("Personalised"), choices=YES_NO, required=False
    )
    duplicate = forms.ChoiceField(label=_("Duplicate"), choices=YES_NO, required=False)
    changed = forms.ChoiceField(
        label=_("Changed from the header"), choices=YES_NO, required=False
    )

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_language(self):
        return self.cleaned_data["language"].strip().lower()


def changed_from_header() -> Q:
    """A line with any overridable field of its own (not NULL)."""
    changed = Q()
    for name in SegmentLine.OVERRIDABLE_FIELDS:
        changed |= Q(**{f"{name}__isnull": False})
    return changed


def _yes_no(lines: QuerySet, value: str, condition: Q) -> QuerySet:
    if value == "yes":
        return lines.filter(condition)
    if value == "no":
        return lines.exclude(condition)
    return lines


def matching_lines(segment: Segment, filters: dict) -> QuerySet[SegmentLine]:
    """The segment's lines that the cleaned filter values select."""
    lines = SegmentLine.objects.filter(segment=segment)
    term = filters.get("name")
    if term:
        lines = lines.filter(
            Q(contact__name__icontains=term) | Q(contact__number__icontains=term)
        )
    if filters.get("language"):
        lines = with_effective_values(lines).filter(
            effective_language=filters["language"]
        )
    if filters.get("type"):
        lines = lines.alias(effective_type=effective_correspondence_type()).filter(
            effective_type=filters["type"]
        )
    if filters.get("salesperson"):
        lines = lines.alias(effective_salesperson=effective_salesperson_id()).filter(
            effective_salesperson=filters["salesperson"].pk
        )
    lines = _yes_no(
        lines, filters.get("personalised", ""), Q(personal_document__isnull=False)
    )
    lines = _yes_no(lines, filters.get("duplicate", ""), Q(is_duplicate=True))
    return _yes_no(lines, filters.get("changed", ""), changed_from_header())


def filter_parameters(filters: dict) -> dict:
    """The cleaned filter values as plain strings, for a step's parameters."""
    plain = {}
    for name in FILTER_FIELDS:
        value = filters.get(name)
        if value:
            plain[name] = getattr(value, "code", value)
    return plain
