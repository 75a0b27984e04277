"""CSV exports on PostgreSQL, written by COPY rather than row by row in Python.

COPY turns the rows into CSV in C, several times faster than psycopg2's Python
values and the csv module. It runs the export's own SELECT (`Table.values`, as
Django compiles it), with each column written as the Python path writes it
(`core.exports.csv_lines`), so both give the same bytes: text guarded against
formulas, dates and times in ISO format, booleans as True/False, NULL and empty
text as nothing. It reads in keyset chunks (`pk > last AND pk <= boundary`), with
no server-side cursor, which PgBouncer's transaction pooling forbids.
"""

import io
from collections.abc import Callable, Iterator

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Field
from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

from core.exports import FORMULA_STARTS, GUARD, Table, csv_header

# COPY's CSV is the csv module's but for the line end, which the Python path matches.
COPY_OPTIONS = "FORMAT csv"
_ISO_SECONDS = 'YYYY-MM-DD"T"HH24:MI:SS'


def copies(table: Table) -> bool:
    """Whether the table's database has COPY (PostgreSQL)."""
    return connections[table.queryset.db].vendor == "postgresql"


def copy_csv_response(table: Table) -> StreamingHttpResponse:
    """Stream the table as a UTF-8 CSV download, a chunk of COPY output at a time."""
    response = StreamingHttpResponse(
        _streamed(table), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"{table.file_stem}.csv"
    )
    return response


def copy_csv(
    table: Table, output, *, on_chunk: Callable[[int], None] | None = None
) -> None:
    """Write the table as CSV into a binary file; `on_chunk` is told the rows so far."""
    output.write(csv_header(table.header).encode())
    read = 0
    for rows in _copy_chunks(table, output):
        read += rows
        if on_chunk is not None:
            on_chunk(read)


def _streamed(table: Table) -> Iterator[bytes]:
    yield csv_header(table.header).encode()
    buffer = io.BytesIO()
    for _rows in _copy_chunks(table, buffer):
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _copy_chunks(table: Table, output) -> Iterator[int]:
    """COPY the rows into `output` a chunk at a time, yielding each chunk's row count.

    A chunk ends at the `copy_chunk_size`-th primary key after the last one, looked up
    in the (filtered) queryset alone, without the columns' joins.
    """
    values = table.values()
    keys = table.queryset.order_by("pk").values_list("pk", flat=True)
    connection = connections[values.db]
    columns = [_column_sql(values, index) for index in range(len(table.columns))]
    size = table.copy_chunk_size
    last = None
    with connection.cursor() as cursor:
        while True:
            after = keys if last is None else keys.filter(pk__gt=last)
            boundary = after[size - 1 : size].first()
            chunk = values if last is None else values.filter(pk__gt=last)
            if boundary is not None:
                chunk = chunk.filter(pk__lte=boundary)
            try:
                sql, params = chunk.query.sql_with_params()
            except EmptyResultSet:  # A queryset such as .none(): no rows at all.
                return
            select = cursor.mogrify(sql, params).decode()
            names = ", ".join(["pk", *(f"export_{i}" for i in range(len(columns)))])
            statement = (
                f"COPY (SELECT {', '.join(columns)} FROM ({select}) AS export ({names})"
                f" ORDER BY pk) TO STDOUT WITH ({COPY_OPTIONS})"
            )
            cursor.cursor.copy_expert(statement, output)
            yield cursor.cursor.rowcount
            if boundary is None:
                return
            last = boundary


def _column_sql(values, index: int) -> str:
    """Column `index` as the Python path writes its value (see core.exports._csv_row)."""
    name = f"export_{index}"
    field: Field = values.query.annotations[name].output_field
    kind = field.get_internal_type()
    if kind == "BooleanField":
        return f"CASE WHEN {name} THEN 'True' WHEN NOT {name} THEN 'False' END"
    if kind == "DateTimeField":
        # Python's isoformat of a UTC datetime: microseconds only when there are any.
        utc = f"({name} AT TIME ZONE 'UTC')"
        return (
            f"to_char({utc}, CASE WHEN {utc} = date_trunc('second', {utc})"
            f" THEN '{_ISO_SECONDS}\"+00:00\"' ELSE '{_ISO_SECONDS}.US\"+00:00\"' END)"
        )
    if kind == "DateField":
        return f"to_char({name}, 'YYYY-MM-DD')"
    if kind == "TimeField":
        moment = f"(DATE '2000-01-01' + {name})"
        return (
            f"to_char({moment}, CASE WHEN {moment} = date_trunc('second', {moment})"
            " THEN 'HH24:MI:SS' ELSE 'HH24:MI:SS.US' END)"
        )
    if kind in _NUMBERS:
        return name
    return _guarded_sql(f"{name}::text")


_NUMBERS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "DecimalField",
        "FloatField",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallAutoField",
        "SmallIntegerField",
    }
)


def _guarded_sql(text: str) -> str:
    """core.exports.guarded in SQL; empty text becomes NULL, as both are written empty."""
    starts = ", ".join(_literal(start) for start in (*FORMULA_STARTS, GUARD))
    return (
        f"CASE WHEN left({text}, 1) IN ({starts}) THEN {_literal(GUARD)} || {text}"
        f" ELSE NULLIF({text}, '') END"
    )


def _literal(text: str) -> str:
    # chr() for the control characters, so the statement stays printable.
    if len(text) == 1 and not text.isprintable():
        return f"chr({ord(text)})"
    return "'" + text.replace("'", "''") + "'"
