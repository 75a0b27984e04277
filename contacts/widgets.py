"""Form widgets that never load a whole table into the page."""

from django import forms
from django.urls import reverse_lazy

from core.ids import is_id


class ContactPicker(forms.Select):
    """A select that renders only the chosen contacts; Tom Select searches the rest.

    The options come from the contact search endpoint as the user types, so a
    form with a company field stays small with a million contacts.
    """

    # What it renders depends on the value alone (core/filter_panel.py).
    lists_choices = False

    def __init__(self, *, contact_type: str = "", attrs=None):
        super().__init__(attrs)
        self.contact_type = contact_type

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        url = reverse_lazy("contacts:contact_search")
        if self.contact_type:
            url = f"{url}?type={self.contact_type}"
        context["widget"]["attrs"]["data-autocomplete-url"] = url
        return context

    def optgroups(self, name, value, attrs=None):
        # The value comes back from the request as typed: only ids are looked up.
        selected = {str(item) for item in value if is_id(item)}
        chosen = self.choices.queryset.filter(pk__in=selected) if selected else []
        options = (
            []
            if self.allow_multiple_selected
            else [self.create_option(name, "", "", not selected, 0)]
        )
        options += [
            self.create_option(name, str(contact.pk), str(contact), True, index)
            for index, contact in enumerate(chosen, start=1)
        ]
        return [(None, options, 0)]


class ContactsPicker(ContactPicker, forms.SelectMultiple):
    """ContactPicker for several contacts at once."""
