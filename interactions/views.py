from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, TemplateView

from contacts.models import Contact
from core.export_jobs import export
from core.files import serve_file
from core.filter_panel import panel_key
from core.ids import MAX_ID
from core.keyset import (
    POSITION_NAMES,
    KeyOrder,
    kept_query,
    requested_page,
    row_total,
)
from interactions.exports import INTERACTION_LOG, log_filter
from interactions.filters import InteractionLogFilter
from interactions.forms import InteractionForm, LogEntryActionForm, LogJumpForm
from interactions.models import (
    Evaluation,
    InteractionLogEntry,
    WordDocument,
)
from interactions.services import (
    cancel_entries,
    create_interaction,
    evaluate_entries,
    restore_entries,
)

ENTRIES_PER_PAGE = 50
LOG_ENTRY_COLUMNS = [
    "contact",
    "contact_company",
    "template",
    "salesperson",
    "logged_segment",
]


def log_entries_for_list():
    """Entries with what a list row shows, in a fixed number of queries."""
    return InteractionLogEntry.objects.select_related(*LOG_ENTRY_COLUMNS).only(
        "pk",
        "date",
        "description",
        "subject",
        "language",
        "document_is_personalised",
        "correspondence_type",
        "evaluation",
        "cost",
        "duration",
        "cancelled",
        "delivery_status",
        "not_sent_reason",
        "delivery_detail",
        "delivered_at",
        "segment_number",
        "contact__number",
        "contact__name",
        "contact_company__name",
        "template__code",
        "salesperson__code",
        "logged_segment__cancelled",
    )


# Newest first; the entry number breaks ties within a day, so every entry has
# one place (the (date, id) index serves it both ways).
LOG_ORDER = KeyOrder(("date", "pk"), descending=True)


class InteractionLogView(PermissionRequiredMixin, TemplateView):
    """Every interaction logged, newest first, with filters and bulk actions.

    Paged by keyset (core/keyset.py): Next, Previous and the jumps to a date or
    an entry number cost the same however deep they land.
    """

    permission_required = "interactions.view_interactionlogentry"
    raise_exception = True
    template_name = "interactions/interactionlogentry_list.html"

    def get_context_data(self, **kwargs):
        filterset = InteractionLogFilter(
            self.request.GET, queryset=log_entries_for_list(), request=self.request
        )
        # A wrong filter shows nothing: its total is a count (of none), not
        # the estimate of the whole log.
        entries = InteractionLogEntry.objects.none()
        filtered = True
        if filterset.is_valid():
            entries = filterset.qs
            filtered = any(
                value not in (None, "", [])
                for value in filterset.form.cleaned_data.values()
            )
        jump = LogJumpForm(self.request.GET)
        page = requested_page(
            self.request,
            entries,
            LOG_ORDER,
            size=ENTRIES_PER_PAGE,
            start=_jump_start(jump),
        )
        return super().get_context_data(
            filter=filterset,
            page_obj=page,
            total=row_total(entries, filtered=filtered),
            jump=jump,
            kept_query=kept_query(self.request, leave_out=jump.fields),
            evaluations=[choice for choice in Evaluation.choices if choice[0]],
            panel_key=None
            if filtered
            else panel_key(self.request, filterset.form, leave_out=jump.fields),
            **kwargs,
        )


def _jump_start(jump: LogJumpForm) -> tuple | None:
    """The key the log starts at for the jump asked, or None (errors on the form)."""
    if not (jump.asked and jump.is_valid()):
        return None
    if day := jump.cleaned_data["go_date"]:
        # The day's newest entry: the highest key up to (day, the largest id).
        return (day, MAX_ID)
    number = jump.cleaned_data["go_entry"]
    day = (
        InteractionLogEntry.objects.filter(pk=number)
        .values_list("date", flat=True)
        .first()
    )
    if day is None:
        jump.add_error(
            "go_entry", _("There is no entry %(number)d.") % {"number": number}
        )
        return None
    return (day, number)


class InteractionLogEntryDetailView(PermissionRequiredMixin, DetailView):
    """One entry with every field and how its delivery went (the reference's Show)."""

    permission_required = "interactions.view_interactionlogentry"
    raise_exception = True
    context_object_name = "entry"
    queryset = InteractionLogEntry.objects.select_related(
        "contact",
        "contact_company",
        "template",
        "group",
        "salesperson",
        "campaign",
        "campaign_entry",
        "logged_segment",
        "document",
        "created_by",
    )


@permission_required("interactions.view_interactionlogentry", raise_exception=True)
def interaction_log_export(request):
    """Export: every entry the Interaction Log shows for these filters."""
    query = request.GET.copy()
    for name in ("format", "page", *POSITION_NAMES, *LogJumpForm.base_fields):
        query.pop(name, None)
    if not log_filter(query.urlencode()).is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(
            f"{reverse('interactions:interaction_log')}?{query.urlencode()}"
        )
    return export(
        request,
        name=INTERACTION_LOG,
        parameters={"query": query.urlencode()},
        title=_("Interaction Log"),
    )


@require_POST
@permission_required("interactions.change_interactionlogentry", raise_exception=True)
def interaction_log_action(request):
    """Evaluate, cancel or restore the ticked entries, then go back to the list."""
    form = LogEntryActionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to_list(request)
    entries = InteractionLogEntry.objects.filter(pk__in=form.cleaned_data["entries"])
    action = form.cleaned_data["action"]
    try:
        if action == LogEntryActionForm.EVALUATE:
            count = evaluate_entries(
                entries, evaluation=form.cleaned_data["evaluation"], user=request.user
            )
            message = ngettext(
                "%(count)d interaction evaluated.",
                "%(count)d interactions evaluated.",
                count,
            )
        elif action == LogEntryActionForm.CANCEL:
            count = cancel_entries(entries, user=request.user)
            message = ngettext(
                "%(count)d interaction cancelled.",
                "%(count)d interactions cancelled.",
                count,
            )
        else:
            count = restore_entries(entries, user=request.user)
            message = ngettext(
                "%(count)d interaction restored.",
                "%(count)d interactions restored.",
                count,
            )
    except ValidationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message % {"count": count})
    return _back_to_list(request)


def _back_to_list(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("interactions:interaction_log")


@permission_required("interactions.add_interactionlogentry", raise_exception=True)
def interaction_create(request):
    """Create Interaction: log one interaction with one contact."""
    initial = {}
    contact_id = request.GET.get("contact", "")
    if contact_id.isdigit():
        contact = Contact.objects.filter(pk=contact_id).first()
        if contact:
            initial = {"contact": contact, "salesperson": contact.salesperson_id}
    if not initial.get("salesperson") and hasattr(request.user, "salesperson"):
        initial["salesperson"] = request.user.salesperson
    form = InteractionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = create_interaction(
                data["contact"],
                template=data["template"],
                date=data["date"],
                description=data["description"],
                subject=data["subject"],
                correspondence_type=data["correspondence_type"],
                salesperson=data["salesperson"],
                evaluation=data["evaluation"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Interaction %(number)d logged for %(contact)s.")
                % {"number": entry.pk, "contact": entry.contact},
            )
            return redirect(entry.contact)
    return render(request, "interactions/interaction_form.html", {"form": form})


@permission_required("interactions.view_worddocument", raise_exception=True)
def word_document_download(request, pk):
    """Download a stored Word document as it was uploaded."""
    document = get_object_or_404(WordDocument, pk=pk)
    return serve_file(document.file, download_name=document.file_name)
