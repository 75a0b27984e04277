"""A Django Paginator for lists of up to millions of rows: its total is estimated
or capped, as the keyset pages' totals are (core.keyset.row_total).

`count(*)` must read every row it counts. At a million contacts the unfiltered
list's count alone took longer than the rest of the page, and a search matching
80,000 contacts (8 %) reads nearly the whole table to count them, index or not.
So the unfiltered list shows PostgreSQL's estimate ("about"), a filtered list
counts at most COUNT_CAP + 1 rows ("more than" past that); the user narrows the
search or exports the list, which has every row. The contact list keeps page
numbers: its pages stay shallow next to the log's.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from core.keyset import RowTotal, row_total


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
        total = row_total(self.object_list, filtered=self.filtered)
        self.estimated = total.kind == RowTotal.ABOUT
        self.capped = total.kind == RowTotal.MORE_THAN
        return total.value

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
