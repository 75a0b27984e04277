"""Free-text search conditions that give the same rows on SQLite and PostgreSQL, and
that PostgreSQL answers from indexes (core.trigram).

- `field__unicode_icontains=term`: Django's `icontains`, case-insensitive beyond
  ASCII on SQLite too. On PostgreSQL it is `icontains` unchanged, the
  `UPPER(field::text) LIKE UPPER('%term%')` the trigram indexes are built on; on
  SQLite, whose `LIKE` folds only A–Z, both sides go through Python's
  `str.upper` (registered per connection by `register_sqlite_functions`), so
  "å" finds "Å" and "Ž" finds "ž" there as well.
- `OneOf(field, queryset)`: `field IN (subquery)` (a field name or an
  expression), written on PostgreSQL as `field = ANY(ARRAY(subquery))`.
  Inside an OR, PostgreSQL can only test an `IN (subquery)` row by row (a
  seq scan of the whole table); the array is computed once, and
  `= ANY(array)` is a condition an index on the field can answer, so an OR of
  indexed conditions becomes a BitmapOr of index scans, and a big IN no
  longer tempts the planner into hashing the whole table.
"""

from django.db.models import CharField, F, TextField
from django.db.models.lookups import IContains, In

SQLITE_UPPER = "unicode_upper"


class UnicodeIContains(IContains):
    """`icontains` that folds case beyond ASCII on SQLite; unchanged elsewhere."""

    lookup_name = "unicode_icontains"

    def as_sql(self, compiler, connection):
        return compiler.compile(IContains(self.lhs, self.rhs))

    def as_sqlite(self, compiler, connection):
        lhs_sql, params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        return (
            f"{SQLITE_UPPER}({lhs_sql}) LIKE {SQLITE_UPPER}({rhs_sql}) ESCAPE '\\'",
            (*params, *rhs_params),
        )


def register_lookups() -> None:
    CharField.register_lookup(UnicodeIContains)
    TextField.register_lookup(UnicodeIContains)


def _upper(value):
    return value.upper() if isinstance(value, str) else value


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """connection_created: give SQLite the Unicode upper-casing `UnicodeIContains` uses."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_UPPER, 1, _upper, deterministic=True
        )


class OneOf(In):
    """`field` is one of the values the queryset selects (see the module docstring)."""

    def __init__(self, field, queryset):
        super().__init__(F(field) if isinstance(field, str) else field, queryset.query)

    def get_rhs_op(self, connection, rhs):
        if connection.vendor == "postgresql":
            return f"= ANY(ARRAY{rhs})"
        return super().get_rhs_op(connection, rhs)
