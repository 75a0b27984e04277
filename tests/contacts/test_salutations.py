"""Czech letters greet in the vocative and in the contact's gender; demo names agree."""

import pytest
from django.core.management import call_command

from contacts.models import Contact
from contacts.salutations import czech_vocative, salutations


@pytest.mark.parametrize(
    ("name", "vocative"),
    [
        ("Radim", "Radime"),
        ("Petr", "Petře"),
        ("Pavel", "Pavle"),
        ("Daniel", "Danieli"),
        ("Marek", "Marku"),
        ("Zdeněk", "Zdeňku"),
        ("Tomáš", "Tomáši"),
        ("Jindřich", "Jindřichu"),
        ("Jiří", "Jiří"),
        ("Veselý", "Veselý"),
        ("Novák", "Nováku"),
        ("Svoboda", "Svobodo"),
        ("Němec", "Němče"),
    ],
)
def test_czech_male_names_take_the_vocative(name, vocative):
    assert czech_vocative(name) == vocative


@pytest.mark.parametrize(
    ("name", "vocative"), [("Jana", "Jano"), ("Marie", "Marie"), ("Dagmar", "Dagmar")]
)
def test_czech_female_first_names_take_the_vocative(name, vocative):
    assert czech_vocative(name, female=True) == vocative


def test_czech_salutations_agree_with_the_gender():
    assert salutations("cs", female=False, first="Radim", last="Veselý") == (
        "Vážený pane Veselý",
        "Ahoj Radime",
    )
    assert salutations("cs", female=True, first="Jana", last="Veselá") == (
        "Vážená paní Veselá",
        "Ahoj Jano",
    )


@pytest.mark.django_db
def test_czech_demo_persons_have_agreeing_names_and_salutations():
    call_command("load_demo_data", verbosity=0)

    persons = Contact.objects.filter(type=Contact.Type.PERSON, language="cs")
    assert persons.count() > 10
    for person in persons:
        surname = person.name.split()[-1]
        female = person.formal_salutation.startswith("Vážená paní ")
        assert female or person.formal_salutation.startswith("Vážený pane "), person
        # Czech female surnames end in -á; male ones never take it.
        assert surname.endswith("á") == female, person
        assert "/" not in person.formal_salutation + person.informal_salutation
        assert person.informal_salutation.startswith("Ahoj ")
