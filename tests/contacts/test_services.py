"""create_contact / update_contact: the contact pages and Django admin write through them."""

import pytest
from django.urls import reverse

from contacts.models import Contact
from contacts.services import create_contact, update_contact
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    MailingGroupFactory,
    PersonFactory,
    SalespersonFactory,
)

pytestmark = pytest.mark.django_db


def test_update_contact_sets_fields_and_replaces_groups(marketing_user):
    contact = ContactFactory(name="Old", mailing_groups=[MailingGroupFactory()])
    newsletter = MailingGroupFactory(code="NEWSLETTER")

    update_contact(
        contact,
        fields={"name": "New", "city": "Brno", "mailing_groups": [newsletter]},
        user=marketing_user,
    )

    contact.refresh_from_db()
    assert (contact.name, contact.city) == ("New", "Brno")
    assert list(contact.mailing_groups.all()) == [newsletter]


def test_update_contact_refuses_what_is_not_a_contact_field(marketing_user):
    contact = ContactFactory(name="Kept")

    with pytest.raises(ValueError, match="number"):
        update_contact(
            contact, fields={"name": "Changed", "number": "X1"}, user=marketing_user
        )

    contact.refresh_from_db()
    assert contact.name == "Kept"


def test_create_contact_numbers_it_and_sets_its_groups(marketing_user):
    newsletter = MailingGroupFactory()

    contact = create_contact(
        fields={"type": "person", "name": "Ann", "mailing_groups": [newsletter]},
        user=marketing_user,
    )

    assert contact.number.startswith("CT")
    assert list(Contact.objects.get(pk=contact.pk).mailing_groups.all()) == [newsletter]


def test_the_edit_page_saves_fields_and_groups(marketing_client):
    person = PersonFactory(name="Old", mailing_groups=[MailingGroupFactory()])
    newsletter = MailingGroupFactory()
    company = CompanyFactory()

    response = marketing_client.post(
        reverse("contacts:contact_update", args=[person.pk]),
        {
            "type": "person",
            "name": "New",
            "company": company.pk,
            "mailing_groups": [newsletter.pk],
        },
    )

    assert response.url == person.get_absolute_url()
    person.refresh_from_db()
    assert (person.name, person.company) == ("New", company)
    assert list(person.mailing_groups.all()) == [newsletter]


def test_the_admin_change_form_saves_fields_and_groups(admin_client):
    contact = ContactFactory(name="Old", mailing_groups=[MailingGroupFactory()])
    newsletter = MailingGroupFactory()
    salesperson = SalespersonFactory()

    response = admin_client.post(
        reverse("admin:contacts_contact_change", args=[contact.pk]),
        {
            "type": "person",
            "name": "From admin",
            "correspondence_type": "",
            "salesperson": salesperson.pk,
            "mailing_groups": [newsletter.pk],
        },
    )

    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.salesperson) == ("From admin", salesperson)
    assert list(contact.mailing_groups.all()) == [newsletter]


def test_the_admin_add_form_creates_with_groups_and_a_history_entry(admin_client):
    newsletter = MailingGroupFactory()

    response = admin_client.post(
        reverse("admin:contacts_contact_add"),
        {
            "type": "company",
            "name": "Admin AB",
            "correspondence_type": "",
            "mailing_groups": [newsletter.pk],
        },
    )

    contact = Contact.objects.get(name="Admin AB")
    assert response.url == reverse("admin:contacts_contact_changelist")
    assert list(contact.mailing_groups.all()) == [newsletter]
    history = admin_client.get(
        reverse("admin:contacts_contact_history", args=[contact.pk])
    )
    assert "Added." in history.content.decode()
