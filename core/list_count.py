"""A paginator for lists of up to millions of rows: the total is estimated or capped.

`count(*)` must read every row it counts. At a million contacts the unfiltered
list's count alone took longer than the rest of the page, and a search matching
80,000 contacts (8 %) reads nearly the whole table to count them, index or not.
So:

- the unfiltered list shows PostgreSQL's own estimate of the table's rows
  (`pg_class.reltuples`, kept by ANALYZE and autovacuum), labelled "about";
- a filtered list counts at most `CAP` + 1 rows and shows "more than CAP" past
  that: the page needs no more to be exact up to CAP, and above it the user
  narrows the search or exports the list (which has every row).

Small tables and SQLite are counted exactly: there the count is cheap.
"""

from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property

CAP = 10_000


class ListPaginator(Paginator):
    """A Paginator whose `count` is estimated (unfiltered) or capped (filtered).

    `estimated` / `capped` tell the template which one the count is.
    """

    def __init__(self, object_list, per_page, *, filtered: bool, **options):
        super().__init__(object_list, per_page, **options)
        self.filtered = filtered
        self.estimated = False
        self.capped = False

    @cached_property
    def count(self) -> int:
        if not self.filtered:
            rows = estimated_rows(self.object_list.model._meta.db_table)
            if rows is not None and rows > CAP:
                self.estimated = True
                return rows
        counted = self.object_list.order_by()[: CAP + 1].count()
        if counted > CAP:
            self.capped = True
            return CAP
        return counted

    def page(self, number):
        """Paginator.page, but a page is cut at `per_page` rows, never at an
        estimated or capped count (the last page of 10,000 is not the last row)."""
        number = self.validate_number(number)
        if not (self.estimated or self.capped):
            return super().page(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(
            self.object_list[bottom : bottom + self.per_page], number, self
        )


def estimated_rows(table: str) -> int | None:
    """PostgreSQL's estimate of a table's rows; None elsewhere or if never analysed."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table]
        )
        row = cursor.fetchone()
    # -1: never vacuumed or analysed (PostgreSQL 14 and later).
    return int(row[0]) if row and row[0] >= 0 else None
