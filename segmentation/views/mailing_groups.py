"""Apply Mailing Group: pick a group, see the counts, then confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext

from segmentation.forms import MailingGroupForm
from segmentation.models import Segment
from segmentation.services.mailing_groups import (
    apply_mailing_group,
    mailing_group_counts,
)


@permission_required(
    ["segmentation.change_segment", "contacts.change_contact"], raise_exception=True
)
def segment_apply_mailing_group(request, pk):
    """GET shows the counts for the chosen group; only the POST writes."""
    segment = get_object_or_404(Segment, pk=pk)
    data = request.POST if request.method == "POST" else request.GET
    form = MailingGroupForm(data if "mailing_group" in data else None)
    counts = None
    if form.is_valid():
        group = form.cleaned_data["mailing_group"]
        if request.method == "POST":
            try:
                done = apply_mailing_group(
                    segment,
                    mailing_group=group,
                    user=request.user,
                    delete_old_assignments=form.cleaned_data["delete_old_assignments"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _applied_message(group.code, segment, done))
                return redirect(segment)
        counts = mailing_group_counts(
            segment,
            mailing_group=group,
            delete_old_assignments=form.cleaned_data["delete_old_assignments"],
        )
    return render(
        request,
        "segmentation/segment_apply_mailing_group.html",
        {"segment": segment, "form": form, "counts": counts},
    )


def _applied_message(code: str, segment: Segment, counts: dict) -> str:
    message = ngettext(
        "Mailing group %(code)s is now applied to segment %(number)s: "
        "%(count)d contact added.",
        "Mailing group %(code)s is now applied to segment %(number)s: "
        "%(count)d contacts added.",
        counts["added"],
    ) % {"code": code, "number": segment.number, "count": counts["added"]}
    if not counts["removed"]:
        return message
    removed = ngettext(
        "%(count)d old assignment deleted.",
        "%(count)d old assignments deleted.",
        counts["removed"],
    ) % {"count": counts["removed"]}
    return f"{message} {removed}"
