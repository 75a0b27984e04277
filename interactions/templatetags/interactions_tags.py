from django import template
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format, localize, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _

from contacts.models import Contact
from interactions.models import InteractionLogEntry
from interactions.outcome import Figure

register = template.Library()

HISTORY_ROWS = 20


@register.inclusion_tag(
    "interactions/includes/contact_history.html", takes_context=True
)
def contact_interaction_history(context, contact: Contact):
    """The contact's latest interactions, for the contact page (two queries)."""
    entries = (
        InteractionLogEntry.objects.filter(contact=contact)
        .select_related("template", "salesperson")
        .order_by("-date", "-pk")
    )
    return {
        "contact": contact,
        "entries": entries[:HISTORY_ROWS],
        "entry_count": entries.count(),
        "perms": context.get("perms"),
    }


CHART_ROW = 28  # pixels per bar
CHART_BAR = (
    "<g><title>{label}: {count} ({share})</title>"
    '<text x="0" y="{top}" dy="19" fill="currentColor" font-size="14">{label}</text>'
    '<svg x="35%" width="50%" y="{top}" height="{row}">'
    '<rect class="text-primary" x="0" y="4" width="{bar}%" height="20"'
    ' fill="currentColor"/></svg>'
    '<text x="100%" y="{top}" dy="19" text-anchor="end" fill="currentColor"'
    ' font-size="14">{share}</text></g>'
)


@register.simple_tag
def bar_chart(figure: Figure) -> str:
    """A figure of the outcome as horizontal bars, in SVG.

    It is for the eye only (aria-hidden): the table beside it says the same to
    everyone. Written here rather than in a template: a template loop costs a
    big logged segment's Outcome page more than its query.
    """
    bars = format_html_join(
        "",
        CHART_BAR,
        (
            {
                "label": group.label,
                "count": number_format(group.count, force_grouping=True),
                "share": group.share,
                "top": index * CHART_ROW,
                "row": CHART_ROW,
                "bar": group.bar,
            }
            for index, group in enumerate(figure.groups)
        ),
    )
    return format_html(
        '<svg class="w-100" height="{}" aria-hidden="true" focusable="false">{}</svg>',
        len(figure.groups) * CHART_ROW,
        bars,
    )


ENTRY_ROW = (
    "<tr{row_class}>{select}"
    '<td><a href="{entry_url}" aria-label="{show_label}">{number}</a>{cancelled}</td>'
    "<td>{date}</td>"
    '<td class="text-wrap log-contact"><a href="{contact_url}">{contact_number}</a>'
    " {contact_name}{company}</td>"
    "<td>{template}</td>"
    '<td class="text-wrap log-description">{description}{subject}</td>'
    "<td>{correspondence_type}</td>"
    "<td>{language}</td>"
    "<td>{personalised}</td>"
    '<td class="delivery-status"{delivery_title}>{delivery}</td>'
    "<td>{salesperson}</td>"
    "<td>{evaluation}</td>"
    '<td class="text-end">{cost}</td>'
    '<td class="text-end">{duration}</td>'
    "<td>{segment}</td>"
    "</tr>"
)
SELECT_CELL = (
    '<td><input type="checkbox" class="form-check-input" name="entries"'
    ' value="{}" form="entry-actions" aria-label="{}"></td>'
)


@register.simple_tag
def log_entry_rows(entries, selectable=False) -> SafeString:
    """The rows of a log entry table (the log, a logged segment's page).

    Written here rather than in a template: fifty rows of a dozen cells through
    the template engine cost the Interaction Log more than all its queries. The
    words, formats and links every row shares are looked up once (`_Shared`).
    """
    if not entries:
        return format_html(
            '<tr><td colspan="15" class="text-secondary">{}</td></tr>',
            _("No interactions match."),
        )
    shared = _Shared()
    return mark_safe(  # each row is built by format_html
        "".join(_entry_row(entry, selectable, shared) for entry in entries)
    )


class _Shared:
    """What the rows of one table share: choice labels, formats, link patterns."""

    PLACEHOLDER = 987654321

    def __init__(self):
        self.cancelled = format_html(
            ' <span class="badge text-bg-secondary">{}</span>', _("Cancelled")
        )
        self.yes = _("Yes")
        self.labels = {
            name: {
                value: str(label)
                for value, label in InteractionLogEntry._meta.get_field(
                    name
                ).flatchoices
            }
            for name in (
                "correspondence_type",
                "evaluation",
                "delivery_status",
                "not_sent_reason",
            )
        }
        self.date_format = get_format("SHORT_DATE_FORMAT")
        self.datetime_format = get_format("SHORT_DATETIME_FORMAT")
        self.select_label = _("Select entry %(number)s")
        self.show_label = _("Show interaction %(number)s")
        self.urls = {
            name: reverse(name, args=[self.PLACEHOLDER])
            for name in (
                "interactions:entry_detail",
                "contacts:contact_detail",
                "segmentation:logged_segment_detail",
            )
        }

    def url(self, name: str, pk: int) -> str:
        return self.urls[name].replace(str(self.PLACEHOLDER), str(pk))

    def label(self, entry, name: str) -> str:
        value = getattr(entry, name)
        return self.labels[name].get(value, value)


def _entry_row(entry, selectable: bool, shared: _Shared) -> SafeString:
    number = entry.pk
    company = ""
    if entry.contact_company_id and entry.contact_company_id != entry.contact_id:
        company = format_html(
            '<div class="text-secondary">{}</div>', entry.contact_company.name
        )
    return format_html(
        ENTRY_ROW,
        row_class=mark_safe(' class="text-secondary"') if entry.cancelled else "",
        select=format_html(
            SELECT_CELL, number, shared.select_label % {"number": number}
        )
        if selectable
        else "",
        entry_url=shared.url("interactions:entry_detail", number),
        show_label=shared.show_label % {"number": number},
        number=number,
        cancelled=shared.cancelled if entry.cancelled else "",
        date=dateformat.format(entry.date, shared.date_format),
        contact_url=shared.url("contacts:contact_detail", entry.contact_id),
        contact_number=entry.contact.number,
        contact_name=entry.contact.name,
        company=company,
        template=entry.template.code if entry.template_id else "",
        description=entry.description,
        subject=format_html('<div class="text-secondary">{}</div>', entry.subject)
        if entry.subject
        else "",
        correspondence_type=shared.label(entry, "correspondence_type"),
        language=entry.language,
        personalised=shared.yes if entry.document_is_personalised else "",
        delivery_title=format_html(' title="{}"', entry.delivery_detail)
        if entry.delivery_detail
        else "",
        delivery=_delivery(entry, shared),
        salesperson=entry.salesperson.code if entry.salesperson_id else "",
        evaluation=shared.label(entry, "evaluation"),
        cost=localize(entry.cost),
        duration=localize(entry.duration),
        segment=format_html(
            '<a href="{}">{}</a>',
            shared.url("segmentation:logged_segment_detail", entry.logged_segment_id),
            entry.segment_number,
        )
        if entry.logged_segment_id
        else entry.segment_number,
    )


def _delivery(entry, shared: _Shared) -> SafeString | str:
    if not entry.delivery_status:
        return ""
    reason = (
        f" ({shared.label(entry, 'not_sent_reason')})" if entry.not_sent_reason else ""
    )
    delivered = (
        format_html(
            '<div class="text-secondary">{}</div>',
            dateformat.format(
                template_localtime(entry.delivered_at), shared.datetime_format
            ),
        )
        if entry.delivered_at
        else ""
    )
    return format_html(
        "{}{}{}", shared.label(entry, "delivery_status"), reason, delivered
    )
