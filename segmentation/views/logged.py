"""Logged segments: the archive, one logged segment's page, Cancel and Restore.

They live here, above interactions, because a logged segment's page offers
its letters and Create Follow-up Segment.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from core.jobs import JobAlreadyRunning
from core.office import pdf_available
from core.views import job_already_running
from interactions.filters import LoggedSegmentFilter
from interactions.models import DeliveryStatus, LoggedSegment
from interactions.services import cancel_logged_segment, restore_logged_segment
from interactions.views import ENTRIES_PER_PAGE, log_entries_for_list
from segmentation.delivery import delivery_counts
from segmentation.delivery.jobs import latest_delivery_job
from segmentation.jobs import (
    CANCEL_ACTION,
    RESTORE_ACTION,
    cancel_message,
    start_cancel_job,
)
from segmentation.letters.jobs import logged_entries
from segmentation.services import mark_printed, resend_failed
from segmentation.views.campaigns import campaign_entries_with_totals


class LoggedSegmentListView(PermissionRequiredMixin, ListView):
    """The archive of logged segments."""

    permission_required = "interactions.view_loggedsegment"
    raise_exception = True
    template_name = "segmentation/loggedsegment_list.html"
    paginate_by = ENTRIES_PER_PAGE

    def get_queryset(self):
        queryset = LoggedSegment.objects.select_related("created_by", "campaign")
        self.filterset = LoggedSegmentFilter(
            self.request.GET, queryset=queryset, request=self.request
        )
        if not self.filterset.is_valid():
            return LoggedSegment.objects.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)


class LoggedSegmentDetailView(PermissionRequiredMixin, DetailView):
    """A logged segment and its interactions."""

    permission_required = "interactions.view_loggedsegment"
    raise_exception = True
    template_name = "segmentation/loggedsegment_detail.html"
    queryset = LoggedSegment.objects.select_related("created_by", "campaign")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = log_entries_for_list().filter(logged_segment=self.object)
        paginator = Paginator(entries, ENTRIES_PER_PAGE)
        context["page_obj"] = paginator.get_page(self.request.GET.get("page"))
        counts = delivery_counts(self.object)
        context["delivery_counts"] = [
            (status, label, counts[status])
            for status, label in DeliveryStatus.choices
            if counts.get(status)
        ]
        context["delivery_job"] = latest_delivery_job(self.object)
        context["can_resend"] = bool(counts.get(DeliveryStatus.FAILED))
        context["can_mark_printed"] = bool(counts.get(DeliveryStatus.PENDING))
        context["has_letters_to_print"] = logged_entries(
            self.object, hard_copy=True
        ).exists()
        context["pdf_available"] = pdf_available()
        context["campaign_entries"] = campaign_entries_with_totals(
            self.object.campaign_entries.all()
        )
        return context


@require_POST
@permission_required("interactions.change_loggedsegment", raise_exception=True)
def logged_segment_mark_printed(request, pk):
    """Mark as Printed: the letters on paper went out."""
    logged_segment = get_object_or_404(LoggedSegment, pk=pk)
    count = mark_printed(logged_segment, user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d letter marked as printed.",
            "%(count)d letters marked as printed.",
            count,
        )
        % {"count": count},
    )
    return redirect(logged_segment)


@require_POST
@permission_required("interactions.change_loggedsegment", raise_exception=True)
def logged_segment_resend(request, pk):
    """Resend: the failed e-mails go out again."""
    logged_segment = get_object_or_404(LoggedSegment, pk=pk)
    try:
        count = resend_failed(logged_segment, user=request.user)
    except JobAlreadyRunning as running:
        return job_already_running(request, running, fallback=logged_segment)
    messages.success(
        request,
        ngettext(
            "%(count)d e-mail will be sent again.",
            "%(count)d e-mails will be sent again.",
            count,
        )
        % {"count": count},
    )
    return redirect(logged_segment)


@permission_required("interactions.change_loggedsegment", raise_exception=True)
def logged_segment_cancel(request, pk):
    """Ask, then cancel or restore a logged segment with its interactions.

    The POST names its action, so a double click or a resubmitted form repeats
    that action (and changes nothing) instead of undoing it.
    """
    logged_segment = get_object_or_404(LoggedSegment, pk=pk)
    if request.method != "POST":
        return render(
            request,
            "segmentation/loggedsegment_confirm_cancel.html",
            {"logged_segment": logged_segment},
        )
    action = request.POST.get("action")
    if action not in (CANCEL_ACTION, RESTORE_ACTION):
        messages.error(request, _("Choose Cancel or Restore; nothing changed."))
        return redirect(logged_segment)
    if logged_segment.entry_count > settings.CANCEL_ENTRIES_IN_REQUEST:
        try:
            job = start_cancel_job(logged_segment, user=request.user, action=action)
        except JobAlreadyRunning as running:
            return job_already_running(request, running, fallback=logged_segment)
        return redirect(job)
    service = (
        cancel_logged_segment if action == CANCEL_ACTION else restore_logged_segment
    )
    try:
        count = service(logged_segment, user=request.user)
    except ValidationError as error:
        messages.warning(request, error.message)
    else:
        messages.success(
            request,
            cancel_message(action, number=logged_segment.segment_number, count=count),
        )
    return redirect(logged_segment)
