"""Human-readable numbers (CT000001, SM00001…) handed out by NumberSeries rows."""

from django.db import transaction

from contacts.models import NumberSeries


def take_numbers(series_code: str, count: int = 1) -> list[str]:
    """Reserve `count` consecutive numbers of a series and return them formatted."""
    with transaction.atomic():
        # The row lock makes concurrent requests queue for the counter instead of
        # handing out the same number twice.
        series = NumberSeries.objects.select_for_update().get(code=series_code)
        first = series.last_number + 1
        series.last_number += count
        series.save(update_fields=["last_number"])
    return [series.format(number) for number in range(first, first + count)]
