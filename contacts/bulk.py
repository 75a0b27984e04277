"""Set-based writes of many rows, inside the caller's transaction.

Rows that come from Python (imports, generated data): PostgreSQL gets COPY FROM
STDIN, SQLite one executemany; values must already be in database form. Rows
that come from other tables: one INSERT … SELECT built by the ORM.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from itertools import islice
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet

COPY_CHUNK_ROWS = 50_000
# Rows per read of a streamed COPY: about 100 KB, a few socket buffers' worth.
COPY_STREAM_ROWS = 500


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


def reserve_id_range(model: type[Model], count: int) -> int:
    """Take `count` consecutive primary keys; return the first.

    For rows numbered in SQL (first id + n). On PostgreSQL the table lock keeps
    every other insert (whose id default calls the sequence) waiting until commit,
    so the range stays ours; one statement moves the sequence past it.
    """
    if connection.vendor != "postgresql":
        return reserve_ids(model, 1)[0]  # SQLite's write lock already keeps the rest
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"LOCK TABLE {connection.ops.quote_name(table)} IN SHARE ROW EXCLUSIVE MODE"
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'),"
            " nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
            [table, table, count],
        )
        return cursor.fetchone()[0] - count + 1


@contextmanager
def local_settings(**settings: str) -> Iterator[None]:
    """Run the block with these PostgreSQL settings, then put the old values back."""
    with connection.cursor() as cursor:
        previous = {}
        for name, value in settings.items():
            cursor.execute(
                "SELECT current_setting(%s), set_config(%s, %s, true)",
                [name, name, value],
            )
            previous[name] = cursor.fetchone()[0]
        yield
        for name, value in previous.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


@contextmanager
def indexes_built_afterwards(*models: type[Model]) -> Iterator[None]:
    """On PostgreSQL, drop these tables' secondary indexes, unique constraints and
    foreign keys, and create them again when the block ends.

    For a load that at least doubles a table: one sort per index instead of a
    million inserts into each, and one join per foreign key instead of a deferred
    trigger per row at commit (55 s of a million-contact load). A unique constraint
    comes back only if the rows still satisfy it. Everything runs in the caller's
    transaction, so an error rolls the indexes back with the rows; the tables stay
    locked (ACCESS EXCLUSIVE) until commit. Primary keys stay. SQLite: nothing
    happens.
    """
    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError(
            "indexes_built_afterwards() must run inside transaction.atomic()."
        )
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid)"
            " FROM pg_index WHERE indrelid = ANY(%s::regclass[]) AND NOT EXISTS ("
            "  SELECT 1 FROM pg_constraint WHERE conindid = indexrelid"
            "  AND conrelid = indrelid)",
            [tables],
        )
        indexes = cursor.fetchall()
        # Foreign keys first: they come back last, once the unique keys they may
        # point to are back. A unique key that a foreign key elsewhere points to stays.
        cursor.execute(
            "SELECT conrelid::regclass::text, quote_ident(conname),"
            " pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = ANY(%s::regclass[]) AND (contype = 'f' OR contype = 'u'"
            "  AND NOT EXISTS (SELECT 1 FROM pg_constraint AS referring"
            "  WHERE referring.contype = 'f' AND referring.conindid = pg_constraint.conindid))"
            " ORDER BY contype = 'f' DESC",
            [tables],
        )
        constraints = cursor.fetchall()
        # ALTER TABLE refuses a table with checks still pending from earlier in the
        # transaction (Django's keys are deferred): run those checks now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    # Sorting in memory rather than in temporary files (the default is 64 MB).
    with local_settings(maintenance_work_mem="512MB"), connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in reversed(constraints):
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert rows (tuples in `columns` order) into `table`; return how many.

    On PostgreSQL one COPY reads the rows as they come: whoever makes them (an
    import checking its file, say) works while the server stores the ones before.
    """
    quoted_table = connection.ops.quote_name(table)
    column_list = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return _copy(
                cursor, f"COPY {quoted_table} ({column_list}) FROM STDIN", rows
            )
        iterator = iter(rows)
        total = 0
        placeholders = ", ".join(["%s"] * len(columns))
        while chunk := list(islice(iterator, COPY_CHUNK_ROWS)):
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


def _copy(cursor, statement: str, rows: Iterable[Sequence]) -> int:
    raw_cursor = cursor.cursor
    if hasattr(raw_cursor, "copy"):  # psycopg 3
        total = 0
        with raw_cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                total += 1
        return total
    stream = _CsvStream(rows)
    raw_cursor.copy_expert(f"{statement} WITH (FORMAT csv)", stream)
    return stream.count


class _CsvStream:
    """What psycopg2's COPY reads from: CSV of the next rows each time it asks, so
    the rows are made while the server stores the earlier ones. None stays unquoted
    (NULL) and "" is quoted (empty text)."""

    def __init__(self, rows: Iterable[Sequence]):
        self.rows = iter(rows)
        self.count = 0
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, quoting=csv.QUOTE_NOTNULL)

    def read(self, size: int = -1) -> str:
        self.buffer.seek(0)
        self.buffer.truncate()
        for row in islice(self.rows, COPY_STREAM_ROWS):
            self.writer.writerow(row)
            self.count += 1
        return self.buffer.getvalue()


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
