"""A logged segment's outcome: what the mailing did, in figures and charts."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.views.generic import DetailView

from interactions.models import LoggedSegment
from interactions.outcome import outcome_of


class LoggedSegmentOutcomeView(PermissionRequiredMixin, DetailView):
    """Counts, shares, totals and the response rate of one logged segment."""

    permission_required = "interactions.view_loggedsegment"
    raise_exception = True
    model = LoggedSegment
    template_name = "segmentation/loggedsegment_outcome.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            outcome=outcome_of(self.object.entries.all()), **kwargs
        )
