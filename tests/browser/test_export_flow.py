"""Export the filtered Interaction Log through the real page: the file holds what the list shows."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from interactions.models import Evaluation
from tests.factories import InteractionLogEntryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_filtered_interaction_log_is_downloaded_as_csv(logged_in_page, live_server):
    page = logged_in_page
    positive = InteractionLogEntryFactory(
        description="Spring call", evaluation=Evaluation.POSITIVE
    )
    InteractionLogEntryFactory(
        description="Winter call", evaluation=Evaluation.NEGATIVE
    )

    page.goto(f"{live_server.url}/interactions/")
    page.get_by_label("Evaluation", exact=True).first.select_option("positive")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("1 interaction", exact=True)).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    download = download_info.value

    assert download.suggested_filename == "interaction-log.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(row["ID"], row["Description"]) for row in rows] == [
        (str(positive.pk), "Spring call")
    ]
