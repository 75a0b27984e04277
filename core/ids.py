"""Ids from a request: form fields and filters that refuse what is not a row id.

Django turns `?contact=abc` into "Select a valid choice", but a list of ids
(`pk__in`) or a number filter passes a 30-digit id on to the database, where SQLite
fails with an OverflowError and PostgreSQL with "bigint out of range". These
fields check every id before any query, so it ends as a message on the form.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# The largest id a BigAutoField holds, on every database.
MAX_ID = 2**63 - 1
MAX_ID_DIGITS = len(str(MAX_ID))


def is_id(value) -> bool:
    """Whether a value from a request can be a row's id (a whole number in range)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return 1 <= value <= MAX_ID
    text = str(value).strip()
    return (
        0 < len(text) <= MAX_ID_DIGITS
        and text.isascii()
        and text.isdigit()
        and 1 <= int(text) <= MAX_ID
    )


class _IdChoices:
    """For model choice fields that pick rows by id: check the ids before querying."""

    def to_python(self, value):
        if self._is_bad_id(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)

    def _check_values(self, value):
        for item in value:
            if self._is_bad_id(item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)

    def bound_data(self, data, initial):
        # A form shown again with its errors does not look the bad ids up either
        # (the admin's autocomplete widget queries the ones it shows).
        data = super().bound_data(data, initial)
        if isinstance(data, list | tuple):
            return [item for item in data if not self._is_bad_id(item)]
        return None if self._is_bad_id(data) else data

    def _is_bad_id(self, value) -> bool:
        options = self.queryset.model._meta
        key = (
            options.get_field(self.to_field_name) if self.to_field_name else options.pk
        )
        return (
            isinstance(key, models.IntegerField)
            and value not in self.empty_values
            and not isinstance(value, self.queryset.model)
            and not is_id(value)
        )


class IdChoiceField(_IdChoices, forms.ModelChoiceField):
    """A ModelChoiceField that refuses anything but an id in range."""


class IdMultipleChoiceField(_IdChoices, forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses anything but ids in range."""


class _FilterIdChoiceField(_IdChoices, django_filters.fields.ModelChoiceField):
    pass


class _FilterIdMultipleChoiceField(
    _IdChoices, django_filters.fields.ModelMultipleChoiceField
):
    pass


class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """A ModelChoiceFilter whose value must be an id in range."""

    field_class = _FilterIdChoiceField


class IdMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """A ModelMultipleChoiceFilter whose values must be ids in range."""

    field_class = _FilterIdMultipleChoiceField


class SelectedIdsField(forms.Field):
    """The primary keys of the rows ticked in a list (checkboxes named alike)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Select at least one row."),
        "invalid": _("The selection is not valid; reload the page and try again."),
    }

    def to_python(self, value):
        if not all(is_id(item) for item in value or []):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return sorted({int(item) for item in value or []})
