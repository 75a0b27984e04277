import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import connection

from contacts.models import Contact, IndustryGroup, NumberSeries, Salesperson

pytestmark = pytest.mark.django_db


def test_it_creates_companies_with_their_persons_in_four_languages():
    call_command("load_demo_data", verbosity=0)

    companies = Contact.objects.filter(type=Contact.Type.COMPANY)
    persons = Contact.objects.filter(type=Contact.Type.PERSON)
    assert 200 <= Contact.objects.count() <= 500
    assert companies.exists()
    assert persons.filter(company__isnull=False).exists()
    assert persons.filter(company__isnull=True).exists()
    assert (
        not persons.exclude(company__isnull=True)
        .exclude(company__type="company")
        .exists()
    )
    assert set(Contact.objects.values_list("language", flat=True)) == {
        "en",
        "sv",
        "fr",
        "cs",
    }
    assert Salesperson.objects.exists()


def test_industry_groups_are_set_on_companies_only():
    call_command("load_demo_data", verbosity=0)

    assert Contact.objects.filter(
        type="company", industry_groups__isnull=False
    ).exists()
    assert not Contact.objects.filter(
        type="person", industry_groups__isnull=False
    ).exists()
    assert IndustryGroup.objects.exists()


def test_running_it_twice_adds_contacts_without_failing():
    call_command("load_demo_data", verbosity=0)
    first_count = Contact.objects.count()

    call_command("load_demo_data", verbosity=0)

    assert Contact.objects.count() > first_count


def test_if_empty_leaves_a_database_with_contacts_alone():
    call_command("load_demo_data", verbosity=0)
    count = Contact.objects.count()

    call_command("load_demo_data", if_empty=True, verbosity=0)

    assert Contact.objects.count() == count


def test_it_generates_the_requested_number_of_contacts_set_based():
    series = NumberSeries.objects.get(code="contact")
    before = series.last_number

    call_command("load_demo_data", contacts=2000, verbosity=0)

    series.refresh_from_db()
    assert Contact.objects.count() == 2000
    assert series.last_number == before + 2000
    assert Contact.objects.filter(number__startswith="CT").count() == 2000
    persons = Contact.objects.filter(type="person")
    assert persons.filter(company__type="company").count() == persons.count()
    assert Contact.objects.filter(mailing_groups__isnull=False).exists()
    assert Contact.objects.filter(
        type="company", industry_groups__isnull=False
    ).exists()


def test_generated_contacts_can_still_be_created_one_by_one_afterwards():
    call_command("load_demo_data", contacts=100, verbosity=0)

    Contact.objects.create(number="CT999999", name="After the bulk load")

    assert Contact.objects.count() == 101


def test_the_demo_login_is_only_for_the_local_sqlite_database():
    if connection.vendor == "sqlite":
        call_command("load_demo_data", if_empty=True, demo_login=True, verbosity=0)
        user = authenticate(username="demo", password="demo")
        assert user is not None
        assert user.is_staff
        assert user.groups.filter(name="Marketing admin").exists()
    else:
        with pytest.raises(CommandError, match="only for the local SQLite"):
            call_command("load_demo_data", demo_login=True, verbosity=0)
