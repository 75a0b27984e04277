"""Build a segment through the real pages: Add, Reduce, Go Back, Save Criteria."""

import re

import pytest
from playwright.sync_api import expect

from segmentation.models import SavedCriteria, Segment
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_segment_is_built_with_add_reduce_go_back_and_saved_criteria(
    logged_in_page, live_server
):
    page = logged_in_page
    for name in ("Jana Nováková", "Petr Svoboda", "Eva Dvořák"):
        ContactFactory(name=name, city="Brno")
    ContactFactory(name="Åsa Öberg", city="Uppsala")

    page.goto(f"{live_server.url}/segments/new/")
    page.fill("input[name=description]", "Brno customers")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_contain_text("Segment SM00001")

    page.get_by_role("link", name="Add Contacts").click()
    page.fill("input[name=city]", "brno")
    page.get_by_role("button", name="Count contacts").click()
    expect(page.locator("#step-preview")).to_have_text(
        re.compile(r"This will add 3 contacts\.")
    )
    page.locator("form[method=post]").get_by_role("button", name="Add Contacts").click()
    expect(page.locator(".alert-success")).to_contain_text("3 contacts added")
    expect(page.locator("h2").first).to_contain_text("3 lines")

    page.get_by_role("link", name="Reduce Contacts").click()
    page.fill("input[name=name]", "Petr")
    page.get_by_role("button", name="Count contacts").click()
    expect(page.locator("#step-preview")).to_contain_text("This will remove 1 line.")
    page.locator("form[method=post]").get_by_role(
        "button", name="Reduce Contacts"
    ).click()
    expect(page.locator("h2").first).to_contain_text("2 lines")
    expect(page.locator(".segment-lines")).not_to_contain_text("Petr Svoboda")

    page.get_by_role("link", name="Go Back").click()
    expect(page.locator("main")).to_contain_text(
        "This will undo the last criteria action."
    )
    page.get_by_role("button", name="Go Back").click()
    expect(page.locator("h2").first).to_contain_text("3 lines")
    expect(page.locator(".segment-lines")).to_contain_text("Petr Svoboda")

    page.get_by_role("link", name=re.compile(r"^Criteria")).click()
    expect(page.locator(".criteria-steps")).to_contain_text("Add Contacts: City = brno")
    page.fill("input[name=code]", "BRNO")
    page.fill("input[name=description]", "Customers in Brno")
    page.get_by_role("button", name="Save Criteria").click()
    expect(page.locator(".alert-success")).to_contain_text("Criteria saved as BRNO.")

    segment = Segment.objects.get()
    assert segment.lines.count() == 3
    assert SavedCriteria.objects.get().steps.count() == 1
