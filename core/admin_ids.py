"""Django admin that takes any id from a request without a 500.

The admin's own forms and list filters hand an id from the request to the database
as it is. A 30-digit id then fails on SQLite with an OverflowError ("Python int too
large to convert to SQLite INTEGER"); Django's own range check covers only plain
integer lookups, not lookups through a relation. Every ModelAdmin and inline of ours
uses these classes: a foreign key or many-to-many field refuses such an id as an
invalid choice, and a list filter on one redirects to the unfiltered list with the
admin's "invalid lookup" flag, as for any other bad filter.
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist
from django.db.models import IntegerField
from django.db.models.constants import LOOKUP_SEP

from core.ids import MAX_ID, IdChoiceField, IdMultipleChoiceField


class IdsAdminMixin:
    """Ids from the request are checked before they reach the database."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if _has_integer_target(db_field):
            kwargs.setdefault("form_class", IdChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if _has_integer_target(db_field):
            kwargs.setdefault("form_class", IdMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def lookup_allowed(self, lookup, value, request=None):
        if _is_integer_lookup(self.model, lookup) and any(
            _out_of_range(item) for item in str(value).split(",")
        ):
            raise IncorrectLookupParameters(lookup)
        return super().lookup_allowed(lookup, value, request)


class IdsModelAdmin(IdsAdminMixin, admin.ModelAdmin):
    pass


class IdsTabularInline(IdsAdminMixin, admin.TabularInline):
    pass


class IdsStackedInline(IdsAdminMixin, admin.StackedInline):
    pass


def _has_integer_target(field) -> bool:
    return isinstance(field.target_field, IntegerField)


def _is_integer_lookup(model, lookup: str) -> bool:
    """Whether a list filter's lookup compares an integer column (an id) with its value."""
    path = lookup.split(LOOKUP_SEP)
    for end in (len(path), len(path) - 1):
        try:
            fields = get_fields_from_path(model, LOOKUP_SEP.join(path[:end]))
        except (FieldDoesNotExist, NotRelationField):
            continue
        last = fields[-1]
        target = last.target_field if last.is_relation else last
        return isinstance(target, IntegerField)
    return False


def _out_of_range(text: str) -> bool:
    digits = text.strip().removeprefix("-")
    return digits.isascii() and digits.isdigit() and int(digits) > MAX_ID
