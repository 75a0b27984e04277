"""Segment lines: change one line's details, or many at once (Edit Lines)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.jobs import JobAlreadyRunning
from core.views import job_already_running
from segmentation.criteria_words import describe_line_filter, step_message
from segmentation.effective import with_effective_values
from segmentation.forms import (
    LineEditForm,
    LineForm,
    LineSelectionForm,
    edit_lines_arguments,
)
from segmentation.jobs import start_edit_lines_job
from segmentation.line_filter import LineFilterForm, filter_parameters
from segmentation.models import Segment, SegmentLine
from segmentation.services import edit_lines, update_line


def segment_line_or_404(pk, line_pk) -> SegmentLine:
    """Line `line_pk` of segment `pk`, with its segment and contact; 404 otherwise."""
    return get_object_or_404(
        SegmentLine.objects.select_related("segment", "contact"),
        pk=line_pk,
        segment_id=pk,
    )


@permission_required("segmentation.change_segment", raise_exception=True)
def segment_line_update(request, pk, line_pk):
    """Change one line's details, or reset it to the header's."""
    line = segment_line_or_404(pk, line_pk)
    if request.method == "POST" and "reset" in request.POST:
        update_line(
            line,
            fields=dict.fromkeys(SegmentLine.OVERRIDABLE_FIELDS),
            user=request.user,
        )
        messages.success(
            request,
            _("Line of %(contact)s reset to the segment’s values.")
            % {"contact": line.contact},
        )
        return redirect(line.segment)
    effective = with_effective_values(SegmentLine.objects.filter(pk=line.pk)).get()
    form = LineForm(request.POST or None, instance=line, effective=effective)
    if request.method == "POST" and form.is_valid():
        try:
            update_line(
                line,
                fields={
                    name: form.cleaned_data[name]
                    for name in SegmentLine.EDITABLE_FIELDS
                },
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Line of %(contact)s saved.") % {"contact": line.contact}
            )
            return redirect(line.segment)
    return render(
        request,
        "segmentation/segmentline_form.html",
        {"line": line, "form": form, "effective": effective},
    )


@require_POST
@permission_required("segmentation.change_segment", raise_exception=True)
def segment_edit_lines(request, pk):
    """Edit Lines: the lines ticked (or all matching) on the segment page, new details.

    The segment page posts its selection here, which shows the form; the form
    posts back with "apply", which makes the change as one step (a job above
    STEP_LINES_IN_REQUEST lines).
    """
    segment = get_object_or_404(Segment, pk=pk)
    selection = LineSelectionForm(request.POST)
    line_filter = LineFilterForm(request.POST)
    if not (selection.is_valid() and line_filter.is_valid()):
        for form in (selection, line_filter):
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        return redirect(segment)
    form = LineEditForm(request.POST if "apply" in request.POST else None, prefix="set")
    all_matching = selection.cleaned_data["all_matching"]
    if form.is_bound and form.is_valid():
        arguments = edit_lines_arguments(selection, line_filter, form)
        if arguments["expected_count"] > settings.STEP_LINES_IN_REQUEST:
            try:
                job = start_edit_lines_job(
                    segment,
                    user=request.user,
                    lines=arguments["expected_count"],
                    data={
                        key: request.POST.getlist(key)
                        for key in request.POST
                        if key != "csrfmiddlewaretoken"
                    },
                )
            except JobAlreadyRunning as running:
                return job_already_running(request, running, fallback=segment)
            return redirect(job)
        try:
            step = edit_lines(segment, user=request.user, **arguments)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, step_message(step))
            return redirect(segment)
    return render(
        request,
        "segmentation/segment_edit_lines.html",
        {
            "segment": segment,
            "form": form,
            "selection": selection,
            "line_filter": line_filter,
            "count": selection.cleaned_data["expected"],
            "lines_words": describe_line_filter(
                filter_parameters(line_filter.cleaned_data) if all_matching else None
            ),
        },
    )
