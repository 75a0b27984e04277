"""axe-core finds no WCAG 2.1 A/AA violation on the main pages, in English and Swedish."""

import pytest
from django.urls import reverse

from tests.browser.accessibility import axe_violations, describe
from tests.browser.main_pages import main_pages

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["en", "sv"])
def test_the_main_pages_have_no_wcag_violations(
    logged_in_page, live_server, workflow, language
):
    page = logged_in_page
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    found = {}
    for url in main_pages(workflow):
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
