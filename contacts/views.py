from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.generic import CreateView, UpdateView

from contacts.fields import CONTACT_FIELDS
from contacts.forms import ContactForm
from contacts.models import Contact
from contacts.services import create_contact, delete_contact, update_contact

SEARCH_RESULTS = 20


class ContactCreateView(PermissionRequiredMixin, CreateView):
    permission_required = "contacts.add_contact"
    raise_exception = True
    model = Contact
    form_class = ContactForm

    def form_valid(self, form):
        self.object = create_contact(
            fields=_contact_fields(form), user=self.request.user
        )
        messages.success(
            self.request, _("Contact %(contact)s created.") % {"contact": self.object}
        )
        return redirect(self.object)


class ContactUpdateView(PermissionRequiredMixin, UpdateView):
    permission_required = "contacts.change_contact"
    raise_exception = True
    model = Contact
    form_class = ContactForm

    def form_valid(self, form):
        update_contact(
            self.object, fields=_contact_fields(form), user=self.request.user
        )
        messages.success(
            self.request, _("Contact %(contact)s saved.") % {"contact": self.object}
        )
        return redirect(self.object)


def _contact_fields(form: ContactForm) -> dict:
    return {name: form.cleaned_data[name] for name in CONTACT_FIELDS}


@permission_required("contacts.delete_contact", raise_exception=True)
def contact_delete(request, pk):
    """Ask before deleting; refuse with the reason while something still uses the contact."""
    contact = get_object_or_404(Contact, pk=pk)
    if request.method == "POST":
        try:
            delete_contact(contact, user=request.user)
        except ValidationError as error:
            messages.error(request, error.message)
            return redirect(contact)
        messages.success(
            request, _("Contact %(contact)s deleted.") % {"contact": contact}
        )
        return redirect("contacts:contact_list")
    return render(request, "contacts/contact_confirm_delete.html", {"object": contact})


@permission_required("contacts.view_contact", raise_exception=True)
def contact_search(request):
    """JSON for the contact pickers: the first matches by number or name."""
    term = request.GET.get("q", "").strip()
    contacts = Contact.objects.order_by("name", "number")
    if request.GET.get("type") in Contact.Type.values:
        contacts = contacts.filter(type=request.GET["type"])
    if "\x00" in term:
        # No text holds a NUL, and PostgreSQL refuses one in a query.
        contacts = contacts.none()
    elif term:
        contacts = contacts.filter(
            Q(number__istartswith=term) | Q(name__unicode_icontains=term)
        )
    results = [
        {"id": contact.pk, "text": str(contact)}
        for contact in contacts.only("pk", "number", "name")[:SEARCH_RESULTS]
    ]
    return JsonResponse({"results": results})
