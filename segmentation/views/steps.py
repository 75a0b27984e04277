"""Add, Reduce, Refine, lines by hand, Go Back, Criteria and the Reuse actions."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.jobs import JobAlreadyRunning
from core.views import job_already_running
from segmentation.criteria import (
    SECTIONS,
    ContactCriteria,
    parameters_from,
)
from segmentation.criteria_words import (
    describe,
    describe_step,
    left_out_text,
    step_message,
)
from segmentation.forms import (
    AddLinesForm,
    RemoveLinesForm,
    ReuseCriteriaForm,
    ReuseSegmentForm,
    SaveCriteriaForm,
    StepForm,
)
from segmentation.jobs import start_step_job
from segmentation.models import Segment, StepDefinition
from segmentation.selection import preview_step
from segmentation.services import (
    add_contacts_by_hand,
    clear_criteria,
    go_back,
    preview_reuse_criteria,
    remove_lines,
    reuse_criteria,
    reuse_segment,
    save_criteria,
)
from segmentation.services.steps import STEP_SERVICES

Action = StepDefinition.Action


@permission_required("segmentation.change_segment", raise_exception=True)
def segment_step(request, pk, action):
    """Add, Reduce or Refine Contacts: criteria, a count of what it will do, then apply."""
    segment = get_object_or_404(Segment, pk=pk)
    data = request.POST if request.method == "POST" else request.GET
    bound = bool(data)
    criteria = ContactCriteria(data if bound else None)
    options = StepForm(data if bound else None, action=action)
    preview = None
    if bound and criteria.is_valid() and options.is_valid():
        parameters = parameters_from(data)
        if request.method == "POST":
            arguments = {"criteria": parameters, **options.cleaned_data}
            lines = _step_size(segment, action, parameters, options.cleaned_data)
            if lines > settings.STEP_LINES_IN_REQUEST:
                try:
                    job = start_step_job(
                        segment,
                        user=request.user,
                        action=action,
                        lines=lines,
                        **arguments,
                    )
                except JobAlreadyRunning as running:
                    return job_already_running(request, running, fallback=segment)
                return redirect(job)
            try:
                step = STEP_SERVICES[action](segment, user=request.user, **arguments)
            except ValidationError as error:
                options.add_error(None, error)
            else:
                messages.success(request, step_message(step))
                return redirect(segment)
        else:
            # The form reads the last of repeated values, the stored criteria every
            # non-empty one: ?type=0&type= passes the form and is refused here.
            try:
                preview = preview_step(
                    segment, action, criteria=parameters, options=options.cleaned_data
                )
            except ValidationError as error:
                options.add_error(None, error)
            else:
                preview["description"] = describe(parameters)
    return render(
        request,
        "segmentation/segment_step.html",
        {
            "segment": segment,
            "action": action,
            "action_label": Action(action).label,
            "sections": [
                (label, [criteria.form[name] for name in names])
                for label, names in SECTIONS
            ],
            "options": options,
            "preview": preview,
        },
    )


def _step_size(segment, action: str, criteria: dict, options: dict) -> int:
    """How many lines the step would add or remove: its preview's count."""
    preview = preview_step(segment, action, criteria=criteria, options=options)
    return preview["added"] if action == Action.ADD else preview["removed"]


@require_POST
@permission_required("segmentation.change_segment", raise_exception=True)
def segment_add_lines(request, pk):
    """Add the contacts chosen in the picker, as one step."""
    segment = get_object_or_404(Segment, pk=pk)
    form = AddLinesForm(request.POST)
    if form.is_valid():
        try:
            step = add_contacts_by_hand(
                segment, contacts=list(form.cleaned_data["contacts"]), user=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, step_message(step))
    else:
        _report(request, form)
    return redirect(segment)


@require_POST
@permission_required("segmentation.change_segment", raise_exception=True)
def segment_remove_lines(request, pk):
    """Remove the ticked lines, as one step."""
    segment = get_object_or_404(Segment, pk=pk)
    form = RemoveLinesForm(request.POST)
    if request.POST.get("all_matching"):
        # Removing lines by a filter is what Reduce Contacts is for.
        messages.error(
            request,
            _(
                "Remove selected lines works on ticked lines only; nothing was "
                "removed. Use Reduce Contacts to remove lines by criteria."
            ),
        )
    elif form.is_valid():
        try:
            step = remove_lines(
                segment, line_ids=form.cleaned_data["lines"], user=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, step_message(step))
    else:
        _report(request, form)
    return redirect(segment)


def _report(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@permission_required("segmentation.change_segment", raise_exception=True)
def segment_go_back(request, pk):
    """Go Back: ask, then undo the last step."""
    segment = get_object_or_404(Segment, pk=pk)
    last_step = segment.steps.order_by("-number").first()
    if request.method == "POST":
        try:
            step = go_back(segment, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Step %(number)d (%(action)s) undone.")
                % {"number": step.number, "action": step.get_action_display()},
            )
        return redirect(segment)
    if last_step is None:
        messages.info(request, _("There is no step to undo."))
        return redirect(segment)
    return render(
        request,
        "segmentation/segment_confirm_go_back.html",
        {
            "segment": segment,
            "step": last_step,
            "description": describe_step(last_step),
        },
    )


@permission_required("segmentation.view_segment", raise_exception=True)
def segment_criteria(request, pk):
    """Criteria: every step of the segment in words, and Save Criteria."""
    segment = get_object_or_404(Segment, pk=pk)
    steps = list(segment.steps.select_related("created_by"))
    for step in steps:
        step.description = describe_step(step)
        step.left_out_text = left_out_text(step.left_out)
    form = SaveCriteriaForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("segmentation.add_savedcriteria"):
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                saved = save_criteria(
                    segment,
                    code=form.cleaned_data["code"],
                    description=form.cleaned_data["description"],
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Criteria saved as %(code)s.") % {"code": saved.code},
                )
                return redirect("segmentation:segment_criteria", pk=segment.pk)
    return render(
        request,
        "segmentation/segment_criteria.html",
        {"segment": segment, "steps": steps, "form": form},
    )


@require_POST
@permission_required("segmentation.change_segment", raise_exception=True)
def segment_clear_criteria(request, pk):
    segment = get_object_or_404(Segment, pk=pk)
    try:
        clear_criteria(segment, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The segment’s criteria steps were cleared."))
    return redirect(segment)


@permission_required("segmentation.change_segment", raise_exception=True)
def segment_reuse_criteria(request, pk):
    """Reuse Criteria: the saved steps and what each would do today, then apply them."""
    segment = get_object_or_404(Segment, pk=pk)
    data = request.POST if request.method == "POST" else request.GET
    form = ReuseCriteriaForm(data or None, segment=segment)
    preview = None
    if form.is_valid():
        saved = form.cleaned_data["saved_criteria"]
        try:
            if request.method == "POST":
                steps = reuse_criteria(segment, saved_criteria=saved, user=request.user)
                messages.success(
                    request,
                    ngettext(
                        "Reuse Criteria %(code)s: %(count)d step applied.",
                        "Reuse Criteria %(code)s: %(count)d steps applied.",
                        len(steps),
                    )
                    % {"code": saved.code, "count": len(steps)},
                )
                return redirect(segment)
            preview = preview_reuse_criteria(segment, saved_criteria=saved)
        except ValidationError as error:
            form.add_error(
                None,
                _("Saved criteria %(code)s cannot be replayed today: %(errors)s")
                % {"code": saved.code, "errors": " ".join(error.messages)},
            )
        else:
            for step in preview:
                step["description"] = describe(step["parameters"])
    return render(
        request,
        "segmentation/segment_reuse.html",
        {
            "segment": segment,
            "form": form,
            "title": _("Reuse Criteria"),
            "preview": preview,
            "previewed": True,
        },
    )


@permission_required("segmentation.change_segment", raise_exception=True)
def segment_reuse_segment(request, pk):
    """Reuse Segment: add the contacts of a logged segment as one step."""
    segment = get_object_or_404(Segment, pk=pk)
    form = ReuseSegmentForm(request.POST or None, segment=segment)
    if request.method == "POST" and form.is_valid():
        try:
            step = reuse_segment(
                segment,
                logged_segment=form.cleaned_data["logged_segment"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, step_message(step))
            return redirect(segment)
    return render(
        request,
        "segmentation/segment_reuse.html",
        {"segment": segment, "form": form, "title": _("Reuse Segment")},
    )
