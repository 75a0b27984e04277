"""Trigram indexes for `icontains` searches, on PostgreSQL only.

Django compiles `field__icontains=term` on PostgreSQL to
`UPPER("table"."field"::text) LIKE UPPER('%term%')`: a B-tree index cannot help
a pattern with a leading `%`, so every search read the whole table. A GIN index
of pg_trgm's `gin_trgm_ops` over exactly that expression can: PostgreSQL finds
the rows holding the pattern's trigrams and checks only those. It must be the
same expression (the `UPPER`, the `::text`), or the planner does not match it.

A `GinIndex` in a model's Meta would make SQLite's migrations fail, so the
migrations create these with `trigram_indexes`, which does nothing on SQLite;
SQLite's `LIKE` stays correct, only not indexed.
"""

from django.db import migrations


def trigram_indexes(
    table: str, columns: dict[str, str], *, where: str = ""
) -> migrations.RunPython:
    """A reversible migration operation: one trigram index per {index name: column},
    over the rows matching the SQL condition `where` if one is given (a partial index)."""
    predicate = f" WHERE {where}" if where else ""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        # pg_trgm is a trusted extension: the database's owner may create it.
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, column in columns.items():
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
                f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops){predicate}'
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        # The extension stays: other indexes (or other databases' users) may need it.
        for name in columns:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return migrations.RunPython(create, drop, elidable=False)
