"""Hostile or damaged import files: a clear message, never a 500, and no more work
than the file really holds."""

import io
import zipfile
from xml.sax.saxutils import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from contacts.models import ContactImport

pytestmark = pytest.mark.django_db

UPLOAD_URL = reverse("contacts:contact_import_upload")
SHEET = "xl/worksheets/sheet1.xml"
BILLION_LAUGHS = (
    '<!DOCTYPE worksheet [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10 if level > 1 else "&lol;" * 10}">'
        for level in range(1, 10)
    )
    + "]>"
)


def _upload(client, data: bytes, name: str):
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, data)})


def _file_error(response) -> str:
    assert response.status_code == 200
    return " ".join(response.context["form"].errors["file"])


def _sheet_xml(rows: dict[int, dict[int, str]], *, dimension: str, doctype="") -> str:
    """A sheet holding `rows` ({row number: {column number: text}}), saying `dimension`."""
    xml_rows = "".join(
        f'<row r="{number}">'
        + "".join(
            f'<c r="{get_column_letter(column)}{number}" t="inlineStr">'
            f"<is><t>{text}</t></is></c>"
            for column, text in sorted(cells.items())
        )
        + "</row>"
        for number, cells in sorted(rows.items())
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        + doctype
        + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + f'<dimension ref="{dimension}"/><sheetData>{xml_rows}</sheetData></worksheet>'
    )


def _xlsx_with_sheet(sheet_xml: str) -> bytes:
    """A workbook made by openpyxl whose first sheet is replaced by `sheet_xml`."""
    made = io.BytesIO()
    Workbook().save(made)
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(made.getvalue())) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = sheet_xml.encode() if item.filename == SHEET else source.read(item)
            target.writestr(item, data)
    return output.getvalue()


def _contacts(count: int, *, first_row: int = 2) -> dict[int, dict[int, str]]:
    rows = {1: {1: "name", 2: "city"}}
    for index in range(count):
        rows[first_row + index] = {1: escape(f"Contact {index}"), 2: "Brno"}
    return rows


def test_rows_past_the_dimension_an_xlsx_declares_are_read(marketing_client):
    xlsx = _xlsx_with_sheet(_sheet_xml(_contacts(10), dimension="A1:A2"))

    response = _upload(marketing_client, xlsx, "contacts.xlsx")

    contact_import = ContactImport.objects.get()
    assert response.url == contact_import.get_absolute_url()
    assert (contact_import.row_count, contact_import.error_count) == (10, 0)
    assert contact_import.ignored_columns == []


def test_an_xlsx_declaring_millions_of_rows_is_read_as_the_rows_it_holds(
    marketing_client,
):
    xlsx = _xlsx_with_sheet(_sheet_xml(_contacts(3), dimension="A1:XFD20000000"))

    _upload(marketing_client, xlsx, "contacts.xlsx")

    assert ContactImport.objects.get().row_count == 3


def test_a_row_numbered_past_the_limit_is_refused_without_reading_up_to_it(
    marketing_client,
):
    # 4 KB whose last row is number 20,000,000: reading every empty row before
    # it cost 12.6 s of CPU; reading stops at the limit now.
    rows = _contacts(1) | {20_000_000: {1: "Far away"}}
    xlsx = _xlsx_with_sheet(_sheet_xml(rows, dimension="A1:B20000000"))

    response = _upload(marketing_client, xlsx, "contacts.xlsx")

    assert "more than 1000000 rows" in _file_error(response)


def test_an_xlsx_with_rows_past_the_limit_is_refused_however_empty_between(
    marketing_client, settings
):
    settings.CONTACT_IMPORT_MAX_ROWS = 100
    rows = _contacts(1) | {5_000: {1: "Far away"}}
    xlsx = _xlsx_with_sheet(_sheet_xml(rows, dimension="A1:B2"))

    response = _upload(marketing_client, xlsx, "contacts.xlsx")

    assert "more than 100 rows" in _file_error(response)
    assert not ContactImport.objects.exists()


def test_a_csv_with_rows_past_the_limit_is_refused(marketing_client, settings):
    settings.CONTACT_IMPORT_MAX_ROWS = 2
    csv = b"name\nA\nB\nC\n"

    response = _upload(marketing_client, csv, "contacts.csv")

    assert "more than 2 rows" in _file_error(response)


def test_an_xlsx_with_a_header_past_the_column_limit_is_refused(
    marketing_client, settings
):
    settings.CONTACT_IMPORT_MAX_COLUMNS = 20
    rows = _contacts(1)
    rows[1][16_384] = "far_right"
    xlsx = _xlsx_with_sheet(_sheet_xml(rows, dimension="A1:B2"))

    response = _upload(marketing_client, xlsx, "contacts.xlsx")

    assert "more than 20 columns" in _file_error(response)


def test_cells_right_of_the_header_are_ignored(marketing_client):
    rows = _contacts(2)
    rows[3][16_384] = "stray"
    xlsx = _xlsx_with_sheet(_sheet_xml(rows, dimension="A1:XFD3"))

    _upload(marketing_client, xlsx, "contacts.xlsx")

    contact_import = ContactImport.objects.get()
    assert (contact_import.row_count, contact_import.error_count) == (2, 0)


def test_an_xlsx_declaring_xml_entities_is_refused_with_a_message(marketing_client):
    rows = {1: {1: "name"}, 2: {1: "&lol9;"}}
    xlsx = _xlsx_with_sheet(_sheet_xml(rows, dimension="A1:A2", doctype=BILLION_LAUGHS))

    response = _upload(marketing_client, xlsx, "contacts.xlsx")

    assert "declares XML entities" in _file_error(response)
    assert not ContactImport.objects.exists()


@pytest.mark.parametrize(
    "sheet_xml",
    [
        '<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1"',
        "not xml at all",
        _sheet_xml({1: {1: "name"}, 2: {1: "&undefined;"}}, dimension="A1:A2"),
    ],
    ids=["cut-off", "not-xml", "undefined-entity"],
)
def test_an_xlsx_with_a_damaged_sheet_is_refused_with_a_message(
    marketing_client, sheet_xml
):
    response = _upload(marketing_client, _xlsx_with_sheet(sheet_xml), "contacts.xlsx")

    assert "not a readable Excel" in _file_error(response)
    assert not ContactImport.objects.exists()


def test_a_csv_value_over_the_csv_modules_limit_is_refused_with_a_message(
    marketing_client,
):
    csv = ("name\n" + "x" * 200_000 + "\n").encode()

    response = _upload(marketing_client, csv, "contacts.csv")

    assert "Line 2 of the file cannot be read" in _file_error(response)


def test_a_csv_with_an_unclosed_quote_is_refused_with_a_message(marketing_client):
    csv = ('name\n"Open quote\n' + "x" * 140_000 + "\n").encode()

    response = _upload(marketing_client, csv, "contacts.csv")

    assert "Is a quotation mark left open?" in _file_error(response)


def test_a_csv_with_a_nul_byte_is_refused_at_the_preview(marketing_client):
    response = _upload(marketing_client, b"name,city\nNul\x00 AB,Brno\n", "c.csv")

    assert "NUL characters" in _file_error(response)
    assert not ContactImport.objects.exists()


def test_a_stored_file_refused_now_shows_its_import_page_with_the_message(
    marketing_client, settings
):
    _upload(marketing_client, b"name,city\nSomebody,Brno\n", "contacts.csv")
    settings.CONTACT_IMPORT_MAX_COLUMNS = 1

    response = marketing_client.get(ContactImport.objects.get().get_absolute_url())

    assert response.status_code == 200
    assert "more than 1 columns" in response.content.decode()
