"""A form of small controls, for the filter bars above lists."""

from django import forms


class CompactForm(forms.Form):
    """Every field rendered small, selects as Bootstrap selects."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if select
                else "form-control form-control-sm"
            )


class JumpForm(CompactForm):
    """Where a keyset list starts (core/keyset.py): a small GET form beside its pager.

    Its errors are shown in one alert (id ERRORS_ID) that each wrong field
    points to, also for an error the view adds after looking the value up.
    """

    ERRORS_ID = "jump-errors"

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": self.ERRORS_ID}
                )

    @property
    def asked(self) -> bool:
        return any(self.data.get(name) for name in self.fields)
