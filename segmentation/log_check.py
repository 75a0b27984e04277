"""What logging a segment will do, and what stops it; read-only.

The Log page shows this before anything is written, and `log_segment` runs it
again inside its lock, so the guards the user saw are the guards that apply.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contacts.models import CorrespondenceType
from interactions.models import LoggedSegment
from segmentation.effective import (
    effective_correspondence_type,
    effective_salesperson_id,
    effective_template_id,
)
from segmentation.models import Segment, SegmentLine

CONTACTS_NAMED = 5


@dataclass
class LogCheck:
    """Counts of the lines to log and the problems that block logging."""

    lines: int = 0
    # The number of the segment's last step (0 before the first): with `lines`,
    # what the user confirms, so a change in between is noticed.
    last_step: int = 0
    contacts: int = 0
    hard_copy: int = 0
    email: int = 0
    fax: int = 0
    no_type: int = 0
    email_without_address: int = 0
    problems: list[str] = field(default_factory=list)
    # Blocks logging only when the interactions are to be sent.
    delivery_problem: str = ""

    @property
    def can_deliver(self) -> bool:
        """Sending only means something when some line has a correspondence type."""
        return bool(self.hard_copy or self.email)

    def delivery_summary(self) -> list[str]:
        """What Send attachments will do, said before logging."""
        if self.can_deliver:
            emails = ngettext(
                "%(count)d e-mail will be sent",
                "%(count)d e-mails will be sent",
                self.email,
            ) % {"count": self.email}
            letters = ngettext(
                "%(count)d letter goes to print",
                "%(count)d letters go to print",
                self.hard_copy,
            ) % {"count": self.hard_copy}
            summary = [
                _("With Send attachments: %(emails)s, %(letters)s.")
                % {"emails": emails, "letters": letters},
                _(
                    "Without Send attachments nothing is sent; the interactions are "
                    "only logged."
                ),
            ]
        else:
            summary = [_("Nothing is sent: no line is an e-mail or a hard copy.")]
        if self.fax:
            summary.append(
                ngettext(
                    "%(count)d fax line is logged only: Segmenta does not send faxes.",
                    "%(count)d fax lines are logged only: Segmenta does not send faxes.",
                    self.fax,
                )
                % {"count": self.fax}
            )
        if self.no_type:
            summary.append(
                ngettext(
                    "%(count)d line without a correspondence type is logged only.",
                    "%(count)d lines without a correspondence type are logged only.",
                    self.no_type,
                )
                % {"count": self.no_type}
            )
        return summary

    def is_what_was_confirmed(
        self, *, lines: int | None, last_step: int | None
    ) -> bool:
        """Whether the segment still has the figures the user saw on the Log page."""
        return (self.lines, self.last_step) == (lines, last_step)

    def blocking(self, *, deliver: bool) -> list[str]:
        """The problems that stop logging, with or without sending."""
        if deliver and self.delivery_problem:
            return [*self.problems, self.delivery_problem]
        return self.problems


def check_log(segment: Segment) -> LogCheck:
    """Count the segment's lines by correspondence type and list every blocking problem."""
    lines = SegmentLine.objects.filter(segment=segment).alias(
        kind=effective_correspondence_type(),
        line_salesperson=effective_salesperson_id(),
        line_template=effective_template_id(),
    )
    without_address = Q(kind=CorrespondenceType.EMAIL, contact__email="")
    totals = lines.aggregate(
        lines=Count("pk"),
        contacts=Count("contact", distinct=True),
        hard_copy=Count("pk", filter=Q(kind=CorrespondenceType.HARD_COPY)),
        email=Count("pk", filter=Q(kind=CorrespondenceType.EMAIL)),
        fax=Count("pk", filter=Q(kind=CorrespondenceType.FAX)),
        no_type=Count("pk", filter=Q(kind=CorrespondenceType.BLANK)),
        email_without_address=Count("pk", filter=without_address),
        no_salesperson=Count("pk", filter=Q(line_salesperson__isnull=True)),
        no_template=Count("pk", filter=Q(line_template__isnull=True)),
    )
    no_salesperson = totals.pop("no_salesperson")
    no_template = totals.pop("no_template")
    check = LogCheck(
        **totals,
        last_step=segment.steps.aggregate(last=Max("number"))["last"] or 0,
    )
    logged = LoggedSegment.objects.filter(segment_number=segment.number).first()
    if logged:
        check.problems.append(
            _(
                "A logged segment for segment number %(number)s already exists (%(logged)d)."
            )
            % {"number": segment.number, "logged": logged.pk}
        )
    if not segment.description.strip():
        check.problems.append(_("The segment has no description; give it one first."))
    if not check.lines:
        check.problems.append(
            _("Segment %(number)s is empty.") % {"number": segment.number}
        )
    if no_salesperson:
        check.problems.append(
            ngettext(
                "%(count)d line has no salesperson (%(contacts)s). Set one on the "
                "segment, on the line or on the contact.",
                "%(count)d lines have no salesperson (%(contacts)s). Set one on the "
                "segment, on the lines or on the contacts.",
                no_salesperson,
            )
            % {
                "count": no_salesperson,
                "contacts": _named(lines.filter(line_salesperson__isnull=True)),
            }
        )
    if no_template:
        check.problems.append(
            ngettext(
                "%(count)d line has no interaction template. Choose one on the segment "
                "or on the line.",
                "%(count)d lines have no interaction template. Choose one on the "
                "segment or on the lines.",
                no_template,
            )
            % {"count": no_template}
        )
    if check.email_without_address:
        check.delivery_problem = ngettext(
            "%(count)d e-mail line has no e-mail address (%(contacts)s). Add the "
            "address, choose another correspondence type for the line, or log "
            "without sending.",
            "%(count)d e-mail lines have no e-mail address (%(contacts)s). Add the "
            "addresses, choose another correspondence type for the lines, or log "
            "without sending.",
            check.email_without_address,
        ) % {
            "count": check.email_without_address,
            "contacts": _named(lines.filter(without_address)),
        }
    return check


def _named(lines: QuerySet[SegmentLine]) -> str:
    numbers = list(
        lines.order_by("pk").values_list("contact__number", flat=True)[
            : CONTACTS_NAMED + 1
        ]
    )
    shown = ", ".join(numbers[:CONTACTS_NAMED])
    return f"{shown}, …" if len(numbers) > CONTACTS_NAMED else shown
