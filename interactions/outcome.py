"""What a mailing did: the outcome of a set of interactions (read-only).

Counts and shares by evaluation, correspondence type, language and delivery
status, cost and duration totals and the response rate. One grouped query reads
it all: the entries grouped by the columns the figures split on (a few hundred
groups at most, whatever the number of entries), which Python folds into the
figures. Cancelled entries are not counted; their number is given apart.

The response rate is the share of the entries sent or printed that were
evaluated Very positive or Positive. When nothing was sent or printed (letters
logged only, or not delivered yet), it is taken over all counted entries.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.utils.formats import number_format
from django.utils.functional import Promise, cached_property
from django.utils.text import capfirst
from django.utils.translation import get_language_info, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from contacts.models import CorrespondenceType
from core.money import money
from interactions.models import DeliveryStatus, Evaluation, InteractionLogEntry

RESPONSES = frozenset({Evaluation.VERY_POSITIVE, Evaluation.POSITIVE})
DELIVERED = frozenset({DeliveryStatus.SENT, DeliveryStatus.PRINTED})
# The columns the figures split on, in the order the page shows them.
DIMENSIONS = ("evaluation", "correspondence_type", "language", "delivery_status")
TITLES = {
    "evaluation": _("By evaluation"),
    "correspondence_type": _("By correspondence type"),
    "language": _("By language"),
    "delivery_status": _("By delivery status"),
}
CHOICES = {
    "evaluation": Evaluation,
    "correspondence_type": CorrespondenceType,
    "delivery_status": DeliveryStatus,
}


@dataclass(frozen=True)
class Group:
    """The counted entries with one value of a dimension."""

    value: str
    label: str | Promise
    count: int
    cost: Decimal
    percent: Decimal  # of all counted entries
    bar: str  # the bar's length in the chart, in percent of its width ("37.5")

    @cached_property
    def share(self) -> str:
        """The percentage as people read it in the active language ("37,5 %")."""
        return format_percent(self.percent)


@dataclass(frozen=True)
class Figure:
    """One dimension: its groups, largest first for language, else in choice order."""

    dimension: str
    title: str | Promise
    groups: list[Group]

    @property
    def heading(self) -> str:
        """The table's first column: the field's name."""
        return capfirst(
            InteractionLogEntry._meta.get_field(self.dimension).verbose_name
        )


@dataclass(frozen=True)
class Outcome:
    counted: int
    cancelled: int
    cost: Decimal
    duration: int
    delivered: int
    responses: int
    figures: list[Figure]

    @property
    def nothing_delivered(self) -> bool:
        return not self.delivered

    @property
    def response_base(self) -> int:
        """The entries the response rate is taken over."""
        return self.delivered or self.counted

    @property
    def response_percent(self) -> Decimal | None:
        return _percent(self.responses, self.response_base)

    @property
    def response_rate(self) -> str:
        percent = self.response_percent
        return "–" if percent is None else format_percent(percent)

    @property
    def cost_per_response(self) -> Decimal | None:
        """The cost of the counted entries over the responses; None without any."""
        if not self.responses:
            return None
        return (self.cost / self.responses).quantize(Decimal("0.01"))


def outcome_of(entries: QuerySet[InteractionLogEntry]) -> Outcome:
    """The outcome of `entries` (for instance one logged segment's), in one query."""
    return _outcome(_grouped(entries, DIMENSIONS), DIMENSIONS)


def outcomes_by(entries: QuerySet[InteractionLogEntry], key: str) -> dict:
    """The outcome of `entries` per value of `key` (e.g. "campaign_id"), in one query.

    Totals and response rates only, without figures: what a list shows per row.
    """
    rows_by_key: dict = defaultdict(list)
    for row in _grouped(entries, (key, "evaluation", "delivery_status")):
        rows_by_key[row[key]].append(row)
    return {value: _outcome(rows, ()) for value, rows in rows_by_key.items()}


def _grouped(entries: QuerySet[InteractionLogEntry], columns) -> list[dict]:
    """Count, cost and duration of `entries` grouped by cancelled and `columns`."""
    rows = list(
        entries.order_by()
        .values("cancelled", *columns)
        .annotate(count=Count("pk"), cost=Sum("cost"), duration=Sum("duration"))
    )
    for row in rows:
        row["cost"] = money(row["cost"])
    return rows


def _outcome(rows: list[dict], dimensions) -> Outcome:
    """Fold grouped rows (with evaluation and delivery status) into an Outcome."""
    counted = [row for row in rows if not row["cancelled"]]
    delivered = [row for row in counted if row["delivery_status"] in DELIVERED]
    # Where nothing was delivered, a response is any counted entry evaluated so.
    base = delivered or counted
    total = sum(row["count"] for row in counted)
    return Outcome(
        counted=total,
        cancelled=sum(row["count"] for row in rows if row["cancelled"]),
        cost=sum((row["cost"] for row in counted), Decimal("0.00")),
        duration=sum(row["duration"] or 0 for row in counted),
        delivered=sum(row["count"] for row in delivered),
        responses=sum(row["count"] for row in base if row["evaluation"] in RESPONSES),
        figures=[_figure(dimension, counted, total) for dimension in dimensions],
    )


def _figure(dimension: str, rows: list[dict], total: int) -> Figure:
    counts: dict[str, int] = defaultdict(int)
    costs: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        counts[row[dimension]] += row["count"]
        costs[row[dimension]] += row["cost"]
    if dimension in CHOICES:
        # Every evaluation is shown, even at 0; other choices only when used.
        values = [
            value
            for value in CHOICES[dimension].values
            if counts.get(value) or dimension == "evaluation"
        ]
        # Blank (none) last: the figures are about what was set.
        values = [value for value in values if value] + [
            value for value in values if not value
        ]
        values += sorted(set(counts) - set(values))  # values no choice names
        labels = dict(CHOICES[dimension].choices)
    else:
        values = sorted(counts, key=lambda value: (-counts[value], value))
        labels = {value: _language_name(value) for value in values}
    largest = max(counts.values(), default=0)
    return Figure(
        dimension=dimension,
        title=TITLES[dimension],
        groups=[
            Group(
                value=value,
                label=labels.get(value, value),
                count=counts.get(value, 0),
                cost=costs.get(value, Decimal(0)),
                percent=_percent(counts.get(value, 0), total) or Decimal(0),
                bar=f"{100 * counts.get(value, 0) / largest:.1f}" if largest else "0",
            )
            for value in values
        ],
    )


def format_percent(percent: Decimal) -> str:
    """`percent` with one decimal, formatted for the active language."""
    return _("%(number)s%%") % {"number": number_format(percent, 1)}


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


def _language_name(code: str) -> str | Promise:
    if not code:
        return pgettext_lazy("language", "(none)")
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code
