"""Keyboard only: log in, open a segment, add a contact with the picker, Log.

At every Tab stop the focused element must show a focus indicator (WCAG 2.4.7):
an outline of 2 px or more, or a box shadow, on it or on the picker around it.
"""

import pytest
from playwright.sync_api import expect

from interactions.models import LoggedSegment
from tests.factories import (
    ContactFactory,
    InteractionTemplateFactory,
    SalespersonFactory,
    SegmentFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const shows = (node) => {
    const style = getComputedStyle(node);
    return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2)
      || (style.boxShadow && style.boxShadow !== "none");
  };
  const picker = element.closest(".ts-wrapper");
  const name = (element.getAttribute("aria-label") || element.innerText
    || element.value || element.name || element.id || "").trim();
  const label = element.labels && element.labels.length
    ? element.labels[0].innerText.trim() : "";
  return {
    name: name.slice(0, 60),
    label,
    visible: shows(element) || Boolean(picker && shows(picker.querySelector(".ts-control"))),
  };
}"""


def _tab_to(page, name: str, *, limit: int = 80) -> None:
    """Press Tab until the element named `name` has focus, checking every stop."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        assert focused["visible"], f"no visible focus on {focused['name']!r}"
        if name in (focused["name"], focused["label"]):
            return
    raise AssertionError(f"{name!r} is not reachable with Tab")


def test_a_segment_is_filled_and_logged_with_the_keyboard_alone(
    page, live_server, marketing_user
):
    InteractionTemplateFactory(code="BUS", description="Business letter")
    salesperson = SalespersonFactory(code="AH")
    ContactFactory(name="Ingrid Lund", salesperson=salesperson)
    segment = SegmentFactory(
        description="Keyboard letters",
        template=InteractionTemplateFactory(code="KEY"),
        salesperson=salesperson,
    )

    page.goto(f"{live_server.url}/accounts/login/")
    _tab_to(page, "username")
    page.keyboard.type(marketing_user.username)
    _tab_to(page, "password")
    page.keyboard.type("secret-password")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/contacts/")

    _tab_to(page, "Segments")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/segments/")
    _tab_to(page, segment.number)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/segments/{segment.pk}/")

    _tab_to(page, "Add contacts by hand")
    page.keyboard.type("Ingrid")
    expect(page.get_by_role("option", name="Ingrid Lund")).to_be_visible()
    page.keyboard.press("Enter")
    _tab_to(page, "Add")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Ingrid Lund")

    _tab_to(page, "Log")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/segments/{segment.pk}/log/")
    _tab_to(page, "Log")
    page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_contain_text("has been logged")
    assert LoggedSegment.objects.get().segment_number == segment.number
