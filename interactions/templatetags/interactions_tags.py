from django import template

from contacts.models import Contact
from interactions.models import InteractionLogEntry

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
