"""Every spreadsheet export goes through here: CSV streamed, XLSX written on disk.

Both are safe to open in Excel. A value such as `=HYPERLINK(…)` or `=cmd|' /C calc'!A0`
must never become a live formula: XLSX cells are written as typed strings (never
formulas), and CSV text that a spreadsheet would read as a formula gets a leading
apostrophe, which `unguarded` removes again on import, so an export re-imports
unchanged.
"""

import csv
import datetime
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Expression,
    F,
    Field,
    Model,
    QuerySet,
    Value,
    When,
)
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# What Excel, LibreOffice and Google Sheets take as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
_GUARDED_STARTS = frozenset((*FORMULA_STARTS, GUARD))
# What the csv module writes as _csv_value would: None as "", the others by str().
_PLAIN = frozenset(
    {type(None), bool, int, float, Decimal, datetime.date, datetime.time}
)
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
    yield csv_header(header)
    writer = _line_writer()
    for row in rows:
        yield _csv_line(writer, _csv_row(row))


def csv_header(header: Sequence[str]) -> str:
    """The BOM and the header line, guarded like the values."""
    return "\ufeff" + _csv_line(_line_writer(), [guarded(str(name)) for name in header])


def csv_response(
    header: Sequence[str], rows: Iterable[Sequence], *, file_name: str
) -> StreamingHttpResponse:
    """Stream the rows as a UTF-8 CSV download."""
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    return response


def write_xlsx(
    output,
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    sheet_name: str,
    max_rows: int | None = None,
) -> int:
    """Write a workbook into a binary file; past max_rows the rows go on to another sheet.

    Every sheet starts with the header, so each one can be read (or imported) alone.
    Returns the number of sheets.
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
    return max(sheet_count, 1)


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


# Rows read per query: enough to amortise planning the query (with its joins for
# the codes, tens of milliseconds) and the round trip, few enough to stay small.
CHUNK_SIZE = 10_000
# Rows per COPY (core/csv_copy.py): psycopg2 passes COPY's output on as it comes,
# so memory does not grow with it, and each chunk's joins may scan a related
# table whole (a million contacts), so fewer, larger chunks are faster.
COPY_CHUNK_SIZE = 100_000
# What a file's name ends with, per format.
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Column:
    """One column of a table export: its (translated) header and its value.

    `value` is a field path or an expression over the queryset's rows. Codes of
    related rows and labels of choices are computed by the database (see
    `field_value`), so a row needs no Python work but its formula guard.
    """

    header: str
    value: str | Expression


@dataclass
class Table:
    """What one export holds: its columns over a queryset, read in keyset chunks."""

    queryset: QuerySet
    columns: list[Column]
    file_stem: str
    sheet_name: str
    chunk_size: int = CHUNK_SIZE
    copy_chunk_size: int = COPY_CHUNK_SIZE

    @property
    def header(self) -> list[str]:
        return [str(column.header) for column in self.columns]

    def count(self) -> int:
        return self.queryset.order_by().count()

    def values(self) -> QuerySet:
        """The rows' values, the primary key first, in primary key order."""
        names = [f"export_{index}" for index in range(len(self.columns))]
        return (
            self.queryset.annotate(
                **{
                    name: F(column.value)
                    if isinstance(column.value, str)
                    else column.value
                    for name, column in zip(names, self.columns, strict=True)
                }
            )
            .order_by("pk")
            .values_list("pk", *names)
        )

    def rows(self, *, on_chunk: Callable[[int], None] | None = None) -> Iterator[tuple]:
        """Every row once, in primary key order, `chunk_size` rows per query.

        `WHERE pk > last ORDER BY pk LIMIT n` needs no server-side cursor (which
        PgBouncer's transaction pooling forbids) and no OFFSET, so memory and the
        time per chunk stay the same however many rows there are. `on_chunk` is
        told how many rows have been read so far.
        """
        queryset = self.values()
        last, read = None, 0
        while True:
            chunk = queryset if last is None else queryset.filter(pk__gt=last)
            rows = list(chunk[: self.chunk_size])
            if not rows:
                return
            last = rows[-1][0]
            read += len(rows)
            for row in rows:
                yield row[1:]
            if on_chunk is not None:
                on_chunk(read)


def field_value(field: Field, path: str | None = None) -> Expression:
    """A field as a person reads it: a related row's label, a choice's label (translated now)."""
    path = path or field.name
    if field.is_relation:
        return F(f"{path}__{label_field(field.related_model)}")
    if field.choices:
        return choice_labels(path, field.flatchoices)
    return F(path)


def choice_labels(path: str, choices) -> Case:
    """The label of the stored value at `path`, in the active language."""
    return Case(
        *[When(**{path: value}, then=Value(str(label))) for value, label in choices],
        default=F(path),
        output_field=CharField(),
    )


def model_columns(model: type[Model], *, exclude=()) -> list[Column]:
    """A column per concrete field of the model, headed by its verbose name.

    Derived from the model, so a field added later is exported too.
    """
    return [
        Column(capfirst(field.verbose_name), field_value(field))
        for field in model._meta.concrete_fields
        if field.name not in exclude
    ]


def label_field(model: type[Model]) -> str:
    """What names a row of the model in an export: its code, number or user name."""
    names = {field.name for field in model._meta.concrete_fields}
    for name in ("code", "number", "segment_number", "file_name"):
        if name in names:
            return name
    return getattr(model, "USERNAME_FIELD", "pk")


def table_response(table: Table, *, file_format: str):
    """The table as a download: CSV streamed, XLSX written on disk first."""
    return spreadsheet_response(
        table.header,
        table.rows(),
        file_format=file_format,
        file_stem=table.file_stem,
        sheet_name=table.sheet_name,
    )


def spreadsheet_response(
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    file_format: str,
    file_stem: str,
    sheet_name: str,
):
    """Rows as a CSV (streamed) or XLSX download, by the format the user chose."""
    if file_format == "xlsx":
        return xlsx_response(
            header,
            rows,
            file_name=f"{file_stem}.xlsx",
            sheet_name=sheet_name,
            max_rows=settings.XLSX_ROWS_PER_SHEET,
        )
    return csv_response(header, rows, file_name=f"{file_stem}.csv")


def write_table(
    table: Table,
    output,
    *,
    file_format: str,
    on_chunk: Callable[[int], None] | None = None,
) -> int:
    """Write the table into a binary file; returns the number of sheets (1 for CSV)."""
    rows = table.rows(on_chunk=on_chunk)
    if file_format == "xlsx":
        return write_xlsx(
            output,
            table.header,
            rows,
            sheet_name=table.sheet_name,
            max_rows=settings.XLSX_ROWS_PER_SHEET,
        )
    text = io.TextIOWrapper(output, encoding="utf-8", newline="")
    text.write(csv_header(table.header))
    writer = _line_writer()
    text.writelines(_csv_line(writer, _csv_row(row)) for row in rows)
    text.flush()
    text.detach()
    return 1


def _sheet_name(name: str, number: int) -> str:
    if number == 1:
        return name[:SHEET_NAME_LENGTH]
    suffix = f" ({number})"
    return name[: SHEET_NAME_LENGTH - len(suffix)] + suffix


class _Echo:
    def write(self, value):
        return value


def _line_writer():
    # "\r\n" makes the csv module quote a value holding a "\r", as COPY does;
    # _csv_line then ends the line in "\n" alone, as COPY's lines end.
    return csv.writer(_Echo(), lineterminator="\r\n")


def _csv_line(writer, values: Sequence) -> str:
    return writer.writerow(values)[:-2] + "\n"


def _csv_row(row: Sequence) -> list:
    # Run for every row of a million-row export: plain values pass as they are.
    return [
        value
        if value.__class__ in _PLAIN
        else (GUARD + value if value[:1] in _GUARDED_STARTS else value)
        if value.__class__ is str
        else _csv_value(value)
        for value in row
    ]


def _csv_value(value) -> str:
    if value is None:
        return ""
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
