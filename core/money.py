"""Money is Decimal with two places, also after the database has summed it.

SQLite returns a sum of decimals as a float (451.199999999997), so every
aggregate of a cost goes through `money` before anyone shows or adds it.
"""

from decimal import Decimal

CENT = Decimal("0.01")


def money(value: Decimal | float | int | None) -> Decimal:
    """`value` rounded to cents; None (a sum over no rows) is 0.00."""
    return Decimal(str(value or 0)).quantize(CENT)
