"""Delete Cancelled Segments: pick a range, see the counts, then confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.utils.translation import ngettext

from interactions.forms import CancelledSegmentsRangeForm
from interactions.services import cancelled_segments_counts, delete_cancelled_segments


@permission_required("interactions.delete_loggedsegment", raise_exception=True)
def logged_segment_delete_cancelled(request):
    """GET shows what the range holds; only the POST deletes."""
    data = request.POST if request.method == "POST" else request.GET
    form = CancelledSegmentsRangeForm(
        data if data or request.method == "POST" else None
    )
    counts = None
    if form.is_valid():
        if request.method == "POST":
            done = delete_cancelled_segments(**form.cleaned_data, user=request.user)
            messages.success(request, _deleted_message(done))
            return redirect("segmentation:logged_segment_list")
        counts = cancelled_segments_counts(**form.cleaned_data)
    return render(
        request,
        "segmentation/loggedsegment_confirm_delete_cancelled.html",
        {"form": form, "counts": counts},
    )


def _deleted_message(done: dict) -> str:
    return ngettext(
        "%(count)d cancelled logged segment has been deleted; "
        "its %(entries)d interactions are kept.",
        "%(count)d cancelled logged segments have been deleted; "
        "their %(entries)d interactions are kept.",
        done["segments"],
    ) % {"count": done["segments"], "entries": done["entries"]}
