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
