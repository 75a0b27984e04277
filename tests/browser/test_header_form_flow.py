"""The segment header form shows what a template brings as soon as it is chosen."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.factories import InteractionTemplateFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_choosing_a_template_shows_its_values_and_saving_says_what_it_replaced(
    logged_in_page, live_server
):
    page = logged_in_page
    InteractionTemplateFactory(
        code="BUS", description="Business letter", unit_cost=Decimal("1.20")
    )

    page.goto(f"{live_server.url}/segments/new/")
    expect(page.locator("#template-notes")).to_have_text("")
    page.select_option("select[name=template]", label="BUS – Business letter")
    expect(page.locator("#template-notes")).to_contain_text("Unit cost: 1.20")

    page.fill("input[name=description]", "Spring letters")
    page.fill("input[name=unit_cost]", "2.50")
    page.get_by_role("button", name="Save").click()

    expect(page.locator(".alert-warning")).to_contain_text("Unit cost: 2.50 → 1.20")
