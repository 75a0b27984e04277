"""The main pages of the workflow, with data on each, for the page-wide browser checks."""

import pytest
from django.urls import reverse

from core.models import Job
from segmentation.services import add_contacts_by_hand, log_segment
from tests.factories import (
    CampaignFactory,
    CompanyFactory,
    ContactFactory,
    InteractionTemplateFactory,
    SalespersonFactory,
    SegmentFactory,
    TemplateDocumentFactory,
)


@pytest.fixture
def workflow(marketing_user):
    """A contact, a segment with lines and a step, a logged segment and a job."""
    salesperson = SalespersonFactory(code="AH", name="Annika Hall")
    company = CompanyFactory(name="Lund Trading", city="Lund")
    contacts = [
        ContactFactory(name=name, city="Lund", salesperson=salesperson, company=company)
        for name in ("Ingrid Lund", "Olle Berg")
    ]
    campaign = CampaignFactory(code="SPRING", description="Spring campaign")
    template = InteractionTemplateFactory(
        code="BUS", description="Business letter", campaign=campaign
    )
    TemplateDocumentFactory(template=template, language="en")
    segment = SegmentFactory(description="Lund letters", template=template)
    add_contacts_by_hand(segment, contacts=contacts, user=marketing_user)
    logged_source = SegmentFactory(description="Logged letters", template=template)
    add_contacts_by_hand(logged_source, contacts=contacts, user=marketing_user)
    logged = log_segment(logged_source, user=marketing_user)
    job = Job.objects.create(
        owner=marketing_user,
        kind="letters",
        title="Letters for SM00001",
        language="en",
        state=Job.State.DONE,
    )
    return {
        "contact": contacts[0],
        "segment": segment,
        "line": segment.lines.first(),
        "logged": logged,
        "job": job,
        "template": template,
        "campaign": campaign,
        "entry": logged.entries.first(),
        "oldest_entry": logged.entries.order_by("pk").first().pk,
    }


def main_pages(data) -> list[str]:
    segment = data["segment"].pk
    return [
        reverse("contacts:contact_list"),
        reverse("contacts:contact_list") + "?search=berg",
        reverse("contacts:contact_detail", args=[data["contact"].pk]),
        reverse("contacts:contact_update", args=[data["contact"].pk]),
        reverse("contacts:contact_create"),
        reverse("segmentation:segment_list"),
        reverse("segmentation:segment_create"),
        reverse("segmentation:segment_detail", args=[segment]),
        # The keyset pager (after the first line) and the jump form with its error.
        reverse("segmentation:segment_detail", args=[segment])
        + f"?after={data['line'].pk}",
        reverse("segmentation:segment_detail", args=[segment]) + "?go_contact=CT9",
        reverse("segmentation:segment_update", args=[segment]),
        reverse("segmentation:segment_line_update", args=[segment, data["line"].pk]),
        reverse("segmentation:segment_add_contacts", args=[segment]),
        reverse("segmentation:segment_add_contacts", args=[segment]) + "?city=Lund",
        reverse("segmentation:segment_reduce_contacts", args=[segment]),
        reverse("segmentation:segment_refine_contacts", args=[segment]),
        reverse("segmentation:segment_criteria", args=[segment]),
        reverse("segmentation:segment_go_back", args=[segment]),
        reverse("segmentation:segment_log", args=[segment]),
        reverse("segmentation:segment_letters", args=[segment]),
        reverse("segmentation:logged_segment_list"),
        reverse("segmentation:logged_segment_detail", args=[data["logged"].pk]),
        reverse("segmentation:logged_segment_outcome", args=[data["logged"].pk]),
        reverse("segmentation:logged_segment_delete_cancelled"),
        reverse("segmentation:saved_criteria_list"),
        reverse("segmentation:segment_apply_mailing_group", args=[segment]),
        reverse("segmentation:segment_reuse_criteria", args=[segment]),
        reverse("segmentation:segment_list") + "?salesperson=1",
        reverse("campaigns:campaign_list"),
        reverse("campaigns:campaign_detail", args=[data["campaign"].pk]),
        reverse("campaigns:campaign_create"),
        reverse("interactions:interaction_log"),
        reverse("interactions:interaction_log") + f"?go_entry={data['oldest_entry']}",
        reverse("interactions:interaction_log") + "?go_entry=999999999",
        reverse("interactions:entry_detail", args=[data["entry"].pk]),
        reverse("interactions:interaction_create"),
        reverse("core:job_list"),
        reverse("core:job_detail", args=[data["job"].pk]),
    ]
