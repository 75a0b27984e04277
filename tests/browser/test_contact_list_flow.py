"""Filter the contact list with the pickers, then make a segment of what it shows."""

import pytest
from playwright.sync_api import expect

from segmentation.models import Segment
from tests.factories import ContactFactory, SalespersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_filtered_contact_list_becomes_a_segment(logged_in_page, live_server):
    page = logged_in_page
    anna = SalespersonFactory(code="AH", name="Anna Holm")
    for name in ("Jana Nováková", "Petr Svoboda"):
        ContactFactory(name=name, salesperson=anna)
    ContactFactory(name="Åsa Öberg", salesperson=SalespersonFactory(code="JO"))

    page.goto(f"{live_server.url}/contacts/")
    picker = page.locator("#id_salesperson + .ts-wrapper input")
    picker.fill("Anna")
    page.locator(".ts-dropdown .option", has_text="Anna Holm").click()
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("2 contacts", exact=True)).to_be_visible()
    assert "salesperson=AH" in page.url

    page.get_by_role("button", name="New segment from these contacts").click()

    expect(page.locator(".alert-success")).to_contain_text("created with 2 contacts")
    segment = Segment.objects.get()
    assert segment.description == "Contacts: Salesperson = AH"
    assert segment.lines.count() == 2
