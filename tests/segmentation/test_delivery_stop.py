"""A worker stopped (SIGTERM) mid-mailing stops after the message it is sending.

The mailing is not held up until its last message: the worker exits, the job
waits again with the rest of its e-mails pending, and the next worker sends
them, each once. The test server holds message k while the signal arrives, so
the stop lands mid-send without any timing.
"""

import signal
import subprocess
import threading
from collections import Counter

import pytest
from django.core.management import call_command

from core.models import Job
from interactions.models import DeliveryStatus
from segmentation.delivery import delivery_counts
from segmentation.delivery.jobs import DELIVERY
from tests.factories import ContactFactory
from tests.segmentation.delivery_setup import logged_for_sending
from tests.workers import start_worker, worker_environment

pytestmark = pytest.mark.django_db(transaction=True)

HELD_MESSAGE = 2
GRACEFUL = "shutting down gracefully"


def _lines_of(stream, seen: threading.Event):
    for line in stream:
        if GRACEFUL in line:
            seen.set()


def test_sigterm_stops_a_mailing_after_the_message_being_sent(
    smtp_server, settings, marketing_user
):
    contacts = [ContactFactory(email=f"c{n}@example.com") for n in range(30)]
    logged = logged_for_sending(contacts, user=marketing_user)
    smtp_server.handler.hold_at = HELD_MESSAGE
    worker = start_worker(
        quiet=False,
        env=worker_environment(EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}"),
        stderr=subprocess.PIPE,
        text=True,
    )
    graceful = threading.Event()
    threading.Thread(
        target=_lines_of, args=(worker.stderr, graceful), daemon=True
    ).start()
    try:
        assert smtp_server.handler.holding.wait(timeout=120), "message k never came"
        worker.send_signal(signal.SIGTERM)
        assert graceful.wait(timeout=30), "the worker did not take the signal"
        smtp_server.handler.release.set()
        # It ends after the held message (tried again once), not after all 30.
        assert worker.wait(timeout=60) == 0
    finally:
        worker.kill()

    job = Job.objects.get(kind=DELIVERY)
    assert job.state == Job.State.QUEUED
    counts = delivery_counts(logged)
    assert 0 < counts.get(DeliveryStatus.SENT, 0) < len(contacts)
    assert counts[DeliveryStatus.PENDING] == len(contacts) - counts[DeliveryStatus.SENT]

    call_command("run_worker", batch=True, startup_delay=False, verbosity=0)

    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert delivery_counts(logged) == {DeliveryStatus.SENT: len(contacts)}
    copies = Counter(r.recipients[0] for r in smtp_server.received)
    assert sorted(copies) == sorted(c.email for c in contacts)
    assert set(copies.values()) == {1}
