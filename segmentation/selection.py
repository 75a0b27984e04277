"""Which contacts a step adds and which lines it removes, as querysets; read-only.

The preview counts and the services that apply a step use the same querysets,
so what the form announces is what the step does.
"""

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    When,
)
from django.db.models.functions import Coalesce

from contacts.models import Contact
from core.text_search import OneOf
from segmentation.criteria import matching_contacts
from segmentation.models import SegmentLine, StepDefinition


def company_key():
    """The contact's company: itself for a company, its company for a person, else NULL."""
    return Case(When(type=Contact.Type.COMPANY, then=F("pk")), default=F("company_id"))


def _in_company_of_any(contacts: QuerySet[Contact], company: str) -> Exists:
    """EXISTS a contact of `contacts` in the company whose id the outer field holds.

    Each probe is an index lookup (on id or company_id). An IN over the whole set
    would not be: PostgreSQL re-scans a subquery too big to hash for every row.
    """
    return Exists(
        contacts.filter(Q(pk=OuterRef(company)) | Q(company_id=OuterRef(company)))
    )


def line_order():
    """Company name, company, companies before their persons, then name (as the reference)."""
    company_name = Case(
        When(type=Contact.Type.COMPANY, then=F("name")),
        default=Coalesce(F("company__name"), F("name")),
    )
    return [company_name, company_key(), "type", "name", "pk"]


def group_key():
    """The contact's company, or the contact itself if it is a company or has none.

    Contacts with the same key are one company with its persons (a person without
    a company is a group of one): what Expand Companies adds whole. A company
    has no company (a check constraint), so the key never needs the type, and
    an expression index (contact_group_idx) finds a group's contacts.
    """
    return Coalesce(F("company_id"), F("pk"))


def candidates_for_add(
    matched: QuerySet[Contact], *, expand_companies: bool, allow_related_companies: bool
) -> QuerySet[Contact]:
    """The matched contacts, widened to whole companies and/or to their companies.

    Each widening is one condition on an indexed key against the matched
    contacts' keys, gathered once. A test per contact (EXISTS … OR
    EXISTS …) read all of a million contacts and probed the matched ones for
    each: 28 s for Expand Companies of one city's 10,000 contacts.
    """
    if expand_companies:
        # Every candidate's company is then a candidate too: Allow Related
        # Companies adds nothing more.
        return Contact.objects.filter(
            OneOf(group_key(), matched.values(group=group_key()))
        )
    if allow_related_companies:
        # A semi-join on the union: at 100,000 matched contacts and more, an
        # array of their ids costs more to probe than the hash PostgreSQL builds.
        return Contact.objects.filter(
            pk__in=matched.values("pk").union(
                matched.filter(company__isnull=False).values("company_id")
            )
        )
    return matched


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
    takes its whole company with it. EXISTS is never NULL, so "not matched"
    needs no care for persons without a company.
    """
    lines = SegmentLine.objects.filter(segment=segment)
    hit = Exists(matched.filter(pk=OuterRef("contact_id")))
    if entire_companies:
        lines = lines.alias(
            company_key=Case(
                When(contact__type=Contact.Type.COMPANY, then=F("contact_id")),
                default=F("contact__company_id"),
            )
        )
        hit |= _in_company_of_any(matched, "company_key")
    return lines.filter(hit if action == StepDefinition.Action.REDUCE else ~hit)


def preview_step(segment, action: str, *, criteria: dict, options: dict) -> dict:
    """What a step would do now: {"added", "left_out"} for Add, {"removed"} otherwise.

    `options` are the step's options (StepForm's cleaned data).
    """
    matched = matching_contacts(criteria)
    if action == StepDefinition.Action.ADD:
        counts = count_add(
            segment,
            candidates_for_add(
                matched,
                expand_companies=options["expand_companies"],
                allow_related_companies=options["allow_related_companies"],
            ),
            allow_existing_contacts=options["allow_existing_contacts"],
            ignore_exclusion=options["ignore_exclusion"],
        )
        return {"added": counts.added, "left_out": counts.left_out()}
    lines = lines_to_remove(
        segment, action, matched, entire_companies=options["entire_companies"]
    )
    return {"removed": lines.count()}
