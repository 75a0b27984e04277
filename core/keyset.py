"""Keyset ("seek") pagination: a page a million rows deep costs what the first page costs.

OFFSET makes the database read and throw away every row before the page. A keyset
page instead starts where the previous one ended: `WHERE (date, id) < (…, …)
ORDER BY date DESC, id DESC LIMIT 51`, one index range scan however deep. The
links carry the key of the page's last (Next) or first (Previous) row as a
cursor in the query string; the key must be unique (end it with the primary
key) and have an index in the same column order.

Totals over big tables: counting a million rows costs as much as reading them,
so `row_total` gives PostgreSQL's estimate for a whole table and stops counting
a filtered list at `COUNT_CAP`.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import (
    Tuple,
    TupleGreaterThan,
    TupleGreaterThanOrEqual,
    TupleLessThan,
    TupleLessThanOrEqual,
)
from django.utils.translation import gettext as _

# Between the values of a cursor: no date, number or code contains it.
CURSOR_SEPARATOR = "_"
# A filtered list counts its rows up to here and then says "more than".
COUNT_CAP = 10_000


class InvalidCursor(ValueError):
    """A cursor in the query string that is not a key of this list (edited by hand)."""


@dataclass(frozen=True)
class KeyOrder:
    """The unique order of a keyset list: field names, all ascending or all descending.

    One direction for every field, so `(a, b) < (x, y)` is the whole seek and a
    B-tree index on (a, b) serves it, read forwards or backwards.
    """

    fields: tuple[str, ...]
    descending: bool = False

    def order_by(self, *, reverse: bool = False) -> list[str]:
        prefix = "-" if self.descending != reverse else ""
        return [prefix + name for name in self.fields]

    def seek(self, key: tuple, *, forward: bool, inclusive: bool = False):
        """The condition for rows after `key` (forward) or before it, in list order."""
        later = forward != self.descending
        lookup = {
            (True, False): TupleGreaterThan,
            (True, True): TupleGreaterThanOrEqual,
            (False, False): TupleLessThan,
            (False, True): TupleLessThanOrEqual,
        }[(later, inclusive)]
        return lookup(Tuple(*(F(name) for name in self.fields)), key)

    def key_of(self, row) -> tuple:
        return tuple(_value(row, name) for name in self.fields)

    def cursor(self, row) -> str:
        return CURSOR_SEPARATOR.join(str(value) for value in self.key_of(row))

    def parse(self, model, cursor: str) -> tuple:
        """The key a cursor stands for; InvalidCursor if it is not one."""
        parts = cursor.split(CURSOR_SEPARATOR)
        if len(parts) != len(self.fields):
            raise InvalidCursor(cursor)
        key = []
        for name, text in zip(self.fields, parts, strict=True):
            field = model._meta.pk if name == "pk" else model._meta.get_field(name)
            try:
                value = field.to_python(text)
                field.run_validators(value)
            except (ValidationError, ValueError, OverflowError) as error:
                raise InvalidCursor(cursor) from error
            if value is None:
                raise InvalidCursor(cursor)
            key.append(value)
        return tuple(key)


@dataclass
class KeysetPage:
    """One page of a keyset list, with the cursors its links carry."""

    object_list: list
    next_cursor: str | None
    previous_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def __iter__(self) -> Iterator:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def keyset_page(
    queryset: QuerySet,
    order: KeyOrder,
    *,
    size: int,
    after: tuple | None = None,
    before: tuple | None = None,
    start: tuple | None = None,
    last: bool = False,
) -> KeysetPage:
    """The page after a key, before it, from it (jump; inclusive), the last or the first.

    Two queries at most: the page's rows (one more than `size`, to know whether
    there is more in that direction) and, for a page that did not start at an
    end, whether anything lies the other way.
    """
    backwards = before is not None or last
    rows = queryset.order_by(*order.order_by(reverse=backwards))
    if after is not None:
        rows = rows.filter(order.seek(after, forward=True))
    elif before is not None:
        rows = rows.filter(order.seek(before, forward=False))
    elif start is not None:
        rows = rows.filter(order.seek(start, forward=True, inclusive=True))
    rows = list(rows[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    if not rows:
        return KeysetPage([], None, None)
    first, final = order.key_of(rows[0]), order.key_of(rows[-1])
    at_an_end = after is None and before is None and start is None
    if backwards:
        further_on = not last and (
            queryset.filter(order.seek(final, forward=True)).exists()
        )
        earlier, later = more, further_on
    else:
        earlier = not at_an_end and (
            queryset.filter(order.seek(first, forward=False)).exists()
        )
        later = more
    return KeysetPage(
        rows,
        next_cursor=order.cursor(rows[-1]) if later else None,
        previous_cursor=order.cursor(rows[0]) if earlier else None,
    )


@dataclass(frozen=True)
class RowTotal:
    """How many rows a list has: exact, about (an estimate) or more than (capped)."""

    EXACT = "exact"
    ABOUT = "about"
    MORE_THAN = "more_than"

    value: int
    kind: str = EXACT


def row_total(queryset: QuerySet, *, filtered: bool) -> RowTotal:
    """The list's total, cheap at any size.

    A whole table on PostgreSQL: the planner's estimate (pg_class.reltuples, kept
    by ANALYZE and autovacuum), unless it is small enough to count. A filtered
    list: counted up to COUNT_CAP rows. A whole table on SQLite: counted.
    """
    if not filtered and connection.vendor == "postgresql":
        estimate = _estimated_rows(queryset.model._meta.db_table)
        if estimate > COUNT_CAP:
            return RowTotal(estimate, RowTotal.ABOUT)
    if not filtered:
        return RowTotal(queryset.order_by().count())
    counted = queryset.order_by()[: COUNT_CAP + 1].count()
    if counted > COUNT_CAP:
        return RowTotal(COUNT_CAP, RowTotal.MORE_THAN)
    return RowTotal(counted)


# The query string's names for a page's position; a filter form leaves them out.
AFTER, BEFORE, LAST = "after", "before", "last"
POSITION_NAMES = (AFTER, BEFORE, LAST)


def requested_page(
    request,
    queryset: QuerySet,
    order: KeyOrder,
    *,
    size: int,
    start: tuple | None = None,
) -> KeysetPage:
    """The page the request's `after`/`before`/`last` ask for, else from `start`.

    A cursor that is not a key of this list (edited or cut short) gives the
    first page and a message, never an error; one with nothing beyond it gives
    the first page.
    """
    model = queryset.model
    try:
        page = None
        if cursor := request.GET.get(AFTER):
            page = keyset_page(
                queryset, order, size=size, after=order.parse(model, cursor)
            )
        elif cursor := request.GET.get(BEFORE):
            page = keyset_page(
                queryset, order, size=size, before=order.parse(model, cursor)
            )
        # Nothing past a cursor (the rows went since, or the key was made
        # up): the first page rather than an empty one.
        if page is not None:
            return page if page.object_list else keyset_page(queryset, order, size=size)
    except InvalidCursor:
        messages.warning(
            request, _("That page link is not valid any more: here is the first page.")
        )
        return keyset_page(queryset, order, size=size)
    if start is None and request.GET.get(LAST):
        return keyset_page(queryset, order, size=size, last=True)
    return keyset_page(queryset, order, size=size, start=start)


def kept_query(request, *, leave_out=()) -> list[tuple[str, str]]:
    """The query string's pairs but the page position (and `leave_out`): a jump
    form sends them again as hidden fields, so the filters stay."""
    left_out = {*POSITION_NAMES, *leave_out}
    return [
        (name, value)
        for name, values in request.GET.lists()
        if name not in left_out
        for value in values
    ]


def _estimated_rows(table: str) -> int:
    """-1 (never analysed) or the planner's row estimate for the table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table]
        )
        return cursor.fetchone()[0]


def _value(row, name: str):
    if isinstance(row, dict):
        return row[name]
    return getattr(row, name)
