"""Importing 100,000 contacts from a CSV file: preview (parse + validate) and import."""

import csv
import io
import random
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from contacts.imports import (
    check_file,
    import_contacts,
    insert_table_rows,
    preview_import,
    table_rows,
)
from contacts.models import Contact
from tests.factories import (
    CompanyFactory,
    MailingGroupFactory,
    SalespersonFactory,
    UserFactory,
)

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

IMPORT_ROWS = 100_000


def _csv_file(rows: int) -> SimpleUploadedFile:
    random_numbers = random.Random(7)
    existing_company = CompanyFactory(name="Existing Holding AB")
    SalespersonFactory(code="JO")
    MailingGroupFactory(code="NEWSLETTER")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "type",
            "name",
            "company",
            "address",
            "post_code",
            "city",
            "country",
            "email",
            "language",
            "correspondence_type",
            "salesperson",
            "mailing_groups",
        ]
    )
    for row in range(rows):
        is_company = row % 8 == 0
        company = (
            ""
            if is_company
            else (f"Company {row // 8 * 8}" if row % 3 else existing_company.number)
        )
        writer.writerow(
            [
                "company" if is_company else "person",
                f"Company {row}" if is_company else f"Person {row}",
                company,
                f"Street {random_numbers.randint(1, 200)}",
                f"{random_numbers.randint(10000, 99999)}",
                random_numbers.choice(["Brno", "Uppsala", "Lyon", "Leeds"]),
                random_numbers.choice(["CZ", "SE", "FR", "GB"]),
                f"contact{row}@example.com",
                random_numbers.choice(["cs", "sv", "fr", "en"]),
                random_numbers.choice(["", "email", "hard_copy"]),
                "JO",
                "NEWSLETTER" if row % 2 else "",
            ]
        )
    return SimpleUploadedFile("contacts.csv", buffer.getvalue().encode(), "text/csv")


class _RolledBack(Exception):
    pass


def _copy_floor(contact_import) -> tuple[float, float]:
    """Seconds the bare COPY of the same table rows takes (psycopg2's COPY FROM
    STDIN on PostgreSQL, executemany on SQLite) with the foreign-key checks a
    commit runs, and the seconds of those checks; rolled back afterwards."""
    rows = check_file(contact_import).rows
    contact_rows, links = table_rows(rows, len(rows))
    contact_rows = list(contact_rows)  # made before the clock starts, links too
    try:
        with transaction.atomic():
            started = time.perf_counter()
            insert_table_rows(contact_rows, links)
            copied = time.perf_counter()
            # The deferred foreign-key checks, as a commit would run them.
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            ended = time.perf_counter()
            raise _RolledBack
    except _RolledBack:
        return ended - started, ended - copied


def test_import_of_100k_contacts_from_csv(bench_results):
    user = UserFactory(username="importer", is_superuser=True)
    upload = _csv_file(IMPORT_ROWS)
    before = Contact.objects.count()

    started = time.perf_counter()
    contact_import = preview_import(upload, user=user)
    preview_seconds = time.perf_counter() - started
    assert contact_import.error_count == 0
    floor, key_checks = _copy_floor(contact_import)

    started = time.perf_counter()
    imported = import_contacts(contact_import, user=user)
    import_seconds = time.perf_counter() - started

    assert imported == IMPORT_ROWS
    assert Contact.objects.count() == before + IMPORT_ROWS
    bench_results.record(
        "import CSV: preview (parse + validate)", preview_seconds, "s", rows=IMPORT_ROWS
    )
    bench_results.record(
        "import CSV: import (validate + insert)",
        import_seconds,
        "s",
        rows=IMPORT_ROWS,
        floor=floor,
    )
    bench_results.record(
        "import CSV: rows per second",
        IMPORT_ROWS / import_seconds,
        "rows/s",
        rows=IMPORT_ROWS,
    )
    bench_results.record(
        "import CSV: COPY alone, rows per second",
        IMPORT_ROWS / floor,
        "rows/s",
        rows=IMPORT_ROWS,
    )
    bench_results.record(
        "import CSV: COPY alone, of which foreign-key checks",
        key_checks,
        "s",
        rows=IMPORT_ROWS,
    )


def test_the_largest_import_done_in_a_request(bench_results, settings):
    """IMPORT_ROWS_IN_REQUEST rows: the most a request checks and imports; more is a job."""
    rows = settings.IMPORT_ROWS_IN_REQUEST
    user = UserFactory(username="importer", is_superuser=True)
    upload = _csv_file(rows)

    started = time.perf_counter()
    contact_import = preview_import(upload, user=user)
    preview_seconds = time.perf_counter() - started
    started = time.perf_counter()
    assert import_contacts(contact_import, user=user) == rows
    import_seconds = time.perf_counter() - started

    bench_results.record(
        "import CSV in a request: preview", preview_seconds, "s", rows=rows
    )
    bench_results.record(
        "import CSV in a request: import", import_seconds, "s", rows=rows
    )
