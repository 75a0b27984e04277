"""A contact import (its file, its rows) is its uploader's, and admins'."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contacts.models import ContactImport
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CSV = b"name;email\nJana Novakova;jana@brnotools.cz\n"


@pytest.fixture
def staff_marketing_user():
    """Mia works in marketing and has staff status, but is no admin."""
    return UserFactory(username="mia", is_staff=True, groups=["Marketing"])


@pytest.fixture
def martas_import(marketing_user):
    return ContactImport.objects.create(
        file=SimpleUploadedFile("customers.csv", CSV),
        original_name="customers.csv",
        uploaded_by=marketing_user,
        row_count=1,
        errors=[[2, "email", "Jana's secret row"]],
    )


def _file_url(contact_import) -> str:
    return reverse("contacts:contact_import_file", args=[contact_import.pk])


def test_the_file_is_stored_under_a_random_folder(martas_import):
    assert re.fullmatch(
        r"contact-imports/[A-Za-z0-9_-]{22}/customers\.csv", martas_import.file.name
    )


def test_the_uploader_and_admins_get_the_file(client, martas_import, marketing_admin):
    for user in [martas_import.uploaded_by, marketing_admin]:
        client.force_login(user)
        response = client.get(_file_url(martas_import))

        assert response.status_code == 200
        assert b"".join(response.streaming_content) == CSV
        assert 'filename="customers.csv"' in response["Content-Disposition"]


def test_nobody_else_gets_the_file(client, martas_import, outsider):
    client.force_login(UserFactory(username="bo", groups=["Marketing"]))
    assert client.get(_file_url(martas_import)).status_code == 404
    client.force_login(outsider)
    assert client.get(_file_url(martas_import)).status_code == 403


def test_staff_marketing_users_see_only_their_own_imports_in_admin(
    client, staff_marketing_user, martas_import
):
    own = ContactImport.objects.create(
        file=SimpleUploadedFile("mine.csv", CSV),
        original_name="mine.csv",
        uploaded_by=staff_marketing_user,
    )
    client.force_login(staff_marketing_user)

    listing = client.get(reverse("admin:contacts_contactimport_changelist"))
    change = client.get(
        reverse("admin:contacts_contactimport_change", args=[martas_import.pk])
    )

    assert list(listing.context["cl"].result_list) == [own]
    assert change.status_code == 302
    assert change.url == reverse("admin:index")
    assert (
        client.get(
            reverse("admin:contacts_contactimport_change", args=[own.pk])
        ).status_code
        == 200
    )


def test_admins_see_every_import_with_a_checked_file_link(
    admin_client_for_marketing, martas_import
):
    listing = admin_client_for_marketing.get(
        reverse("admin:contacts_contactimport_changelist")
    )
    page = admin_client_for_marketing.get(
        reverse("admin:contacts_contactimport_change", args=[martas_import.pk])
    ).content.decode()

    assert list(listing.context["cl"].result_list) == [martas_import]
    assert "Jana&#x27;s secret row" in page
    assert _file_url(martas_import) in page
    assert "/media/" not in page
