"""Campaigns for Marketing users: the list with its figures, one campaign, New and Edit.

They live here, above interactions, because a campaign's page lists its
segments. Django admin keeps its own campaign pages for admins.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.generic import ListView

from interactions.forms import CampaignForm
from interactions.models import (
    Campaign,
    CampaignEntry,
    InteractionLogEntry,
    LoggedSegment,
)
from interactions.outcome import outcome_of, outcomes_by
from interactions.services import save_campaign
from segmentation.models import Segment, SegmentLine

CAMPAIGNS_PER_PAGE = 50


class CountOf(Subquery):
    """How many rows a (correlated) queryset has, as one scalar subquery."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


def logged_segments_of(campaign) -> QuerySet[LoggedSegment]:
    """Logged with the campaign on the header, or with a campaign entry of it.

    `campaign` is a Campaign or an OuterRef to one.
    """
    return LoggedSegment.objects.filter(
        Q(campaign=campaign) | Q(campaign_entries__campaign=campaign)
    ).distinct()


def campaign_entries_with_totals(
    campaign_entries: QuerySet[CampaignEntry],
) -> QuerySet[CampaignEntry]:
    """Campaign entries with their interactions' count, cost and duration, in one query.

    Reference 1.13: a campaign entry counts its interactions that are not
    cancelled, or all of them once it is cancelled with its logged segment.
    """
    counted = Q(interaction_log_entries__cancelled=False) | Q(cancelled=True)
    return (
        campaign_entries.select_related(
            "campaign", "salesperson", "logged_segment", "created_by"
        )
        .annotate(
            interaction_count=Count("interaction_log_entries", filter=counted),
            cost=Coalesce(
                Sum("interaction_log_entries__cost", filter=counted),
                Value(0),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            ),
            duration=Coalesce(
                Sum("interaction_log_entries__duration", filter=counted), Value(0)
            ),
        )
        .order_by("-pk")
    )


class CampaignListView(PermissionRequiredMixin, ListView):
    """Every campaign, with its segments, logged segments, cost and response rate.

    The counts come with the page's campaigns in one query; the cost and the
    response rate of all of them in one grouped query of their interactions.
    """

    permission_required = "interactions.view_campaign"
    raise_exception = True
    paginate_by = CAMPAIGNS_PER_PAGE
    template_name = "segmentation/campaign_list.html"

    def get_queryset(self):
        campaigns = Campaign.objects.annotate(
            segment_count=CountOf(
                Segment.objects.filter(campaign=OuterRef("pk")).values("pk")
            ),
            logged_segment_count=CountOf(
                logged_segments_of(OuterRef("pk")).values("pk")
            ),
        ).order_by("code")
        self.term = self.request.GET.get("q", "").strip()
        if "\x00" in self.term:
            # No text holds a NUL, and PostgreSQL refuses one in a query.
            return campaigns.none()
        if self.term:
            campaigns = campaigns.filter(
                Q(code__icontains=self.term) | Q(description__icontains=self.term)
            )
        return campaigns

    def get_context_data(self, **kwargs):
        context = super().get_context_data(term=self.term, **kwargs)
        campaigns = list(context["page_obj"])
        outcomes = outcomes_by(
            InteractionLogEntry.objects.filter(
                campaign__in=[campaign.pk for campaign in campaigns]
            ),
            "campaign_id",
        )
        for campaign in campaigns:
            campaign.outcome = outcomes.get(campaign.pk)
        context["campaigns"] = campaigns
        return context


@permission_required("interactions.view_campaign", raise_exception=True)
def campaign_detail(request, pk):
    """One campaign: its segments, logged segments, campaign entries and outcome."""
    campaign = get_object_or_404(Campaign, pk=pk)
    segments = (
        Segment.objects.filter(campaign=campaign)
        .select_related("template", "salesperson")
        .annotate(
            line_count=CountOf(
                SegmentLine.objects.filter(segment=OuterRef("pk")).values("pk")
            )
        )
        .order_by("-number")
    )
    logged_segments = logged_segments_of(campaign).select_related("created_by")
    return render(
        request,
        "segmentation/campaign_detail.html",
        {
            "campaign": campaign,
            "segments": segments,
            "logged_segments": logged_segments.order_by("-pk"),
            "campaign_entries": campaign_entries_with_totals(
                CampaignEntry.objects.filter(campaign=campaign)
            ),
            "outcome": outcome_of(campaign.interaction_log_entries.all()),
        },
    )


@permission_required("interactions.add_campaign", raise_exception=True)
def campaign_create(request):
    return _campaign_form(request, Campaign(), _("Campaign %(code)s created."))


@permission_required("interactions.change_campaign", raise_exception=True)
def campaign_update(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    return _campaign_form(request, campaign, _("Campaign %(code)s saved."))


def _campaign_form(request, campaign: Campaign, saved_message: str):
    """The campaign form; saving goes through the service, whose refusal goes on the form."""
    code = campaign.code  # the form's validation changes the instance
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = save_campaign(
                campaign,
                fields={name: form.cleaned_data[name] for name in form.Meta.fields},
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, saved_message % {"code": campaign.code})
            return redirect("campaigns:campaign_detail", campaign.pk)
    return render(
        request,
        "segmentation/campaign_form.html",
        {"form": form, "campaign": campaign, "code": code},
    )
