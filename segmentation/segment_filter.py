"""The segment list's filter and figures: who, which campaign or template; lines and cost.

Line counts and cost totals are two correlated subqueries in the list's one
query, so the page costs the same whatever the number of segments or lines.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    DecimalField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from contacts.models import Salesperson
from core.compact_forms import CompactForm
from core.ids import IdChoiceField
from interactions.models import Campaign, InteractionTemplate
from segmentation.effective import effective_cost
from segmentation.models import Segment, SegmentLine


class SegmentFilterForm(CompactForm):
    """Search and filters of the segment list; an empty field filters nothing."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    salesperson = IdChoiceField(
        label=_("Salesperson"),
        queryset=Salesperson.objects.all(),
        required=False,
        empty_label=_("(any)"),
    )
    campaign = IdChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.all(),
        required=False,
        empty_label=_("(any)"),
    )
    template = IdChoiceField(
        label=_("Interaction template"),
        queryset=InteractionTemplate.objects.all(),
        required=False,
        empty_label=_("(any)"),
    )
    creator = IdChoiceField(
        label=_("Created by"),
        queryset=get_user_model().objects.filter(
            pk__in=Segment.objects.values("created_by")
        ),
        required=False,
        empty_label=_("(any)"),
    )


def _per_segment(aggregate):
    return Subquery(
        SegmentLine.objects.filter(segment=OuterRef("pk"))
        .order_by()
        .values("segment")
        .annotate(figure=aggregate)
        .values("figure")
    )


def filtered_segments(filters: dict) -> QuerySet[Segment]:
    """Segments the cleaned filter values select, with `line_count` and `cost_total`."""
    segments = Segment.objects.select_related(
        "template", "salesperson", "campaign", "created_by"
    ).annotate(
        line_count=Coalesce(_per_segment(Count("pk")), 0),
        cost_total=_per_segment(
            Sum(
                effective_cost(),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            )
        ),
    )
    term = filters.get("q")
    if term:
        segments = segments.filter(
            Q(number__icontains=term) | Q(description__icontains=term)
        )
    for name, field in [
        ("salesperson", "salesperson"),
        ("campaign", "campaign"),
        ("template", "template"),
        ("creator", "created_by"),
    ]:
        if filters.get(name):
            segments = segments.filter(**{field: filters[name]})
    return segments
