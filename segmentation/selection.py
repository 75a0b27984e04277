"""Which contacts a step adds and which lines it removes, as querysets; read-only.

The preview counts and the services that apply a step use the same querysets,
so what the form announces is what the step does.
"""

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from contacts.models import Contact
from segmentation.models import SegmentLine, StepDefinition


def company_key():
    """The contact's company: itself for a company, its company for a person, else NULL."""
    return Case(When(type=Contact.Type.COMPANY, then=F("pk")), default=F("company_id"))


def _companies_of(contacts: QuerySet[Contact]) -> QuerySet:
    return (
        contacts.annotate(key=company_key())
        .filter(key__isnull=False)
        .values("key")
        .order_by()
    )


def line_order():
    """Company name, company, companies before their persons, then name (as the reference)."""
    company_name = Case(
        When(type=Contact.Type.COMPANY, then=F("name")),
        default=Coalesce(F("company__name"), F("name")),
    )
    return [company_name, company_key(), "type", "name", "pk"]


def candidates_for_add(
    matched: QuerySet[Contact], *, expand_companies: bool, allow_related_companies: bool
) -> QuerySet[Contact]:
    """The matched contacts, widened to whole companies and/or to their companies."""
    contacts = matched
    if expand_companies:
        companies = _companies_of(matched)
        contacts = Contact.objects.filter(
            Q(pk__in=matched.values("pk").order_by())
            | Q(pk__in=companies)
            | Q(company_id__in=companies)
        )
    if allow_related_companies:
        contacts = Contact.objects.filter(
            Q(pk__in=contacts.values("pk").order_by())
            | Q(pk__in=contacts.filter(company__isnull=False).values("company_id"))
        )
    return contacts


def _on_segment(segment) -> Exists:
    return Exists(SegmentLine.objects.filter(segment=segment, contact=OuterRef("pk")))


def contacts_to_add(
    segment,
    candidates: QuerySet[Contact],
    *,
    allow_existing_contacts: bool,
    ignore_exclusion: bool,
) -> QuerySet[Contact]:
    """Candidates that may go on the segment, annotated `on_segment`, in line order."""
    contacts = candidates.filter(privacy_blocked=False)
    if not ignore_exclusion:
        contacts = contacts.filter(exclude_from_segments=False)
    contacts = contacts.annotate(on_segment=_on_segment(segment))
    if not allow_existing_contacts:
        contacts = contacts.filter(on_segment=False)
    return contacts.order_by(*line_order())


@dataclass(frozen=True)
class AddCounts:
    """What an Add step will do: contacts added and contacts left out, by reason."""

    added: int
    already_on_segment: int
    excluded: int
    privacy_blocked: int

    def left_out(self) -> dict[str, int]:
        return {
            "already_on_segment": self.already_on_segment,
            "excluded": self.excluded,
            "privacy_blocked": self.privacy_blocked,
        }


def count_add(
    segment,
    candidates: QuerySet[Contact],
    *,
    allow_existing_contacts: bool,
    ignore_exclusion: bool,
) -> AddCounts:
    """Count, in one query, what adding `candidates` would add and leave out."""
    blocked = Q(privacy_blocked=True)
    excluded = Q(exclude_from_segments=True) & ~blocked
    eligible = ~blocked if ignore_exclusion else ~blocked & ~excluded
    totals = candidates.aggregate(
        eligible=Count("pk", filter=eligible),
        on_segment=Count("pk", filter=eligible & Q(_on_segment(segment))),
        excluded=Count("pk", filter=excluded),
        blocked=Count("pk", filter=blocked),
    )
    existing = 0 if allow_existing_contacts else totals["on_segment"]
    return AddCounts(
        added=totals["eligible"] - existing,
        already_on_segment=existing,
        excluded=0 if ignore_exclusion else totals["excluded"],
        privacy_blocked=totals["blocked"],
    )


def lines_to_remove(
    segment, action: str, matched: QuerySet[Contact], *, entire_companies: bool
) -> QuerySet[SegmentLine]:
    """The lines Reduce (matched contacts) or Refine (all the others) removes.

    A line's contact is judged by itself, not by its stored company (the
    reference's bug fixed in BCApps PR #10185); with Entire Companies a match
    takes its whole company with it.
    """
    hit = Q(contact_id__in=matched.values("pk").order_by())
    if entire_companies:
        companies = _companies_of(matched)
        hit |= Q(contact_id__in=companies) | Q(contact__company_id__in=companies)
    # CASE keeps NULL companies from turning "not matched" into "unknown".
    lines = SegmentLine.objects.filter(segment=segment).alias(
        matched=Case(
            When(hit, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
    return lines.filter(matched=action == StepDefinition.Action.REDUCE)
