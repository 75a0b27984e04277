import pytest
from django.urls import reverse

from contacts.models import Contact, NumberSeries
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    IndustryGroupFactory,
    MailingGroupFactory,
    PersonFactory,
    SalespersonFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("contacts:contact_list")


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_user_without_a_marketing_group_sees_a_no_access_page(outsider_client):
    response = outsider_client.get(LIST_URL)

    assert response.status_code == 403
    assert "No access" in response.content.decode()


def test_the_home_page_leads_to_the_contact_list(marketing_client):
    response = marketing_client.get("/", follow=True)

    assert response.redirect_chain[-1][0] == LIST_URL
    assert response.status_code == 200


def test_the_list_shows_contacts_with_their_company(marketing_client):
    person = PersonFactory(name="Jana Nováková", company__name="Brno Tools s.r.o.")

    page = marketing_client.get(LIST_URL).content.decode()

    assert person.number in page
    assert "Jana Nováková" in page
    assert "Brno Tools s.r.o." in page


@pytest.mark.parametrize(
    ("term", "field"),
    [
        ("nováková", "name"),
        ("brno tools", "company"),
        ("ostrava", "city"),
        ("jana@", "email"),
    ],
)
def test_search_looks_in_number_name_company_city_and_email(
    marketing_client, term, field
):
    wanted = PersonFactory(
        name="Jana Nováková",
        company__name="Brno Tools",
        city="Ostrava",
        email="jana@brnotools.cz",
    )
    ContactFactory(name="Erik Svensson", city="Uppsala", email="erik@example.se")

    contacts = (
        marketing_client.get(LIST_URL, {"q": term}).context["page_obj"].object_list
    )

    assert wanted in contacts, field
    assert not any(contact.name == "Erik Svensson" for contact in contacts)


def test_search_finds_a_contact_by_its_number(marketing_client):
    wanted = ContactFactory()
    ContactFactory()

    contacts = marketing_client.get(LIST_URL, {"q": wanted.number}).context["page_obj"]

    assert list(contacts) == [wanted]


def test_persons_are_found_by_the_industry_group_of_their_company(marketing_client):
    retail = IndustryGroupFactory(code="RETAIL")
    shop = CompanyFactory(name="Shop AB")
    shop.industry_groups.add(retail)
    clerk = PersonFactory(company=shop)
    PersonFactory()

    contacts = marketing_client.get(LIST_URL, {"industry_group": "RETAIL"}).context[
        "page_obj"
    ]

    assert set(contacts) == {shop, clerk}


def test_the_mailing_group_filter_keeps_only_members(marketing_client):
    newsletter = MailingGroupFactory(code="NEWSLETTER")
    reader = ContactFactory()
    reader.mailing_groups.add(newsletter)
    ContactFactory()

    contacts = marketing_client.get(LIST_URL, {"mailing_group": "NEWSLETTER"}).context[
        "page_obj"
    ]

    assert list(contacts) == [reader]


def test_filters_combine_type_and_salesperson(marketing_client):
    seller = SalespersonFactory(code="JO")
    company = CompanyFactory(salesperson=seller)
    PersonFactory(salesperson=seller, company=company)
    CompanyFactory()

    contacts = marketing_client.get(
        LIST_URL, {"type": "company", "salesperson": "JO"}
    ).context["page_obj"]

    assert list(contacts) == [company]


def test_the_list_sorts_by_name_descending(marketing_client):
    for name in ["Anna", "Cecilia", "Bertil"]:
        ContactFactory(name=name)

    contacts = marketing_client.get(LIST_URL, {"sort": "-name"}).context["page_obj"]

    assert [contact.name for contact in contacts] == ["Cecilia", "Bertil", "Anna"]


def test_the_list_pages_through_contacts(marketing_client):
    ContactFactory.create_batch(30)

    page = marketing_client.get(LIST_URL, {"per_page": 25, "page": 2}).context[
        "page_obj"
    ]

    assert page.number == 2
    assert len(page.object_list) == 5
    assert page.paginator.count == 30


def test_an_invalid_filter_value_shows_no_contacts_instead_of_failing(marketing_client):
    ContactFactory()

    response = marketing_client.get(LIST_URL, {"salesperson": "NO-SUCH"})

    assert response.status_code == 200
    assert list(response.context["page_obj"]) == []


@pytest.mark.parametrize("contact_count", [3, 60])
def test_the_list_runs_the_same_queries_whatever_the_page_size(
    marketing_client, django_assert_num_queries, contact_count
):
    company = CompanyFactory(salesperson=SalespersonFactory())
    PersonFactory.create_batch(
        contact_count, company=company, salesperson=company.salesperson
    )

    # session, user, the user's permissions (2), the ten criteria dropdowns
    # (salesperson, territory, the four groups, interaction template, group and
    # campaign, logged segment), count, page
    with django_assert_num_queries(16):
        marketing_client.get(LIST_URL, {"per_page": 250, "q": "a"})


def test_a_company_page_lists_its_persons(marketing_client):
    company = CompanyFactory()
    persons = PersonFactory.create_batch(3, company=company)

    response = marketing_client.get(company.get_absolute_url())

    assert response.context["person_count"] == 3
    for person in persons:
        assert person.name in response.content.decode()


def test_a_person_page_shows_the_industry_groups_it_inherits(marketing_client):
    company = CompanyFactory()
    company.industry_groups.add(IndustryGroupFactory(code="MANUFACT"))
    person = PersonFactory(company=company)

    page = marketing_client.get(person.get_absolute_url()).content.decode()

    assert "MANUFACT" in page
    assert "from the company" in page


@pytest.mark.parametrize("factory", [CompanyFactory, PersonFactory])
def test_the_detail_page_runs_a_fixed_number_of_queries(
    marketing_client, django_assert_num_queries, factory
):
    contact = factory()
    for company in [contact, contact.company]:
        if company is not None:
            PersonFactory.create_batch(3, company=company)

    # session, user, permissions (2), contact, its 4 relations, then either the
    # company's 2 inherited relations (person) or its persons and their count.
    with django_assert_num_queries(14):
        marketing_client.get(contact.get_absolute_url())


def test_creating_a_contact_gives_it_the_next_number(marketing_client):
    NumberSeries.objects.filter(code="contact").update(last_number=41)

    response = marketing_client.post(
        reverse("contacts:contact_create"),
        {
            "type": "company",
            "name": "Nordic Paper AB",
            "country": "SE",
            "language": "SV",
        },
    )

    contact = Contact.objects.get(name="Nordic Paper AB")
    assert response.url == contact.get_absolute_url()
    assert contact.number == "CT000042"
    assert contact.language == "sv"


def test_a_person_can_be_created_under_a_company(marketing_client):
    company = CompanyFactory()

    marketing_client.post(
        reverse("contacts:contact_create"),
        {"type": "person", "name": "Åsa Öberg", "company": company.pk},
    )

    assert Contact.objects.get(name="Åsa Öberg").company == company


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"type": "person", "name": ""}, "name", "This field is required."),
        (
            {"type": "person", "name": "X", "email": "not-an-email"},
            "email",
            "valid email",
        ),
        (
            {"type": "person", "name": "X", "language": "Swedish!"},
            "language",
            "language code",
        ),
        (
            {"type": "company", "name": "X", "company": "{company}"},
            "company",
            "company cannot",
        ),
        (
            {"type": "person", "name": "X", "industry_groups": "{group}"},
            "industry_groups",
            "inherit",
        ),
    ],
)
def test_invalid_contacts_are_refused_with_a_clear_message(
    marketing_client, data, field, message
):
    company = CompanyFactory()
    group = IndustryGroupFactory()
    data = {
        key: value.format(company=company.pk, group=group.pk)
        for key, value in data.items()
    }
    count_before = Contact.objects.count()

    response = marketing_client.post(reverse("contacts:contact_create"), data)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Contact.objects.count() == count_before


def test_editing_a_contact_keeps_its_number(marketing_client):
    contact = ContactFactory(name="Old name")

    marketing_client.post(
        reverse("contacts:contact_update", args=[contact.pk]),
        {"type": "person", "name": "New name"},
    )

    contact.refresh_from_db()
    assert contact.name == "New name"
    assert contact.number.startswith("CT")


def test_a_company_with_persons_cannot_become_a_person(marketing_client):
    company = CompanyFactory()
    PersonFactory(company=company)

    response = marketing_client.post(
        reverse("contacts:contact_update", args=[company.pk]),
        {"type": "person", "name": company.name},
    )

    assert "still has persons" in " ".join(response.context["form"].errors["type"])
    company.refresh_from_db()
    assert company.is_company


def test_deleting_asks_first_and_then_deletes(marketing_client):
    contact = ContactFactory()
    url = reverse("contacts:contact_delete", args=[contact.pk])

    assert marketing_client.get(url).status_code == 200
    assert Contact.objects.filter(pk=contact.pk).exists()

    response = marketing_client.post(url)

    assert response.url == LIST_URL
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_deleting_a_company_that_still_has_persons_is_refused(marketing_client):
    company = CompanyFactory()
    person = PersonFactory(company=company)

    response = marketing_client.post(
        reverse("contacts:contact_delete", args=[company.pk]), follow=True
    )

    page = response.content.decode()
    assert "cannot be deleted because it is still used" in page
    assert person.number in page
    assert Contact.objects.filter(pk=company.pk).exists()


def test_the_contact_search_returns_matching_companies_as_json(marketing_client):
    wanted = CompanyFactory(name="Volvo Cars")
    PersonFactory(name="Volvo Fan")
    CompanyFactory(name="Saab")

    response = marketing_client.get(
        reverse("contacts:contact_search"), {"q": "volvo", "type": "company"}
    )

    assert response.json() == {"results": [{"id": wanted.pk, "text": str(wanted)}]}


def test_the_company_picker_renders_only_the_chosen_company(marketing_client):
    chosen = CompanyFactory()
    other = CompanyFactory()
    person = PersonFactory(company=chosen)

    page = marketing_client.get(reverse("contacts:contact_update", args=[person.pk]))

    html = page.content.decode()
    assert str(chosen) in html
    assert str(other) not in html
    assert "data-autocomplete-url" in html


def test_the_contact_page_shows_fax_and_vat_number(marketing_client):
    contact = ContactFactory(fax="+420 2 555", vat_registration_number="CZ12345678")

    page = marketing_client.get(
        reverse("contacts:contact_detail", args=[contact.pk])
    ).content.decode()

    assert "<dt>Fax</dt><dd>+420 2 555</dd>" in page
    assert "<dd>CZ12345678</dd>" in page
