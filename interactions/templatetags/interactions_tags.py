from django import template
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join

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
