"""Log with Send attachments, then watch the statuses arrive on the logged segment's page.

A real worker process runs the delivery job and sends through the aiosmtpd
server of tests/smtp.py (EMAIL_URL); the page reads its delivery region again
while the job runs (static/js/segmenta.js).
"""

import pytest
from playwright.sync_api import expect

from tests.factories import ContactFactory
from tests.segmentation.delivery_setup import segment_for_sending
from tests.workers import start_worker, worker_environment

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_statuses_of_a_mailing_arrive_on_the_logged_segment_page(
    logged_in_page, live_server, smtp_server, settings, marketing_user
):
    page = logged_in_page
    contacts = [
        ContactFactory(name="Anna Berg", email="anna@example.com"),
        ContactFactory(name="Sven Ek", email="sven@example.com"),
    ]
    segment = segment_for_sending(contacts, user=marketing_user)
    # The server holds the first message until the page has shown it being sent.
    smtp_server.handler.hold_at = 1
    worker = start_worker(
        env=worker_environment(EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}")
    )
    try:
        page.goto(f"{live_server.url}{segment.get_absolute_url()}log/")
        expect(page.locator("#delivery-summary")).to_contain_text(
            "2 e-mails will be sent, 0 letters go to print"
        )
        expect(page.get_by_label("Send attachments")).to_be_checked()
        page.get_by_role("button", name="Log", exact=True).click()

        expect(page.locator("#delivery-job")).to_be_visible()
        assert smtp_server.handler.holding.wait(timeout=60)
        # The page reads the statuses again by itself while the job runs.
        expect(page.locator("#delivery-counts")).to_contain_text("Sending: 2")
        expect(page.locator("#delivery-job")).to_contain_text("Running")
        smtp_server.handler.release.set()

        # The held message was refused (451) and is tried again; both arrive.
        expect(page.locator("#delivery-counts")).to_contain_text(
            "Sent: 2", timeout=60_000
        )
        expect(page.locator("#delivery-job")).to_contain_text("Done")
        expect(page.locator("#delivery[data-refresh]")).to_have_count(0)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert sorted(r.recipients[0] for r in smtp_server.received) == [
        "anna@example.com",
        "sven@example.com",
    ]
