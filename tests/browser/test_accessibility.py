"""axe-core finds no WCAG 2.1 A/AA violation on the main pages, in English and Swedish."""

import pytest
from django.urls import reverse

from core.models import Job
from segmentation.services import add_contacts_by_hand, log_segment
from tests.browser.accessibility import axe_violations, describe
from tests.factories import (
    CampaignFactory,
    CompanyFactory,
    ContactFactory,
    InteractionTemplateFactory,
    SalespersonFactory,
    SegmentFactory,
    TemplateDocumentFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


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
    }


def _pages(data) -> list[str]:
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
        reverse("interactions:entry_detail", args=[data["entry"].pk]),
        reverse("interactions:interaction_create"),
        reverse("core:job_list"),
        reverse("core:job_detail", args=[data["job"].pk]),
    ]


@pytest.mark.parametrize("language", ["en", "sv"])
def test_the_main_pages_have_no_wcag_violations(
    logged_in_page, live_server, workflow, language
):
    page = logged_in_page
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    found = {}
    for url in _pages(workflow):
        page.goto(live_server.url + url)
        violations = axe_violations(page)
        if violations:
            found[url] = describe(violations)
    assert not found, "\n\n".join(f"{url}\n{text}" for url, text in found.items())


@pytest.mark.parametrize("language", ["en", "sv"])
def test_the_login_page_has_no_wcag_violations_also_with_an_error(
    page, live_server, language
):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/accounts/login/")
    assert not axe_violations(page)
    page.fill("input[name=username]", "nobody")
    page.fill("input[name=password]", "wrong")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[role=alert]").count() == 1
    assert page.locator("input[aria-invalid=true]").count() == 2
    violations = axe_violations(page)
    assert not violations, describe(violations)


@pytest.mark.parametrize("language", ["en", "sv"])
def test_the_admin_template_page_has_no_wcag_violations(
    page, live_server, marketing_admin, workflow, language
):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", marketing_admin.username)
    page.fill("input[name=password]", "secret-password")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    template = workflow["template"]
    page.goto(
        live_server.url
        + reverse("admin:interactions_interactiontemplate_change", args=[template.pk])
    )
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_the_segment_page_does_not_scroll_sideways_at_320_px(
    logged_in_page, live_server, workflow
):
    """WCAG 1.4.10 Reflow: at 320 CSS px only the line table scrolls, not the page."""
    page = logged_in_page
    page.set_viewport_size({"width": 320, "height": 640})
    segment = workflow["segment"].pk
    for url in (
        reverse("segmentation:segment_detail", args=[segment]),
        reverse("segmentation:segment_log", args=[segment]),
        reverse("contacts:contact_list"),
    ):
        page.goto(live_server.url + url)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, f"{url} is {width} px wide"


def test_the_pickers_speak_the_pages_language(logged_in_page, live_server, workflow):
    page = logged_in_page
    page.context.add_cookies(
        [{"name": "django_language", "value": "sv", "url": live_server.url}]
    )
    segment = workflow["segment"].pk
    page.goto(
        live_server.url
        + reverse("segmentation:segment_add_contacts", args=[segment])
        + "?country=SE"
    )
    picker = page.locator("#id_salesperson-ts-control")
    picker.click()
    picker.fill("zzzz-no-such")
    no_results = page.locator(".ts-dropdown .no-results")
    no_results.wait_for()
    assert no_results.inner_text() != "No results found"
