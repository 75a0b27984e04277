from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, ListView, UpdateView

from interactions.models import LoggedSegment
from segmentation.criteria import (
    SECTIONS,
    ContactCriteria,
    describe,
    matching_contacts,
    parameters_from,
)
from segmentation.effective import with_effective_values
from segmentation.forms import (
    AddLinesForm,
    FollowUpForm,
    LineForm,
    LogForm,
    RemoveLinesForm,
    ReuseCriteriaForm,
    ReuseSegmentForm,
    SaveCriteriaForm,
    SegmentForm,
    StepForm,
)
from segmentation.log_check import check_log
from segmentation.models import CriteriaStep, Segment, SegmentLine, StepDefinition
from segmentation.selection import (
    candidates_for_add,
    count_add,
    lines_to_remove,
)
from segmentation.services import (
    AlreadyLogged,
    add_contacts,
    add_contacts_by_hand,
    clear_criteria,
    create_follow_up_segment,
    delete_segment,
    go_back,
    log_segment,
    reduce_contacts,
    refine_contacts,
    remove_lines,
    reuse_criteria,
    reuse_segment,
    save_criteria,
    save_segment,
    update_line,
)

Action = StepDefinition.Action
LINES_PER_PAGE = 50
SEGMENTS_PER_PAGE = 50
OVERRIDABLE = [
    "template",
    "language",
    "description",
    "subject",
    "correspondence_type",
    "salesperson",
    "date",
    "cost",
    "duration",
]
STEP_SERVICES = {
    Action.ADD: add_contacts,
    Action.REDUCE: reduce_contacts,
    Action.REFINE: refine_contacts,
}


def _line_count():
    return Subquery(
        SegmentLine.objects.filter(segment=OuterRef("pk"))
        .values("segment")
        .annotate(count=Count("pk"))
        .values("count")
    )


class SegmentListView(PermissionRequiredMixin, ListView):
    """Segments not logged yet, newest first."""

    permission_required = "segmentation.view_segment"
    raise_exception = True
    paginate_by = SEGMENTS_PER_PAGE

    def get_queryset(self):
        segments = Segment.objects.select_related("template", "salesperson").annotate(
            line_count=Coalesce(_line_count(), 0)
        )
        term = self.request.GET.get("q", "").strip()
        if term:
            segments = segments.filter(
                Q(number__icontains=term) | Q(description__icontains=term)
            )
        return segments


class SegmentCreateView(PermissionRequiredMixin, CreateView):
    permission_required = "segmentation.add_segment"
    raise_exception = True
    model = Segment
    form_class = SegmentForm

    def get_initial(self):
        salesperson = getattr(self.request.user, "salesperson", None)
        return {"salesperson": salesperson}

    def form_valid(self, form):
        segment = save_segment(form, user=self.request.user)
        messages.success(
            self.request, _("Segment %(number)s created.") % {"number": segment.number}
        )
        return redirect(segment)


class SegmentUpdateView(PermissionRequiredMixin, UpdateView):
    permission_required = "segmentation.change_segment"
    raise_exception = True
    model = Segment
    form_class = SegmentForm

    def form_valid(self, form):
        segment = save_segment(form, user=self.request.user)
        messages.success(
            self.request, _("Segment %(number)s saved.") % {"number": segment.number}
        )
        return redirect(segment)


@permission_required("segmentation.view_segment", raise_exception=True)
def segment_detail(request, pk):
    """The segment: its header, its lines with their effective values, and the actions."""
    segment = get_object_or_404(
        Segment.objects.select_related(
            "template", "salesperson", "campaign", "document"
        ).annotate(step_count=Count("steps", distinct=True)),
        pk=pk,
    )
    # Page through bare line ids first: OFFSET over the annotated query would
    # compute every skipped line's effective values too.
    page = Paginator(
        SegmentLine.objects.filter(segment=segment)
        .order_by("pk")
        .values_list("pk", flat=True),
        LINES_PER_PAGE,
    ).get_page(request.GET.get("page"))
    page.object_list = list(
        with_effective_values(
            SegmentLine.objects.filter(pk__in=list(page.object_list))
            .select_related("contact", "contact__company")
            .annotate(
                effective_template_code=Coalesce(
                    F("template__code"), F("segment__template__code")
                ),
                effective_salesperson_code=Coalesce(
                    F("salesperson__code"),
                    F("segment__salesperson__code"),
                    F("contact__salesperson__code"),
                ),
            )
            .order_by("pk")
        )
    )
    for line in page.object_list:
        line.overridden = {
            name
            for name in OVERRIDABLE
            if getattr(line, f"{_attname(name)}") is not None
        }
    return render(
        request,
        "segmentation/segment_detail.html",
        {
            "segment": segment,
            "page_obj": page,
            "add_lines_form": AddLinesForm(),
        },
    )


def _attname(name: str) -> str:
    return f"{name}_id" if name in ("template", "salesperson") else name


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
            try:
                step = STEP_SERVICES[action](
                    segment,
                    criteria=parameters,
                    user=request.user,
                    **options.cleaned_data,
                )
            except ValidationError as error:
                options.add_error(None, error)
            else:
                messages.success(request, _step_message(step))
                return redirect(segment)
        else:
            preview = _preview(segment, action, parameters, options.cleaned_data)
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


def _preview(segment, action, parameters, options) -> dict:
    matched = matching_contacts(parameters)
    if action == Action.ADD:
        counts = count_add(
            segment,
            candidates_for_add(
                matched,
                expand_companies=options["expand_companies"],
                allow_related_companies=options["allow_related_companies"],
            ),
            allow_existing_contacts=options["allow_existing_contacts"],
            ignore_exclusion=options["ignore_exclusion"],
        )
        return {"added": counts.added, "left_out": counts.left_out()}
    lines = lines_to_remove(
        segment, action, matched, entire_companies=options["entire_companies"]
    )
    return {"removed": lines.count()}


def _step_message(step: CriteriaStep) -> str:
    if step.action == Action.ADD:
        message = ngettext(
            "%(action)s: %(count)d contact added.",
            "%(action)s: %(count)d contacts added.",
            step.added_count,
        ) % {"action": step.get_action_display(), "count": step.added_count}
    else:
        message = ngettext(
            "%(action)s: %(count)d line removed.",
            "%(action)s: %(count)d lines removed.",
            step.removed_count,
        ) % {"action": step.get_action_display(), "count": step.removed_count}
    left_out = left_out_text(step.left_out)
    return f"{message} {left_out}".strip()


def left_out_text(left_out: dict) -> str:
    """ "Left out: 2 already on the segment, 1 excluded, 1 privacy blocked." or ""."""
    labels = {
        "already_on_segment": _("already on the segment"),
        "excluded": _("excluded from segments"),
        "privacy_blocked": _("privacy blocked"),
    }
    parts = [
        f"{count} {labels[reason]}"
        for reason, count in (left_out or {}).items()
        if count and reason in labels
    ]
    return _("Left out: %(reasons)s.") % {"reasons": ", ".join(parts)} if parts else ""


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
            messages.success(request, _step_message(step))
    else:
        _report(request, form)
    return redirect(segment)


@require_POST
@permission_required("segmentation.change_segment", raise_exception=True)
def segment_remove_lines(request, pk):
    """Remove the ticked lines, as one step."""
    segment = get_object_or_404(Segment, pk=pk)
    form = RemoveLinesForm(request.POST)
    if form.is_valid():
        try:
            step = remove_lines(
                segment, line_ids=form.cleaned_data["lines"], user=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _step_message(step))
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
            "description": describe(last_step.parameters),
        },
    )


@permission_required("segmentation.view_segment", raise_exception=True)
def segment_criteria(request, pk):
    """Criteria: every step of the segment in words, and Save Criteria."""
    segment = get_object_or_404(Segment, pk=pk)
    steps = list(segment.steps.select_related("created_by"))
    for step in steps:
        step.description = describe(step.parameters)
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
    """Reuse Criteria: replay saved criteria on this segment."""
    segment = get_object_or_404(Segment, pk=pk)
    form = ReuseCriteriaForm(request.POST or None, segment=segment)
    if request.method == "POST" and form.is_valid():
        saved = form.cleaned_data["saved_criteria"]
        try:
            steps = reuse_criteria(segment, saved_criteria=saved, user=request.user)
        except ValidationError as error:
            form.add_error(
                None,
                _("Saved criteria %(code)s cannot be replayed today: %(errors)s")
                % {"code": saved.code, "errors": " ".join(error.messages)},
            )
        else:
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
    return render(
        request,
        "segmentation/segment_reuse.html",
        {"segment": segment, "form": form, "title": _("Reuse Criteria")},
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
            messages.success(request, _step_message(step))
            return redirect(segment)
    return render(
        request,
        "segmentation/segment_reuse.html",
        {"segment": segment, "form": form, "title": _("Reuse Segment")},
    )


@permission_required("segmentation.change_segment", raise_exception=True)
def segment_line_update(request, pk, line_pk):
    """Change one line's details, or reset it to the header's."""
    line = get_object_or_404(
        SegmentLine.objects.select_related("segment", "contact"),
        pk=line_pk,
        segment_id=pk,
    )
    if request.method == "POST" and "reset" in request.POST:
        update_line(line, fields=dict.fromkeys(OVERRIDABLE))
        messages.success(
            request,
            _("Line of %(contact)s reset to the segment’s values.")
            % {"contact": line.contact},
        )
        return redirect(line.segment)
    form = LineForm(request.POST or None, instance=line)
    if request.method == "POST" and form.is_valid():
        try:
            update_line(
                line, fields={name: form.cleaned_data[name] for name in form.fields}
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Line of %(contact)s saved.") % {"contact": line.contact}
            )
            return redirect(line.segment)
    effective = with_effective_values(SegmentLine.objects.filter(pk=line.pk)).get()
    return render(
        request,
        "segmentation/segmentline_form.html",
        {"line": line, "form": form, "effective": effective},
    )


@permission_required("segmentation.delete_segment", raise_exception=True)
def segment_delete(request, pk):
    segment = get_object_or_404(Segment, pk=pk)
    if request.method == "POST":
        delete_segment(segment)
        messages.success(
            request, _("Segment %(number)s deleted.") % {"number": segment.number}
        )
        return redirect("segmentation:segment_list")
    return render(
        request,
        "segmentation/segment_confirm_delete.html",
        {"segment": segment, "line_count": segment.lines.count()},
    )


@permission_required(
    ["segmentation.change_segment", "interactions.add_interactionlogentry"],
    raise_exception=True,
)
def segment_log(request, pk):
    """Log: show what logging will write and what blocks it; log on confirmation."""
    segment = Segment.objects.select_related("template").filter(pk=pk).first()
    if segment is None:
        return _already_logged(request, request.POST.get("segment_number", ""))
    check = check_log(segment)
    form = LogForm(
        request.POST or None,
        can_deliver=check.can_deliver,
        initial={"segment_number": segment.number, "deliver": check.can_deliver},
    )
    if request.method == "POST" and form.is_valid():
        try:
            logged = log_segment(
                segment,
                user=request.user,
                create_follow_up=form.cleaned_data["create_follow_up"],
                deliver=form.cleaned_data["deliver"],
            )
        except AlreadyLogged as error:
            return _already_logged(request, error.segment_number)
        except ValidationError:
            # The guards, checked again under the lock; the page lists them.
            check = check_log(segment)
        else:
            messages.success(
                request,
                _("Segment %(number)s has been logged.")
                % {"number": logged.segment_number},
            )
            if logged.follow_up:
                messages.info(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("Follow-up segment created:"),
                        logged.follow_up.get_absolute_url(),
                        logged.follow_up,
                    ),
                )
            return redirect(logged)
    deliver = (
        form.cleaned_data.get("deliver")
        if form.is_bound and form.is_valid()
        else check.can_deliver
    )
    return render(
        request,
        "segmentation/segment_confirm_log.html",
        {
            "segment": segment,
            "check": check,
            "problems": check.blocking(deliver=deliver),
            "form": form,
        },
    )


def _already_logged(request, number: str):
    logged = (
        LoggedSegment.objects.filter(segment_number=number).first() if number else None
    )
    if logged is None:
        raise Http404(_("No such segment."))
    messages.warning(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _("Segment %(number)s has already been logged:") % {"number": number},
            logged.get_absolute_url(),
            _("logged segment %(number)d") % {"number": logged.pk},
        ),
    )
    return redirect(logged)


@permission_required("segmentation.add_segment", raise_exception=True)
def segment_follow_up(request, logged_pk):
    """Create Follow-up Segment from a logged segment, for all or some of its contacts."""
    logged = get_object_or_404(LoggedSegment, pk=logged_pk)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up = create_follow_up_segment(
                logged,
                user=request.user,
                correspondence_types=form.cleaned_data["correspondence_types"],
                languages=form.cleaned_data["languages"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Follow-up segment %(number)s created.")
                % {"number": follow_up.number},
            )
            return redirect(follow_up)
    return render(
        request,
        "segmentation/segment_follow_up.html",
        {"logged_segment": logged, "form": form},
    )
