"""Export buttons of the segment page and of a logged segment's page.

Each export follows the access rule of the page it is on.
"""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from core.export_jobs import export
from interactions.exports import LOGGED_SEGMENT_ENTRIES
from interactions.models import LoggedSegment
from segmentation.exports import SEGMENT_LINES
from segmentation.models import Segment


@permission_required("segmentation.view_segment", raise_exception=True)
def segment_export(request, pk):
    """The segment's lines with their effective values."""
    segment = get_object_or_404(Segment.objects.only("pk", "number"), pk=pk)
    return export(
        request,
        name=SEGMENT_LINES,
        parameters={"segment": segment.pk, "segment_number": segment.number},
        title=_("Segment %(number)s") % {"number": segment.number},
    )


@permission_required("interactions.view_loggedsegment", raise_exception=True)
def logged_segment_export(request, pk):
    """The logged segment's interaction log entries, cancelled ones too."""
    logged = get_object_or_404(LoggedSegment.objects.only("pk"), pk=pk)
    return export(
        request,
        name=LOGGED_SEGMENT_ENTRIES,
        parameters={"logged_segment": logged.pk},
        title=_("Logged segment %(number)d") % {"number": logged.pk},
    )
