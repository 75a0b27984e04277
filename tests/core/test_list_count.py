"""The contact list's total: exact when small, capped when filtered, estimated
(PostgreSQL) when unfiltered, and always said so on the page."""

import pytest
from django.db import connection
from django.urls import reverse

from core import keyset
from tests.factories import ContactFactory, MailingGroupFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("contacts:contact_list")


@pytest.fixture
def viewer(client):
    client.force_login(UserFactory(is_superuser=True))
    return client


@pytest.fixture
def five_contacts():
    return ContactFactory.create_batch(5, name="Eva Berg", city="Lund")


def _paginator(response):
    return response.context["page_obj"].paginator


def test_a_small_list_is_counted_exactly(viewer, five_contacts):
    response = viewer.get(LIST_URL, {"q": "berg"})
    paginator = _paginator(response)
    assert (paginator.count, paginator.capped, paginator.estimated) == (5, False, False)
    assert "5 contacts" in response.content.decode()


def test_a_filtered_list_above_the_cap_says_more_than(
    viewer, five_contacts, monkeypatch
):
    monkeypatch.setattr(keyset, "COUNT_CAP", 3)
    response = viewer.get(LIST_URL, {"q": "berg", "per_page": "25"})
    paginator = _paginator(response)
    assert (paginator.count, paginator.capped) == (3, True)
    page = response.content.decode()
    assert "more than 3 contacts" in page
    # Every matching contact is still listed and exported: only the count stops.
    assert len(response.context["page_obj"]) == 5


def test_a_filtered_list_at_the_cap_is_exact(viewer, five_contacts, monkeypatch):
    monkeypatch.setattr(keyset, "COUNT_CAP", 5)
    paginator = _paginator(viewer.get(LIST_URL, {"q": "berg"}))
    assert (paginator.count, paginator.capped) == (5, False)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the estimate is PostgreSQL's"
)
def test_the_unfiltered_list_shows_postgresqls_estimate(
    viewer, five_contacts, monkeypatch
):
    monkeypatch.setattr(keyset, "COUNT_CAP", 3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE contacts_contact")
    response = viewer.get(LIST_URL)
    paginator = _paginator(response)
    assert (paginator.count, paginator.estimated) == (5, True)
    assert "about 5 contacts" in response.content.decode()


def test_without_an_estimate_the_unfiltered_list_is_counted(viewer, five_contacts):
    paginator = _paginator(viewer.get(LIST_URL))
    assert (paginator.count, paginator.estimated) == (5, False)


def test_the_unfiltered_panel_shows_a_new_choice_at_once(viewer):
    """The filter panel of the unfiltered list is cached, keyed on its choices."""
    viewer.get(LIST_URL)
    MailingGroupFactory(code="JUSTADDED")
    assert "JUSTADDED" in viewer.get(LIST_URL).content.decode()


def test_a_filtered_panel_shows_what_was_asked(viewer, five_contacts):
    viewer.get(LIST_URL)
    page = viewer.get(LIST_URL, {"q": "berg", "city": "Lund"}).content.decode()
    assert 'value="berg"' in page
    assert 'value="Lund"' in page
