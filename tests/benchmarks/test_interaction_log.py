"""The Interaction Log page with a million entries: server time and query count."""

import random
import time

import pytest
from django.db import connection
from django.urls import reverse

from contacts.models import Contact
from interactions.demo_data import generate_log_entries
from interactions.models import InteractionLogEntry, InteractionTemplate
from tests.benchmarks.conftest import BENCH_CONTACTS, measure_page
from tests.factories import UserFactory

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

LOG_URL = reverse("interactions:interaction_log")
BENCH_ENTRIES = BENCH_CONTACTS


@pytest.fixture(scope="session")
def generated_entries(generated_contacts, django_db_blocker, bench_results):
    """BENCH_ENTRIES interaction log entries over the generated contacts, committed."""
    with django_db_blocker.unblock():
        started = time.perf_counter()
        count = generate_log_entries(
            BENCH_ENTRIES,
            templates=list(InteractionTemplate.objects.all()),
            randomness=random.Random(7),
        )
        seconds = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    bench_results.record("generate interaction log entries", seconds, "s", rows=count)
    return count


@pytest.mark.parametrize(
    ("label", "params"),
    [
        ("first page", {}),
        # Keyset pages: the cursor of an entry near the end of the log, as
        # Next would carry it after walking there (or "go to date" finds it).
        ("1M rows deep", {"after": "{deep}"}),
        ("jump to an entry number", {"go_entry": "{deep_entry}"}),
        ("one contact", {"contact": "{contact}"}),
        ("one company", {"contact_company": "{company}"}),
        (
            "template + date range",
            {
                "template": "{template}",
                "date_after": "2026-01-01",
                "date_before": "2026-03-31",
            },
        ),
        (
            "not cancelled, evaluated positive",
            {"cancelled": "false", "evaluation": "positive"},
        ),
    ],
)
def test_interaction_log_page(client, generated_entries, bench_results, label, params):
    client.force_login(UserFactory(username="bench", is_superuser=True))
    busy = InteractionLogEntry.objects.order_by("-pk").values("contact_id").first()
    deep = InteractionLogEntry.objects.order_by("-date", "-pk").values_list(
        "date", "pk"
    )[generated_entries - 100]
    values = {
        "deep": f"{deep[0]}_{deep[1]}",
        "deep_entry": deep[1],
        "contact": busy["contact_id"],
        "company": Contact.objects.filter(type="company", persons__isnull=False)
        .values_list("pk", flat=True)
        .first(),
        "template": InteractionTemplate.objects.get(code="BUS").pk,
    }
    params = {key: value.format(**values) for key, value in params.items()}

    measure_page(
        client,
        LOG_URL,
        params,
        name=f"interaction log: {label}",
        rows=generated_entries,
        bench_results=bench_results,
    )
