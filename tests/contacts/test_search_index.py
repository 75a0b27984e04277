"""The contact search: the same contacts on SQLite and PostgreSQL, whatever the case
and the alphabet, and on PostgreSQL found through the trigram indexes."""

import pytest
from django.db import connection
from django.urls import reverse

from contacts.filters import search_condition
from contacts.models import Contact
from interactions.filters import LoggedSegmentFilter
from interactions.models import LoggedSegment
from segmentation.criteria import matching_contacts
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    LoggedSegmentFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's"
)

CONTACT_INDEXES = {
    "contact_number_trgm",
    "contact_name_trgm",
    "contact_city_trgm",
    "contact_email_trgm",
}
LOGGED_SEGMENT_INDEXES = {"loggedsegment_number_trgm", "loggedsegment_description_trgm"}


@pytest.fixture
def contacts():
    """One contact per searched field holding a word no other field holds."""
    company = CompanyFactory(name="Åkerlund Ženy AB", city="Lund", email="")
    return {
        "company": company,
        "its person": PersonFactory(
            company=company, name="Eva Nilsson", city="Malmö", email=""
        ),
        "name": ContactFactory(name="ŽOFIE Bergström", city="Brno", email=""),
        "city": ContactFactory(name="Jan Novák", city="Örebro", email=""),
        "email": ContactFactory(name="Karl Holm", city="Visby", email="kh@fjäll.se"),
        "nobody": ContactFactory(name="Per Ek", city="Ystad", email="per@ek.se"),
    }


def _found(term: str) -> set[int]:
    return set(
        Contact.objects.filter(search_condition(term)).values_list("pk", flat=True)
    )


def _ids(contacts, *keys) -> set[int]:
    return {contacts[key].pk for key in keys}


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        # The company's name finds the company and its persons.
        ("åkerlund", ["company", "its person"]),
        ("ÅKERLUND", ["company", "its person"]),
        ("ženy", ["company", "its person"]),
        ("ŽENY", ["company", "its person"]),
        ("žofie", ["name"]),
        ("BERGSTRÖM", ["name"]),
        ("örebro", ["city"]),
        ("malmÖ", ["its person"]),
        ("FJÄLL", ["email"]),
        ("zzz-nothing", []),
    ],
)
def test_search_folds_case_beyond_ascii_on_every_database(contacts, term, expected):
    assert _found(term) == _ids(contacts, *expected)


def test_search_finds_a_contact_by_its_number(contacts):
    number = contacts["city"].number
    assert _found(number.lower()) == {contacts["city"].pk}


def test_search_takes_percent_and_underscore_literally(contacts):
    ContactFactory(name="100% Ek_ström", city="Umeå", email="")
    assert {c.name for c in Contact.objects.filter(search_condition("0% e"))} == {
        "100% Ek_ström"
    }
    assert _found("k_s") == set(
        Contact.objects.filter(name="100% Ek_ström").values_list("pk", flat=True)
    )


def test_the_list_and_the_criteria_search_alike(client, contacts):
    client.force_login(UserFactory(is_superuser=True))
    page = client.get(reverse("contacts:contact_list"), {"q": "ženy"})
    assert {contact.pk for contact in page.context["page_obj"]} == _ids(
        contacts, "company", "its person"
    )
    assert set(matching_contacts({"q": ["ÅKERLUND ženy"]})) == {
        contacts["company"],
        contacts["its person"],
    }


def test_the_picker_search_folds_case_beyond_ascii(client, contacts):
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(reverse("contacts:contact_search"), {"q": "žofie"})
    assert [row["id"] for row in response.json()["results"]] == [contacts["name"].pk]


def test_logged_segment_search_folds_case_beyond_ascii():
    wanted = LoggedSegmentFactory(description="Jarní kampaň ŽIVĚ")
    LoggedSegmentFactory(description="Spring campaign")
    found = LoggedSegmentFilter({"q": "živě"}, LoggedSegment.objects.all()).qs
    assert list(found) == [wanted]


def _index_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])
        return {row[0] for row in cursor.fetchall()}


def _plan(queryset) -> str:
    """The plan PostgreSQL chooses when reading the whole table is ruled out; on a
    test's few rows it would rather read them all, which proves nothing."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.order_by().explain()


@postgresql_only
def test_the_trigram_indexes_exist():
    assert _index_names("contacts_contact") >= CONTACT_INDEXES
    assert _index_names("interactions_loggedsegment") >= LOGGED_SEGMENT_INDEXES


@postgresql_only
def test_the_contact_search_is_a_bitmap_or_of_index_scans(contacts):
    plan = _plan(Contact.objects.filter(search_condition("berg")))
    assert "BitmapOr" in plan
    for index in CONTACT_INDEXES:
        assert f"Bitmap Index Scan on {index}" in plan
    # The company-name part: its companies first, then their persons by company.
    assert "contacts_contact_company_id" in plan
    assert "Seq Scan" not in plan


@postgresql_only
def test_the_logged_segment_search_uses_its_indexes():
    LoggedSegmentFactory(description="Spring campaign")
    plan = _plan(LoggedSegmentFilter({"q": "spring"}, LoggedSegment.objects.all()).qs)
    for index in LOGGED_SEGMENT_INDEXES:
        assert f"Bitmap Index Scan on {index}" in plan
    assert "Seq Scan" not in plan
