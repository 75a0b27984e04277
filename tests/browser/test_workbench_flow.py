"""The segment workbench through the real pages: filter, all matching, Edit Lines, Go Back."""

import re

import pytest
from playwright.sync_api import expect

from segmentation.models import SegmentLine
from tests.factories import PersonFactory, SegmentFactory, SegmentLineFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_edit_all_matching_lines_then_go_back(logged_in_page, live_server):
    page = logged_in_page
    segment = SegmentFactory(description="Spring")
    for name in ("Petr Svoboda", "Jana Svobodová", "Eva Dvořák"):
        SegmentLineFactory(segment=segment, contact=PersonFactory(name=name))

    page.goto(f"{live_server.url}{segment.get_absolute_url()}")
    page.get_by_label("Name or number").fill("svobod")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("h2").first).to_contain_text("2 matching lines")

    page.get_by_label("All 2 matching lines").check()
    page.get_by_role("button", name="Edit Lines").click()
    expect(page.locator("[role=status]")).to_contain_text("2 lines will be changed")
    page.get_by_label("Subject", exact=True).fill("Spring offer")
    page.get_by_role("button", name="Edit Lines").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "Edit Lines: 2 lines changed."
    )
    expect(page.locator(".segment-lines")).to_contain_text("Spring offer")

    page.get_by_role("link", name=re.compile(r"^Criteria")).click()
    expect(page.locator(".criteria-steps")).to_contain_text(
        "Edit Lines: Subject = Spring offer"
    )

    page.goto(f"{live_server.url}{segment.get_absolute_url()}")
    page.get_by_role("link", name="Go Back").click()
    expect(page.locator("main")).to_contain_text(
        "The 2 lines it changed will get their earlier details back."
    )
    page.get_by_role("button", name="Go Back").click()
    expect(page.locator(".alert-success")).to_contain_text("Edit Lines")
    expect(page.locator(".segment-lines")).not_to_contain_text("Spring offer")
    assert not SegmentLine.objects.filter(subject__isnull=False).exists()
