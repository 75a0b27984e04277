"""Segment numbers, SM00001 onwards: their series is made after every migrate."""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

from contacts.numbering import ensure_number_series


def create_segment_number_series(
    sender=None, *, using: str = DEFAULT_DB_ALIAS, apps=global_apps, **kwargs
) -> None:
    """post_migrate: the series of segment numbers (a logged segment keeps its number)."""
    ensure_number_series("segment", prefix="SM", width=5, using=using, apps=apps)
