"""A sender killed mid-send (kill -9) never sends an entry twice without saying so.

The guarantee is at least once: entries are marked "sending" with their
Message-ID before the server sees them, so a later run sends the unconfirmed
ones again with the same Message-ID and notes it on the entry. The test server
holds message k until the test has killed the sender: no timing involved.
"""

import os
import signal
import subprocess
import sys
from collections import Counter

import pytest
from django.conf import settings as django_settings
from django.db import connection

from interactions.models import DeliveryStatus, InteractionLogEntry
from segmentation.delivery import deliver_logged_segment
from tests.factories import ContactFactory, UserFactory
from tests.segmentation.delivery_setup import logged_for_sending
from tests.workers import PROJECT_ROOT, database_url

HELD_MESSAGE = 3
SENDER = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from segmentation.delivery import deliver_logged_segment
deliver_logged_segment(int(os.environ["LOGGED_SEGMENT"]))
"""

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a second process cannot open SQLite's in-memory test database",
    ),
    # The sender process must see the test's rows, so they are committed.
    pytest.mark.django_db(transaction=True),
]


def test_a_sender_killed_while_the_server_holds_a_message(smtp_server):
    user = UserFactory(groups=["Marketing"])
    contacts = [ContactFactory(email=f"c{n}@example.com") for n in range(6)]
    logged = logged_for_sending(contacts, user=user)
    smtp_server.handler.hold_at = HELD_MESSAGE
    sender = subprocess.Popen(
        [sys.executable, "-c", SENDER],
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
            "LOGGED_SEGMENT": str(logged.pk),
        },
    )
    try:
        assert smtp_server.handler.holding.wait(timeout=120), "message k never came"
        os.kill(sender.pid, signal.SIGKILL)
        sender.wait(timeout=30)
    finally:
        sender.kill()
    smtp_server.handler.release.set()
    received_before = len(smtp_server.received)
    assert received_before == HELD_MESSAGE - 1
    unconfirmed = InteractionLogEntry.objects.filter(
        logged_segment=logged, delivery_status=DeliveryStatus.SENDING
    )
    assert unconfirmed.exists()
    assert all(entry.message_id for entry in unconfirmed)

    outcome = deliver_logged_segment(logged.pk)

    entries = {
        entry.message_id: entry
        for entry in InteractionLogEntry.objects.filter(logged_segment=logged)
    }
    copies = Counter(str(r.message["Message-ID"]) for r in smtp_server.received)
    assert set(copies) == set(entries)  # every entry arrived, under its own ID
    for message_id, entry in entries.items():
        assert entry.delivery_status == DeliveryStatus.SENT
        if copies[message_id] > 1:
            assert "may have arrived twice" in entry.delivery_detail
    assert max(copies.values()) == 2
    # The six entries were one batch, all "sending" when the sender died.
    assert outcome.sent_again_after_interruption == len(entries)
