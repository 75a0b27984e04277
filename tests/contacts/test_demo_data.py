import re

import factory.random
import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from faker import Faker

from contacts.models import Contact, IndustryGroup, NumberSeries, Salesperson
from tests.factories import SalespersonFactory

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


def test_the_demo_login_is_only_for_the_local_sqlite_database(settings):
    settings.DEBUG = True
    if connection.vendor == "sqlite":
        call_command("load_demo_data", if_empty=True, demo_login=True, verbosity=0)
        # django-axes counts logins per address, so authenticating needs a request.
        request = RequestFactory().post(reverse("login"))
        user = authenticate(request, username="demo", password="demo")
        assert user is not None
        assert user.is_staff
        assert user.groups.filter(name="Marketing admin").exists()
    else:
        with pytest.raises(CommandError, match="only for the local SQLite"):
            call_command("load_demo_data", demo_login=True, verbosity=0)


def test_the_demo_login_is_refused_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="with DEBUG on"):
        call_command("load_demo_data", if_empty=True, demo_login=True, verbosity=0)

    assert not get_user_model().objects.filter(username="demo").exists()


CONTACT_VALUES = [
    "type",
    "name",
    "company__name",
    "address",
    "post_code",
    "city",
    "country",
    "email",
    "phone",
    "language",
    "correspondence_type",
    "salesperson__code",
    "exclude_from_segments",
    "privacy_blocked",
]
EMAIL = CONTACT_VALUES.index("email")


def _contacts_after(pk: int) -> list[tuple]:
    rows = Contact.objects.filter(pk__gt=pk).order_by("pk").values_list(*CONTACT_VALUES)
    # Generated e-mails end in the contact's id, to be unique across loads.
    return [
        (*row[:EMAIL], re.sub(r"\.\d+@", "@", row[EMAIL]), *row[EMAIL + 1 :])
        for row in rows
    ]


@pytest.mark.parametrize("contacts", [None, 300])
def test_two_loads_with_the_same_seed_give_the_same_contacts(contacts):
    call_command("load_demo_data", contacts=contacts, seed=7, verbosity=0)
    first = _contacts_after(0)
    # Other users of Faker in between must not change the second load.
    Faker().name()
    last_pk = Contact.objects.order_by("pk").last().pk

    call_command("load_demo_data", contacts=contacts, seed=7, verbosity=0)

    assert len(first) > 100
    assert _contacts_after(last_pk) == first


def test_another_seed_gives_other_contacts():
    call_command("load_demo_data", seed=7, verbosity=0)
    first = _contacts_after(0)
    last_pk = Contact.objects.order_by("pk").last().pk

    call_command("load_demo_data", seed=8, verbosity=0)

    assert _contacts_after(last_pk) != first


def test_loading_demo_data_leaves_the_random_values_of_factories_alone():
    state = factory.random.get_random_state()
    expected = [SalespersonFactory.build().name for _ in range(3)]
    factory.random.set_random_state(state)

    call_command("load_demo_data", verbosity=0)

    assert [SalespersonFactory.build().name for _ in range(3)] == expected
