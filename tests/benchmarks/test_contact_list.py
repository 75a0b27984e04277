"""The contact list page on a large contact table: server time and query count."""

import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.models import MailingGroup
from tests.benchmarks.conftest import best_of
from tests.factories import UserFactory

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

LIST_URL = reverse("contacts:contact_list")
SERVER_SIDE_CURSOR = re.compile(r"^DECLARE .*? CURSOR (WITH(OUT)? HOLD )?FOR ")


def _sql_floor(queries) -> float:
    """Seconds the page's own SQL takes when run directly: what no page can beat."""
    with connection.cursor() as cursor:
        started = time.perf_counter()
        for query in queries:
            # Choice fields read through server-side cursors; run their plain SELECT.
            cursor.execute(SERVER_SIDE_CURSOR.sub("", query["sql"]))
            if cursor.description:
                cursor.fetchall()
        return time.perf_counter() - started


@pytest.mark.parametrize(
    ("label", "params"),
    [
        ("first page", {}),
        ("sorted by name, page 100", {"sort": "name", "page": "{page}"}),
        ("search 'berg'", {"q": "berg"}),
        ("mailing group + country", {"mailing_group": "{group}", "country": "SE"}),
    ],
)
def test_contact_list_page(client, generated_contacts, bench_results, label, params):
    client.force_login(UserFactory(username="bench", is_superuser=True))
    group = MailingGroup.objects.order_by("pk").first()
    page = min(100, generated_contacts // 50)
    params = {
        key: value.format(group=group.pk, page=page) for key, value in params.items()
    }

    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST_URL, params)
    assert response.status_code == 200
    # Copy now: the next request empties the connection's query log.
    queries = list(captured.captured_queries)

    seconds = best_of(3, lambda: client.get(LIST_URL, params))
    floor = min(_sql_floor(queries) for _ in range(3))
    bench_results.record(
        f"contact list: {label}", seconds, "s", rows=generated_contacts, floor=floor
    )
    bench_results.record(
        f"contact list: {label} queries",
        len(queries),
        "queries",
        rows=generated_contacts,
    )
