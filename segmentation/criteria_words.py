"""Criteria parameters in words: "Mailing group = NEWSLETTER and City = Brno";
and what a step did: "Add Contacts: 3 contacts added. Left out: …"."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext

from interactions.models import LoggedSegment
from segmentation.criteria import HAS_NOT, INTERACTION_FILTERS, criteria_for
from segmentation.line_filter import LineFilterForm
from segmentation.models import CriteriaStep, SegmentLine, StepDefinition

Action = StepDefinition.Action


def describe(parameters: dict | None) -> str:
    """The criteria in words: "Mailing group = NEWSLETTER and City = Brno"."""
    try:
        criteria = criteria_for(parameters)
    except ValidationError as damaged:
        return _("(criteria no longer valid: %(errors)s)") % {
            "errors": " ".join(damaged.messages)
        }
    if not criteria.is_valid():
        return _("(criteria no longer valid: %(errors)s)") % {
            "errors": "; ".join(" ".join(errors) for errors in criteria.errors.values())
        }
    data = criteria.form.cleaned_data
    fields = criteria.form.fields
    parts = []
    for name, value in data.items():
        if name.startswith("interaction") or not value:
            continue
        label = str(fields[name].label).removeprefix("… ")
        if hasattr(value, "start"):
            if value.start or value.stop:
                parts.append(f"{label} {_range(value)}")
            continue
        parts.append(f"{label} = {_display(fields[name], value)}")
    interaction = _describe_interaction(data, fields)
    if interaction:
        parts.append(interaction)
    conjunction = _("and")
    return f" {conjunction} ".join(parts) or _("all contacts")


def _describe_interaction(data, fields) -> str:
    details = []
    for name in INTERACTION_FILTERS[:-2]:
        if data.get(name):
            label = fields[name].label.removeprefix("… ")
            details.append(f"{label} {_display(fields[name], data[name])}")
    dates = data.get("interaction_date")
    if dates and (dates.start or dates.stop):
        dated = _("dated")
        details.append(f"{dated} {_range(dates)}")
    wanted = data.get("interaction")
    if not wanted and not details:
        return ""
    text = _("has no interaction") if wanted == HAS_NOT else _("has an interaction")
    if details:
        text += " " + ", ".join(details)
    if data.get("interaction_include_cancelled"):
        text += " " + _("(cancelled ones count)")
    return text


def _display(field, value) -> str:
    items = list(value) if isinstance(value, QuerySet | list | tuple) else [value]
    choices = dict(getattr(field, "choices", []) or [])
    shown = []
    for item in items:
        if hasattr(item, "code"):
            shown.append(item.code)
        elif isinstance(item, LoggedSegment):
            shown.append(f"{item.pk} ({item.segment_number})")
        else:
            shown.append(str(choices.get(item, item)))
    conjunction = _("or")
    return f" {conjunction} ".join(shown)


def _range(value) -> str:
    start = date_format(value.start, "SHORT_DATE_FORMAT") if value.start else "…"
    stop = date_format(value.stop, "SHORT_DATE_FORMAT") if value.stop else "…"
    return f"{start} – {stop}"


def describe_step(step: CriteriaStep) -> str:
    """A step's criteria in words; for Edit Lines, what it set and on which lines."""
    if step.action != Action.EDIT:
        return describe(step.parameters)
    return describe_edit(step.parameters)


def describe_edit(parameters: dict) -> str:
    """ "Salesperson = JD, Cost back to the header’s; lines where Language = sv"."""
    parts = []
    for name, value in parameters.get("fields", {}).items():
        label = capfirst(SegmentLine._meta.get_field(name).verbose_name)
        if value is None:
            parts.append(_("%(field)s back to the header’s") % {"field": label})
        else:
            parts.append(f"{label} = {value}")
    return _("%(changes)s; %(lines)s") % {
        "changes": ", ".join(parts),
        "lines": describe_line_filter(parameters.get("filter")),
    }


def describe_line_filter(filters: dict | None) -> str:
    """Which lines: "the ticked lines", "all lines", "lines where Language = sv"."""
    if filters is None:
        return _("the ticked lines")
    if not filters:
        return _("all lines")
    form_fields = LineFilterForm.base_fields
    conjunction = _("and")
    chosen = f" {conjunction} ".join(
        f"{form_fields[name].label} = {value}" for name, value in filters.items()
    )
    return _("lines where %(filter)s") % {"filter": chosen}


def step_message(step: CriteriaStep) -> str:
    """What a step did, for its message."""
    if step.action == Action.EDIT:
        return ngettext(
            "%(action)s: %(count)d line changed.",
            "%(action)s: %(count)d lines changed.",
            step.edited_count,
        ) % {"action": step.get_action_display(), "count": step.edited_count}
    if step.action == Action.ADD:
        message = ngettext(
            "%(action)s: %(count)d contact added.",
            "%(action)s: %(count)d contacts added.",
            step.added_count,
        ) % {"action": step.get_action_display(), "count": step.added_count}
    else:
        message = ngettext(
            "%(action)s: %(count)d line removed.",
            "%(action)s: %(count)d lines removed.",
            step.removed_count,
        ) % {"action": step.get_action_display(), "count": step.removed_count}
    left_out = left_out_text(step.left_out)
    return f"{message} {left_out}".strip()


def left_out_text(left_out: dict) -> str:
    """ "Left out: 2 already on the segment, 1 excluded, 1 privacy blocked." or ""."""
    counted = {
        "already_on_segment": lambda count: ngettext(
            "%(count)s already on the segment",
            "%(count)s already on the segment",
            count,
        ),
        "excluded": lambda count: ngettext(
            "%(count)s excluded from segments",
            "%(count)s excluded from segments",
            count,
        ),
        # Its own words: "privacy blocked" alone is also a contact's status.
        "privacy_blocked": lambda count: npgettext(
            "contacts left out",
            "%(count)s privacy blocked",
            "%(count)s privacy blocked",
            count,
        ),
    }
    parts = [
        counted[reason](count) % {"count": number_format(count, force_grouping=True)}
        for reason, count in (left_out or {}).items()
        if count and reason in counted
    ]
    return _("Left out: %(reasons)s.") % {"reasons": ", ".join(parts)} if parts else ""
