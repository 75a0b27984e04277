"""Delivery of 10,000 e-mails to a local SMTP sink, against smtplib's own speed.

The letters are already merged: every entry attaches the same merged ~38 KB
.docx, handed to the engine through its `attachment` hook, so the run measures
building the MIME messages, sending them and recording every status, not Word
merging (benchmarked in test_letters.py). The floor is `smtplib.sendmail` of
the engine's own message bytes, 10,000 times over one connection. The sink is
aiosmtpd's Sink handler in a process of its own. Peak RSS is the process's
high-water mark (VmHWM, reset before each run), at 1,000 and at 10,000 e-mails.
"""

import email.policy
import smtplib
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import timezone

from contacts.models import Contact, CorrespondenceType
from interactions.models import (
    DeliveryStatus,
    InteractionLogEntry,
    LoggedSegment,
    TemplateEmail,
)
from interactions.word_merge import merge_document
from segmentation.delivery import Attachment, deliver_logged_segment
from segmentation.delivery.messages import DOCX_MIMETYPE, MessageBuilder
from segmentation.letters.building import entry_letter_maker
from tests.factories import (
    InteractionTemplateFactory,
    SalespersonFactory,
    WordDocumentFactory,
    demo_letter,
)
from tests.smtp import free_port

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

SIZES = (1_000, 10_000)


@pytest.fixture
def sink(settings):
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 30},
        }
    }
    settings.EMAIL_RATE_PER_MINUTE = 0
    yield port
    process.kill()
    process.wait()


def _logged_segment(count: int, offset: int) -> LoggedSegment:
    template = InteractionTemplateFactory(code=f"BENCH{count}")
    TemplateEmail.objects.create(
        template=template,
        language="en",
        body_text="{Formal_Salutation}\n\n{Subject}: our letter is attached.\n\n"
        "{Salesperson_Name}\n{Company_Name}",
    )
    document = WordDocumentFactory()
    salesperson = SalespersonFactory(email="erik@segmenta.example")
    contacts = Contact.objects.bulk_create(
        Contact(
            number=f"BD{offset + n:07d}",
            name=f"Contact {n}",
            email=f"contact{n}@example.com",
            formal_salutation=f"Dear contact {n}",
            language="en",
        )
        for n in range(count)
    )
    logged = LoggedSegment.objects.create(
        segment_number=f"BENCH{count}", description="Bench", entry_count=count
    )
    InteractionLogEntry.objects.bulk_create(
        InteractionLogEntry(
            contact=contact,
            date=timezone.localdate(),
            description="Newsletter",
            subject="Spring news",
            template=template,
            group=template.group,
            language="en",
            correspondence_type=CorrespondenceType.EMAIL,
            salesperson=salesperson,
            document=document,
            logged_segment=logged,
            delivery_status=DeliveryStatus.PENDING,
        )
        for contact in contacts
    )
    return logged


def _reset_peak_rss() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def _peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def test_delivery_of_10000_emails(sink, bench_results):
    merged = merge_document(demo_letter("en"), {"contactname": "Anna Berg"})
    letter = Attachment("letter.docx", merged, DOCX_MIMETYPE)
    segments = {
        count: _logged_segment(count, offset)
        for count, offset in zip(SIZES, (0, 1_000_000), strict=True)
    }
    seconds = {}
    for count, logged in segments.items():
        _reset_peak_rss()
        started = time.perf_counter()
        outcome = deliver_logged_segment(
            logged.pk, attachment=lambda entry, _letter, _merger: letter
        )
        seconds[count] = time.perf_counter() - started
        assert outcome.sent == count
        bench_results.record(
            f"delivery: {count:,} e-mails, peak RSS",
            _peak_rss_mib(),
            "MiB",
            rows=count,
        )
        assert (
            not InteractionLogEntry.objects.filter(logged_segment=logged)
            .exclude(delivery_status=DeliveryStatus.SENT)
            .exists()
        )

    # The floor sends the engine's own bytes for one of its messages.
    logged = segments[10_000]
    entry = (
        InteractionLogEntry.objects.filter(logged_segment=logged)
        .select_related("contact", "salesperson")
        .first()
    )
    builder = MessageBuilder(
        templates={entry.template_id: entry.template},
        emails=TemplateEmail.objects.filter(template_id=entry.template_id),
        attachment=lambda entry, _letter, _merger: letter,
    )
    message = builder.build(entry, entry_letter_maker(logged)(entry))
    data = message.message(policy=email.policy.SMTP).as_bytes()
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", sink) as connection:
        for n in range(10_000):
            connection.sendmail(
                "news@segmenta.example", [f"contact{n}@example.com"], data
            )
    floor = time.perf_counter() - started

    bench_results.record(
        "delivery: 10,000 e-mails", seconds[10_000], "s", rows=10_000, floor=floor
    )
    print(
        f"\nmessage size {len(data):,} bytes; 1,000 e-mails took {seconds[1_000]:.1f} s"
    )
