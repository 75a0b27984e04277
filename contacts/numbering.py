"""Human-readable numbers (CT000001, SM00001…) handed out by NumberSeries rows."""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, transaction

from contacts.models import NumberSeries


def take_numbers(series_code: str, count: int = 1) -> list[str]:
    """Reserve `count` consecutive numbers of a series and return them formatted."""
    series, first = take_number_range(series_code, count)
    return [series.format(number) for number in range(first, first + count)]


def take_number_range(series_code: str, count: int) -> tuple[NumberSeries, int]:
    """Reserve `count` consecutive numbers; return the series and the first of them.

    For callers that format the numbers in SQL instead of a million in Python.
    """
    with transaction.atomic():
        # The row lock makes concurrent requests queue for the counter instead of
        # handing out the same number twice.
        series = NumberSeries.objects.select_for_update().get(code=series_code)
        first = series.last_number + 1
        series.last_number += count
        series.save(update_fields=["last_number"])
    return series, first


def ensure_number_series(
    code: str, *, prefix: str, width: int, using: str, apps=global_apps
) -> None:
    """Make a number series if it is missing; an existing one keeps its counter."""
    try:
        series = apps.get_model("contacts", "NumberSeries")
    except LookupError:  # contacts is not migrated (yet)
        return
    series.objects.using(using).get_or_create(
        code=code, defaults={"prefix": prefix, "width": width}
    )


def create_contact_number_series(
    sender=None, *, using: str = DEFAULT_DB_ALIAS, apps=global_apps, **kwargs
) -> None:
    """post_migrate: the series of contact numbers, CT000001 onwards."""
    ensure_number_series("contact", prefix="CT", width=6, using=using, apps=apps)
