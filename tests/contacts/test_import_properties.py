"""Property tests: no file makes the import parser fail with anything but a message."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from contacts.import_files import read_table
from contacts.import_rows import COLUMNS, check_rows
from tests.contacts.test_import_files import _sheet_xml, _xlsx_with_sheet

pytestmark = pytest.mark.django_db

TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=30)
# Characters an XML document may hold, escaped where XML needs it.
XML_TEXT = st.text(
    alphabet=st.characters(
        exclude_categories=["Cs"], exclude_characters="\x00\ufffe\uffff"
    ).filter(lambda c: c in "\t\n\r" or ord(c) >= 0x20),
    max_size=20,
).map(lambda text: text.replace("&", "&amp;").replace("<", "&lt;"))
CELLS = st.one_of(
    TEXT,
    st.sampled_from(["person", "company", "SE", "yes", "x@example.com", "'=1+1"]),
)
HEADERS = st.lists(st.sampled_from(COLUMNS) | TEXT, min_size=1, max_size=6)


def _read_and_check(data: bytes, file_name: str) -> None:
    """Reads and checks a file; only a ValidationError may come out."""
    try:
        headers, rows = read_table(io.BytesIO(data), file_name=file_name)
        check_rows(headers, rows)
    except ValidationError as error:
        assert error.messages


@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_any_bytes_are_read_or_refused_with_a_message(data, suffix):
    _read_and_check(data, f"contacts{suffix}")


@given(
    headers=HEADERS,
    rows=st.lists(st.lists(CELLS, max_size=7), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    quote=st.booleans(),
)
def test_any_csv_text_is_read_or_refused_with_a_message(
    headers, rows, delimiter, quote
):
    def line(cells):
        if quote:
            cells = ['"' + cell.replace('"', '""') + '"' for cell in cells]
        return delimiter.join(cells)

    text = "\n".join(line(cells) for cells in [headers, *rows])
    _read_and_check(text.encode("utf-8", "surrogatepass"), "contacts.csv")


@given(
    rows=st.dictionaries(
        st.integers(min_value=1, max_value=3_000),
        st.dictionaries(st.integers(min_value=1, max_value=40), XML_TEXT, max_size=4),
        max_size=6,
    ),
    dimension=st.from_regex(r"\A[A-Z]{1,3}[0-9]{1,9}(:[A-Z]{1,4}[0-9]{1,9})?\Z")
    | XML_TEXT,
)
def test_any_sheet_an_xlsx_declares_is_read_or_refused_with_a_message(rows, dimension):
    sheet = _sheet_xml(rows, dimension=dimension.replace('"', ""))
    _read_and_check(_xlsx_with_sheet(sheet), "contacts.xlsx")


def _a_real_xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["name", "city", "country"])
    workbook.active.append(["Åsa", "Uppsala", "SE"])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


REAL_XLSX = _a_real_xlsx()


@given(
    changes=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(REAL_XLSX) - 1),
            st.binary(max_size=3),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_a_damaged_xlsx_is_read_or_refused_with_a_message(changes):
    data = bytearray(REAL_XLSX)
    for position, replacement in changes:
        data[position : position + len(replacement)] = replacement
    _read_and_check(bytes(data), "contacts.xlsx")


@given(
    part=st.sampled_from(["xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml"]),
    xml=XML_TEXT,
)
def test_an_xlsx_with_any_text_as_a_part_is_refused_with_a_message(part, xml):
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(REAL_XLSX)) as source,
        zipfile.ZipFile(output, "w") as target,
    ):
        for item in source.infolist():
            target.writestr(
                item, xml.encode() if item.filename == part else source.read(item)
            )
    _read_and_check(output.getvalue(), "contacts.xlsx")
