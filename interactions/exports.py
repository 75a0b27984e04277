"""Exports of interaction log entries: the filtered Interaction Log, a logged segment's.

The columns are the entry's fields (derived from the model, so a field added
later is exported too), headed by their verbose names in the user's language.
"""

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.export_jobs import register_export
from core.exports import Table, model_columns
from interactions.filters import InteractionLogFilter
from interactions.models import InteractionLogEntry, LoggedSegment

INTERACTION_LOG = "interaction_log"
LOGGED_SEGMENT_ENTRIES = "logged_segment_entries"
# Bookkeeping of the sending and of Cancel, not what a reader of the log wants.
INTERNAL_FIELDS = ("cancelled_with_segment", "message_id", "delivery_attempts")


def entry_columns():
    return model_columns(InteractionLogEntry, exclude=INTERNAL_FIELDS)


def log_filter(query: str) -> InteractionLogFilter:
    """The Interaction Log page's filters, from its querystring."""
    return InteractionLogFilter(
        QueryDict(query), queryset=InteractionLogEntry.objects.all()
    )


def interaction_log_table(parameters: dict) -> Table:
    """The entries the Interaction Log shows for `parameters["query"]`, all of them."""
    filterset = log_filter(parameters["query"])
    entries = (
        filterset.qs if filterset.is_valid() else InteractionLogEntry.objects.none()
    )
    return Table(
        queryset=entries,
        columns=entry_columns(),
        file_stem=pgettext("file name", "interaction-log"),
        sheet_name=_("Interaction Log"),
    )


def logged_segment_table(parameters: dict) -> Table:
    """The entries of one logged segment, cancelled ones too."""
    number = LoggedSegment.objects.values_list("segment_number", flat=True).get(
        pk=parameters["logged_segment"]
    )
    return Table(
        queryset=InteractionLogEntry.objects.filter(
            logged_segment_id=parameters["logged_segment"]
        ),
        columns=entry_columns(),
        file_stem=pgettext("file name", "logged-segment") + f"-{number}",
        sheet_name=_("Logged segment %(number)s") % {"number": number},
    )


def register_exports() -> None:
    register_export(INTERACTION_LOG, interaction_log_table)
    register_export(LOGGED_SEGMENT_ENTRIES, logged_segment_table)
