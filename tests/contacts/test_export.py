import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from contacts.imports import check_rows, read_table
from contacts.models import Contact
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    MailingGroupFactory,
    PersonFactory,
    SalespersonFactory,
)

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("contacts:contact_export")


def _csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_export_holds_the_filtered_contacts_with_their_codes(marketing_client):
    newsletter = MailingGroupFactory(code="NEWSLETTER")
    events = MailingGroupFactory(code="EVENTS")
    company = CompanyFactory(name="Brno Tools", country="CZ")
    person = PersonFactory(company=company, salesperson=SalespersonFactory(code="JO"))
    person.mailing_groups.add(newsletter, events)
    ContactFactory(country="FR")

    rows = _csv_rows(
        marketing_client.get(EXPORT_URL, {"country": "SE", "format": "csv"})
    )

    assert [row["number"] for row in rows] == [person.number]
    assert rows[0]["company"] == company.number
    assert rows[0]["salesperson"] == "JO"
    assert sorted(rows[0]["mailing_groups"].split(", ")) == ["EVENTS", "NEWSLETTER"]
    assert rows[0]["exclude_from_segments"] == "no"


def test_the_xlsx_export_holds_the_same_columns(marketing_client):
    contact = ContactFactory(name="Åsa Öberg")

    response = marketing_client.get(EXPORT_URL, {"format": "xlsx"})

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, row = list(sheet.iter_rows(values_only=True))
    assert header[:3] == ("number", "type", "name")
    assert row[:3] == (contact.number, "person", "Åsa Öberg")


def test_an_export_can_be_imported_again(marketing_client):
    company = CompanyFactory(name="Round Trip AB")
    person = PersonFactory(company=company, name="Tripper")
    person.mailing_groups.add(MailingGroupFactory(code="NEWSLETTER"))
    exported = b"".join(marketing_client.get(EXPORT_URL).streaming_content)

    headers, rows = read_table(SimpleUploadedFile("x.csv", exported), file_name="x.csv")
    result = check_rows(headers, rows)

    assert result.error_count == 0
    assert result.row_count == 2
    assert "number" in result.ignored_columns


@pytest.mark.parametrize("contact_count", [5, 50])
def test_the_export_runs_the_same_queries_whatever_the_size(
    marketing_client, django_assert_num_queries, contact_count
):
    group = MailingGroupFactory()
    for contact in PersonFactory.create_batch(contact_count):
        contact.mailing_groups.add(group)

    # session, user, permissions (2), the contacts with their codes in one query
    with django_assert_num_queries(5):
        response = marketing_client.get(EXPORT_URL)
        rows = _csv_rows(response)

    assert len(rows) == Contact.objects.count()


def test_a_user_without_access_cannot_export(outsider_client):
    assert outsider_client.get(EXPORT_URL).status_code == 403
