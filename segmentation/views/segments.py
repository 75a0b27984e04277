"""Segment pages: the list, the header form, the segment with its lines, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, F
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, ListView, UpdateView

from core.filter_panel import panel_key
from core.keyset import KeyOrder, kept_query, requested_page
from interactions.models import LoggedSegment
from segmentation.effective import with_effective_values
from segmentation.forms import (
    AddLinesForm,
    LineJumpForm,
    SegmentForm,
)
from segmentation.letters.stale import stale_letter_count
from segmentation.line_filter import FILTER_FIELDS, LineFilterForm, matching_lines
from segmentation.models import Segment, SegmentLine
from segmentation.segment_filter import SegmentFilterForm, filtered_segments
from segmentation.services import (
    delete_segment,
    save_segment,
)

LINES_PER_PAGE = 50
# The lines in the order they were added: the primary key, unique already.
LINE_ORDER = KeyOrder(("pk",))
SEGMENTS_PER_PAGE = 50


class SegmentListView(PermissionRequiredMixin, ListView):
    """Segments not logged yet, newest first, filtered, with line counts and costs."""

    permission_required = "segmentation.view_segment"
    raise_exception = True
    paginate_by = SEGMENTS_PER_PAGE

    def get_queryset(self):
        self.filter_form = SegmentFilterForm(self.request.GET)
        if not self.filter_form.is_valid():
            return Segment.objects.none()
        return filtered_segments(self.filter_form.cleaned_data)

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class SegmentSaveMixin:
    """The header form; saving goes through the service, whose refusal goes on the form."""

    model = Segment
    form_class = SegmentForm
    raise_exception = True
    saved_message = ""

    def form_valid(self, form):
        data = form.cleaned_data
        replaced = form.replaced_by_template()
        try:
            segment = save_segment(
                self.object or Segment(),
                fields={name: data[name] for name in SegmentForm.Meta.fields},
                upload=data.get("upload"),
                take_template_defaults=data["take_template_defaults"],
                remove_document=data.get("remove_document", False),
                user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.saved_message % {"number": segment.number})
        if replaced:
            messages.warning(
                self.request,
                _("The template’s values replaced what you typed: %(values)s.")
                % {"values": "; ".join(replaced)},
            )
        return redirect(segment)


class SegmentCreateView(PermissionRequiredMixin, SegmentSaveMixin, CreateView):
    permission_required = "segmentation.add_segment"
    saved_message = gettext_lazy("Segment %(number)s created.")

    def get_initial(self):
        salesperson = getattr(self.request.user, "salesperson", None)
        return {"salesperson": salesperson}


class SegmentUpdateView(PermissionRequiredMixin, SegmentSaveMixin, UpdateView):
    permission_required = "segmentation.change_segment"
    saved_message = gettext_lazy("Segment %(number)s saved.")


@permission_required("segmentation.view_segment", raise_exception=True)
def segment_detail(request, pk):
    """The segment: its header, its lines (filtered) with their effective values, the actions."""
    segment = get_object_or_404(
        Segment.objects.select_related(
            "template", "salesperson", "campaign", "document"
        ).annotate(step_count=Count("steps", distinct=True)),
        pk=pk,
    )
    line_filter = LineFilterForm(request.GET)
    lines = SegmentLine.objects.none()
    if line_filter.is_valid():
        lines = matching_lines(segment, line_filter.cleaned_data)
    jump = LineJumpForm(request.GET)
    filtered = any(line_filter.data.get(name) for name in FILTER_FIELDS)
    # Page through bare line ids first, by keyset: the annotated query below
    # then computes the effective values of this page's lines only.
    page = requested_page(
        request,
        lines.values("pk"),
        LINE_ORDER,
        size=LINES_PER_PAGE,
        start=_jump_start(segment, jump),
    )
    page.object_list = list(
        with_effective_values(
            # The segment too: with it the (segment, id) index finds the ids,
            # without it PostgreSQL may read the whole segment to match them.
            SegmentLine.objects.filter(
                segment=segment, pk__in=[row["pk"] for row in page]
            )
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
            for name in SegmentLine.OVERRIDABLE_FIELDS
            if getattr(line, SegmentLine._meta.get_field(name).attname) is not None
        }
    return render(
        request,
        "segmentation/segment_detail.html",
        {
            "segment": segment,
            "page_obj": page,
            # Exact, whatever the size: Edit Lines and Remove check it
            # ("expected") against what they would change.
            "line_count": lines.count(),
            "jump": jump,
            "kept_query": kept_query(request, leave_out=jump.fields),
            "add_lines_form": AddLinesForm(),
            "line_filter": line_filter,
            "filtered": filtered,
            # The unfiltered line filter's fields are cached (core/filter_panel.py).
            "panel_key": None
            if filtered or line_filter.errors
            else panel_key(request, line_filter, leave_out=jump.fields),
            "stale_letters": stale_letter_count(segment),
        },
    )


def _jump_start(segment: Segment, jump: LineJumpForm) -> tuple | None:
    """The key of the contact's line the lines start at, or None (errors on the form)."""
    if not (jump.asked and jump.is_valid()):
        return None
    number = jump.cleaned_data["go_contact"]
    line = (
        segment.lines.filter(contact__number=number)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if line is None:
        jump.add_error(
            "go_contact",
            _("Contact %(number)s has no line on this segment.") % {"number": number},
        )
        return None
    return (line,)


@permission_required("segmentation.delete_segment", raise_exception=True)
def segment_delete(request, pk):
    segment = Segment.objects.filter(pk=pk).first()
    if segment is None:
        return _segment_gone(request, request.POST.get("segment_number", ""))
    if request.method == "POST":
        try:
            delete_segment(segment, user=request.user)
        except ValidationError:
            # Logged (or deleted) by another request since it was read above.
            return _segment_gone(request, segment.number)
        messages.success(
            request, _("Segment %(number)s deleted.") % {"number": segment.number}
        )
        return redirect("segmentation:segment_list")
    return render(
        request,
        "segmentation/segment_confirm_delete.html",
        {"segment": segment, "line_count": segment.lines.count()},
    )


def _segment_gone(request, number: str):
    """Why a segment cannot be deleted any more: a link to its logged segment, if any."""
    if not number:
        raise Http404(_("No such segment."))
    logged = LoggedSegment.objects.filter(segment_number=number).first()
    if logged is None:
        messages.info(
            request,
            _("Segment %(number)s no longer exists; nothing was deleted.")
            % {"number": number},
        )
        return redirect("segmentation:segment_list")
    messages.warning(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _(
                "Segment %(number)s has been logged, so it cannot be deleted; "
                "nothing was deleted. Its interactions are in"
            )
            % {"number": number},
            logged.get_absolute_url(),
            _("logged segment %(number)s") % {"number": logged.segment_number},
        ),
    )
    return redirect(logged)
