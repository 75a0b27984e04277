"""One segment line: change its details or reset it to the header's."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from segmentation.effective import with_effective_values
from segmentation.forms import (
    LineForm,
)
from segmentation.models import SegmentLine
from segmentation.services import (
    update_line,
)


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
