"""Every spreadsheet export goes through here: CSV streamed, XLSX written on disk.

Both are safe to open in Excel. A value such as `=HYPERLINK(…)` or `=cmd|' /C calc'!A0`
must never become a live formula: XLSX cells are written as typed strings (never
formulas), and CSV text that a spreadsheet would read as a formula gets a leading
apostrophe, which `unguarded` removes again on import, so an export re-imports
unchanged.
"""

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# What Excel, LibreOffice and Google Sheets take as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
# Excel's limit of rows in one sheet, the header row included.
XLSX_MAX_ROWS = 1_048_576
# Excel's limit for a sheet name.
SHEET_NAME_LENGTH = 31


def guarded(text: str) -> str:
    """A CSV value no spreadsheet reads as a formula.

    A value that already starts with the guard is guarded too, so `unguarded` can
    tell the two apart and every value comes back exactly as it was.
    """
    if text.startswith((*FORMULA_STARTS, GUARD)):
        return GUARD + text
    return text


def unguarded(text: str) -> str:
    """The value `guarded` was given (a value without a guard comes back as is)."""
    if text.startswith(GUARD) and text[1:2] and text[1] in (*FORMULA_STARTS, GUARD):
        return text[1:]
    return text


def csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """CSV lines for a header and rows, starting with a BOM so Excel reads the accents."""

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow([guarded(str(name)) for name in header])
    for row in rows:
        yield writer.writerow([_csv_value(value) for value in row])


def csv_response(
    header: Sequence[str], rows: Iterable[Sequence], *, file_name: str
) -> StreamingHttpResponse:
    """Stream the rows as a UTF-8 CSV download."""
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def write_xlsx(
    output,
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    sheet_name: str,
    max_rows: int | None = None,
) -> None:
    """Write a workbook into a binary file; past max_rows the rows go on to another sheet.

    Every sheet starts with the header, so each one can be read (or imported) alone.
    """
    max_rows = max_rows or XLSX_MAX_ROWS
    workbook = Workbook(write_only=True)
    sheet = None
    sheet_rows = max_rows
    sheet_count = 0
    for row in rows:
        if sheet_rows >= max_rows:
            sheet_count += 1
            sheet = workbook.create_sheet(_sheet_name(sheet_name, sheet_count))
            sheet.append([_xlsx_cell(sheet, name) for name in header])
            sheet_rows = 1
        sheet.append([_xlsx_cell(sheet, value) for value in row])
        sheet_rows += 1
    if sheet is None:
        sheet = workbook.create_sheet(_sheet_name(sheet_name, 1))
        sheet.append([_xlsx_cell(sheet, name) for name in header])
    workbook.save(output)


def xlsx_response(
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    file_name: str,
    sheet_name: str,
    max_rows: int | None = None,
) -> FileResponse:
    """Write the rows into an Excel workbook on disk and send it."""
    # FileResponse closes the file once it has been sent.
    output = tempfile.TemporaryFile()  # noqa: SIM115
    write_xlsx(output, header, rows, sheet_name=sheet_name, max_rows=max_rows)
    output.seek(0)
    return FileResponse(output, as_attachment=True, filename=file_name)


def _sheet_name(name: str, number: int) -> str:
    if number == 1:
        return name[:SHEET_NAME_LENGTH]
    suffix = f" ({number})"
    return name[: SHEET_NAME_LENGTH - len(suffix)] + suffix


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return guarded(value)
    if isinstance(value, bool | int | float | Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return guarded(str(value))


def _xlsx_cell(sheet, value) -> WriteOnlyCell:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        # Excel has no time zones: the time as the user reads it on the pages.
        value = timezone.make_naive(value)
    elif not isinstance(
        value, bool | int | float | Decimal | datetime.date | datetime.time
    ):
        value = None if value is None else ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl makes any text starting with "=" a formula; text stays text.
        cell.data_type = "s"
    return cell
