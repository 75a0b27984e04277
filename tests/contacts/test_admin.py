import pytest
from django.urls import reverse

from contacts.models import Contact
from tests.factories import ContactFactory, MailingGroupFactory

pytestmark = pytest.mark.django_db


def test_a_marketing_admin_maintains_reference_data_in_django_admin(
    admin_client_for_marketing,
):
    response = admin_client_for_marketing.post(
        reverse("admin:contacts_mailinggroup_add"),
        {"code": "NEWSLETTER", "description": "Monthly newsletter"},
    )

    assert response.status_code == 302
    assert (
        admin_client_for_marketing.get(
            reverse("admin:contacts_mailinggroup_changelist"), {"q": "news"}
        ).status_code
        == 200
    )


def test_marketing_staff_cannot_reach_django_admin(marketing_client):
    response = marketing_client.get(reverse("admin:contacts_mailinggroup_changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def test_a_contact_added_in_admin_gets_a_number(admin_client):
    admin_client.post(
        reverse("admin:contacts_contact_add"),
        {"type": "company", "name": "Admin Made AB", "correspondence_type": ""},
    )

    assert Contact.objects.get(name="Admin Made AB").number.startswith("CT")


def test_the_admin_contact_list_searches_and_filters(admin_client):
    group = MailingGroupFactory()
    contact = ContactFactory(name="Findable Person")
    contact.mailing_groups.add(group)

    response = admin_client.get(
        reverse("admin:contacts_contact_changelist"),
        {"q": "findable", "mailing_groups__id__exact": group.pk},
    )

    assert list(response.context["cl"].result_list) == [contact]
