import pytest
from django.db import connection, transaction
from django.utils import timezone

from contacts.bulk import db_timestamp
from contacts.generated_contacts import SALTED, ContactPlan, contact_row, generate, pick
from contacts.imports import CONTACT_TABLE_COLUMNS
from contacts.models import Contact, IndustryGroup, JobResponsibility, MailingGroup
from tests.factories import SalespersonFactory

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL makes the rows in SQL; SQLite writes the Python rows themselves",
)


def _codes(model, *codes) -> list[int]:
    return [model.objects.create(code=code).pk for code in codes]


def _plan() -> ContactPlan:
    people = [SalespersonFactory().pk, SalespersonFactory().pk]
    pool = {
        "first_male": [["Tom", "Jan Erik"], ["Petr", "Karel"]],
        "last_male": [["Smith", "Ström"], ["Novák", "Dvořák"]],
        "first_female": [["Ann", "Eva"], ["Jana", "Marie"]],
        "last_female": [["Hill", "Berg"], ["Nováková", "Veselá"]],
        "company": [["Acme Ltd", "Hill & Co"], ["Alfa s.r.o.", "Beta a.s."]],
        "street": [["1 High St", "2 Low Rd"], ["Dlouhá 1", "Krátká 2"]],
        "post_code": [["AB1 2CD", "EF3 4GH"], ["110 00", "120 00"]],
        "city": [["Leeds", "York"], ["Praha", "Brno"]],
    }
    for kind in ("first_male", "last_male", "first_female", "last_female"):
        pool[f"email_{kind}"] = [
            [name.lower().replace(" ", "") for name in names] for names in pool[kind]
        ]
    return ContactPlan(
        languages=["en", "cs"],
        countries=["GB", "CZ"],
        territory_ids=[None, None],
        pools=pool,
        correspondence_types=["email", "hard_copy"],
        salesperson_ids=people,
        mailing_group_ids=_codes(MailingGroup, "NEWS", "XMAS"),
        industry_group_ids=_codes(IndustryGroup, "IT", "RETAIL", "PUBLIC"),
        responsibility_ids=_codes(JobResponsibility, "CEO", "IT"),
        salts={column: index * 7919 for index, column in enumerate(SALTED)},
        created_at=db_timestamp(timezone.now()),
    )


def test_pick_spreads_rows_over_every_choice():
    choices = [pick(n, 12345, 4) for n in range(4000)]

    assert {choices.count(choice) for choice in range(4)} <= set(range(900, 1100))


def _indexes() -> set:
    with connection.cursor() as cursor:
        return set(
            connection.introspection.get_constraints(cursor, Contact._meta.db_table)
        )


def test_the_rows_written_are_the_rows_python_describes():
    plan = _plan()
    indexes_before = _indexes()

    with transaction.atomic():
        generate(50, plan)

    # All columns but the two timestamps, whose form differs between the databases.
    contacts = list(
        Contact.objects.order_by("pk").values_list(*CONTACT_TABLE_COLUMNS[:-2])
    )
    first_id = contacts[0][0]
    assert len(contacts) == 50
    assert contacts == [
        contact_row(n, plan, first_id, contacts[n][1])[:-2] for n in range(50)
    ]
    assert contacts[1][CONTACT_TABLE_COLUMNS.index("company_id")] == first_id
    links = Contact.mailing_groups.through.objects.values_list(
        "contact_id", "mailinggroup_id"
    )
    assert sorted(links) == [
        (first_id + n, plan.mailing_group_ids[pick(n, plan.salts["mailing_groups"], 2)])
        for n in range(50)
        if n % 8 and n % 3
    ]
    assert _indexes() == indexes_before


@postgresql_only
def test_an_error_while_loading_puts_every_index_back():
    indexes_before = _indexes()

    with pytest.raises(ValueError), transaction.atomic():
        generate(20, _plan())
        raise ValueError("after the rows")

    assert _indexes() == indexes_before
    assert not Contact.objects.exists()
