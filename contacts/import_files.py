"""Reading an uploaded CSV or XLSX file into a header and rows of cell values.

Any file a user uploads is untrusted: whatever it holds ends in a ValidationError
with a message, never an exception the page does not expect, and the work done is
bounded by what the file really holds and by the limits in the settings
(CONTACT_IMPORT_MAX_ROWS, CONTACT_IMPORT_MAX_COLUMNS), never by what it declares.
"""

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core.exports import GUARD, unguarded


def normalise_header(header) -> str:
    return re.sub(r"[\s\-]+", "_", str(header or "").strip().lower())


def read_table(file, *, file_name: str) -> tuple[list[str], Iterator[list]]:
    """The header row and an iterator over the data rows of a CSV or XLSX file.

    The iterator raises ValidationError when the file turns out to be unreadable
    or too large further on.
    """
    if Path(file_name).suffix.lower() == ".xlsx":
        headers, rows = _read_xlsx(file)
    else:
        headers, rows = _read_csv(file)
    if not headers or not any(headers):
        raise ValidationError(_("The file is empty: it has no header row."))
    max_columns = settings.CONTACT_IMPORT_MAX_COLUMNS
    if len(headers) > max_columns:
        raise ValidationError(
            _("The file has more than %(max)d columns.") % {"max": max_columns}
        )
    return [normalise_header(header) for header in headers], _at_most_max_rows(rows)


def _at_most_max_rows(rows) -> Iterator[list]:
    # Empty rows count too: skipping millions of them costs as much as reading them.
    max_rows = settings.CONTACT_IMPORT_MAX_ROWS
    for count, row in enumerate(rows, start=1):
        if count > max_rows:
            raise ValidationError(
                _("The file has more than %(max)d rows.") % {"max": max_rows}
            )
        yield row


def _read_csv(file) -> tuple[list, Iterator[list]]:
    raw = file.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.")
        ) from error
    if "\x00" in text:
        # Python's csv module reads it, but PostgreSQL cannot store it.
        raise ValidationError(
            _(
                "The file contains NUL characters, so it is not a text (CSV) file. "
                "Save it as “CSV UTF-8” and upload it again."
            )
        )
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = _csv_rows(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return next(rows, None), rows


def _csv_rows(reader) -> Iterator[list]:
    """The rows with the formula guard of our own exports taken off again."""
    try:
        for row in reader:
            # Most cells carry no guard: test for one before the call.
            yield [
                unguarded(value) if value.startswith(GUARD) else value for value in row
            ]
    except csv.Error as error:
        raise ValidationError(
            _(
                "Line %(line)d of the file cannot be read: a value is longer than "
                "%(max)d characters. Is a quotation mark left open?"
            )
            % {"line": reader.line_num, "max": csv.field_size_limit()}
        ) from error


def _read_xlsx(file) -> tuple[list, Iterator[list]]:
    # read_only parses the sheet as it is iterated, so a damaged sheet fails there.
    with _readable_xlsx():
        sheet = load_workbook(file, read_only=True, data_only=True).worksheets[0]
        # The <dimension> a file declares may be wrong: rows past it would be
        # dropped, and a huge one pads every row to its width.
        sheet.reset_dimensions()
        # One row as wide as its last cell: at most 18,278 columns (ZZZ).
        headers = list(next(sheet.iter_rows(max_row=1, values_only=True), ()))
    while headers and headers[-1] in (None, ""):
        headers.pop()
    # Cells right of the header are ignored, so they are not even padded out.
    return headers, _xlsx_rows(
        sheet.iter_rows(min_row=2, max_col=max(len(headers), 1), values_only=True)
    )


def _xlsx_rows(rows) -> Iterator[list]:
    with _readable_xlsx():
        yield from rows


@contextmanager
def _readable_xlsx():
    """Turns whatever openpyxl raises on a damaged or hostile file into a message."""
    try:
        yield
    except ValidationError:
        raise
    except Exception as error:  # openpyxl raises many kinds: zip, XML, KeyError…
        if _caused_by(error, DefusedXmlException):
            raise ValidationError(
                _(
                    "The Excel file declares XML entities, which are refused for "
                    "safety. Save it again from Excel and upload it."
                )
            ) from error
        raise ValidationError(
            _("This is not a readable Excel (.xlsx) file.")
        ) from error


def _caused_by(error: BaseException | None, kind: type) -> bool:
    """Whether `kind` is the error or behind it (openpyxl wraps what it catches)."""
    while error is not None:
        if isinstance(error, kind):
            return True
        error = error.__cause__ or error.__context__
    return False
