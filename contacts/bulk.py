"""Set-based writes of many rows, inside the caller's transaction.

Rows that come from Python (imports, generated data): PostgreSQL gets COPY FROM
STDIN, SQLite one executemany; values must already be in database form. Rows
that come from other tables: one INSERT … SELECT built by the ORM.
"""

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from itertools import islice
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet

COPY_CHUNK_ROWS = 50_000


def db_timestamp(value: datetime):
    """A datetime the way the current database driver wants it in a raw insert."""
    return connection.ops.adapt_datetimefield_value(value)


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """Take `count` primary keys for rows the caller will insert with explicit ids."""
    if not connection.in_atomic_block:
        raise RuntimeError("reserve_ids() must run inside transaction.atomic().")
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the IMMEDIATE transaction holds the write lock, so nobody else
        # can take these ids before we insert them. sqlite_sequence remembers ids
        # of deleted rows, which AUTOINCREMENT never hands out again.
        cursor.execute(
            f"SELECT max(coalesce((SELECT max(id) FROM {connection.ops.quote_name(table)}), 0),"
            " coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        last = cursor.fetchone()[0]
    return list(range(last + 1, last + count + 1))


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert rows (tuples in `columns` order) into `table`; return how many."""
    quoted_table = connection.ops.quote_name(table)
    column_list = ", ".join(connection.ops.quote_name(column) for column in columns)
    iterator = iter(rows)
    total = 0
    with connection.cursor() as cursor:
        while chunk := list(islice(iterator, COPY_CHUNK_ROWS)):
            if connection.vendor == "postgresql":
                _copy(cursor, f"COPY {quoted_table} ({column_list}) FROM STDIN", chunk)
            else:
                placeholders = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {quoted_table} ({column_list}) VALUES ({placeholders})",
                    chunk,
                )
            total += len(chunk)
    return total


def insert_links(
    model: type[Model], relation: str, pairs: Iterable[tuple[int, int]]
) -> int:
    """Insert (source id, target id) pairs into the through table of an M2M field."""
    field = model._meta.get_field(relation)
    through = field.remote_field.through
    columns = [
        through._meta.get_field(field.m2m_field_name()).column,
        through._meta.get_field(field.m2m_reverse_field_name()).column,
    ]
    return insert_rows(through._meta.db_table, columns, pairs)


def _copy(cursor, statement: str, rows: list[Sequence]) -> None:
    raw_cursor = cursor.cursor
    if hasattr(raw_cursor, "copy"):  # psycopg 3
        with raw_cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
        return
    # psycopg2: CSV where None stays unquoted (NULL) and "" is quoted (empty text).
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_NOTNULL).writerows(rows)
    buffer.seek(0)
    raw_cursor.copy_expert(f"{statement} WITH (FORMAT csv)", buffer)


def insert_from_queryset(
    model: type[Model], columns: Mapping[str, Any], queryset: QuerySet
) -> int:
    """INSERT INTO model (columns) SELECT … built by the ORM; return the row count.

    `columns` maps each target column to an expression over `queryset`'s model.
    The whole copy runs in the database: no row passes through Python.
    """
    select = queryset.values(
        **{f"column_{index}": value for index, value in enumerate(columns.values())}
    )
    sql, params = select.query.sql_with_params()
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({quoted}) {sql}", params)
        return cursor.rowcount
