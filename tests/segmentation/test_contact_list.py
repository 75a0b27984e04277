"""The contact list filters by the segment criteria: the list, its export and
New segment from these contacts select the same contacts, by the same codes."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.http import QueryDict
from django.urls import reverse

from contacts.models import Contact
from segmentation.criteria import ContactCriteria, parameters_from
from segmentation.models import Segment, StepDefinition
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    MailingGroupFactory,
    PersonFactory,
    SalespersonFactory,
    UserFactory,
)
from tests.segmentation.criteria_values import VALUE_PROVIDERS

pytestmark = pytest.mark.django_db

LIST_URL = reverse("contacts:contact_list")
EXPORT_URL = reverse("contacts:contact_export")
NEW_SEGMENT_URL = reverse("segmentation:segment_create_from_contacts")


def _listed(client, query) -> list[Contact]:
    return list(client.get(LIST_URL, query).context["page_obj"])


def _exported(client, query) -> list[str]:
    response = client.get(EXPORT_URL, {**query, "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [row["number"] for row in csv.DictReader(io.StringIO(text))]


@pytest.fixture
def newsletter_readers():
    """Three Czech newsletter readers (one of them a company), and contacts around them."""
    newsletter = MailingGroupFactory(code="NEWSLETTER")
    company = CompanyFactory(
        name="Brno Tools", country="CZ", mailing_groups=[newsletter]
    )
    readers = [
        company,
        PersonFactory(company=company, country="CZ", mailing_groups=[newsletter]),
        ContactFactory(name="Ema", country="CZ", mailing_groups=[newsletter]),
    ]
    ContactFactory(country="SE", mailing_groups=[newsletter])
    ContactFactory(country="CZ")
    return readers


@pytest.fixture
def viewer_client(client):
    """Vera may look at contacts but not make segments."""
    vera = UserFactory(username="vera")
    vera.user_permissions.add(Permission.objects.get(codename="view_contact"))
    client.force_login(vera)
    return client


@pytest.mark.parametrize("criterion", list(ContactCriteria.base_filters))
def test_the_list_and_its_export_filter_by_every_criterion(marketing_client, criterion):
    query, wanted = VALUE_PROVIDERS[criterion]()

    assert _listed(marketing_client, query) == [wanted]
    assert _exported(marketing_client, query) == [wanted.number]


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({"mailing_group": "NEWSLETTER"}, ["Brno Tools", "Ema", "Lars"]),
        ({"mailing_group": "NEWSLETTER", "country": "CZ"}, ["Brno Tools", "Ema"]),
        ({"q": "brno", "type": "company"}, ["Brno Tools"]),
        ({"created_after": "2000-01-01", "country": ["CZ", "SE"]}, None),
    ],
)
def test_the_export_holds_exactly_the_filtered_list_in_its_order(
    marketing_client, query, names
):
    newsletter = MailingGroupFactory(code="NEWSLETTER")
    CompanyFactory(name="Brno Tools", country="CZ", mailing_groups=[newsletter])
    ContactFactory(name="Ema", country="CZ", mailing_groups=[newsletter])
    ContactFactory(name="Lars", country="SE", mailing_groups=[newsletter])
    ContactFactory(name="Pierre", country="FR")
    query = {**query, "sort": "-name"}

    listed = _listed(marketing_client, query)

    if names is not None:
        assert sorted(contact.name for contact in listed) == names
    assert [contact.number for contact in listed] == _exported(marketing_client, query)


def test_a_list_url_converts_one_to_one_into_criteria():
    url = (
        "q=brno&salesperson=AH&mailing_group=NEWSLETTER&mailing_group=EVENTS"
        "&interaction=has&interaction_date_after=2026-01-01&logged_segment=7"
        "&company=CT000001&sort=-name&per_page=100&page=3"
    )

    assert parameters_from(QueryDict(url)) == {
        "q": ["brno"],
        "salesperson": ["AH"],
        "mailing_group": ["NEWSLETTER", "EVENTS"],
        "interaction": ["has"],
        "interaction_date_after": ["2026-01-01"],
        "logged_segment": ["7"],
        "company": ["CT000001"],
    }


def test_the_list_uses_searchable_pickers_not_multi_select_boxes(marketing_client):
    page = marketing_client.get(LIST_URL).content.decode()

    multi_selects = re.findall(r"<select[^>]*\bmultiple\b[^>]*>", page)
    assert len(multi_selects) >= 10
    assert all('data-enhance="multi"' in select for select in multi_selects)
    assert "tom-select.complete.min.js" in page


def test_the_company_page_links_to_its_persons_by_company_number(
    marketing_client, monkeypatch
):
    monkeypatch.setattr("segmentation.views.contacts.PERSONS_SHOWN", 2)
    company = CompanyFactory()
    persons = PersonFactory.create_batch(3, company=company)
    PersonFactory()

    page = marketing_client.get(company.get_absolute_url()).content.decode()
    link = f"{LIST_URL}?company={company.number}"

    assert link in page
    assert marketing_client.get(link).context["page_obj"].paginator.count == len(
        persons
    )


def test_new_segment_from_these_contacts_adds_exactly_the_listed_contacts(
    marketing_client, marketing_user, newsletter_readers
):
    salesperson = SalespersonFactory(code="MA", user=marketing_user)
    query = {"mailing_group": "NEWSLETTER", "country": "CZ"}
    listed = marketing_client.get(LIST_URL, {**query, "sort": "name"})
    assert "New segment from these contacts" in listed.content.decode()

    response = marketing_client.post(
        NEW_SEGMENT_URL, {**query, "sort": "name", "per_page": "25"}, follow=True
    )

    segment = Segment.objects.get()
    assert response.redirect_chain[-1][0] == segment.get_absolute_url()
    assert segment.number == "SM00001"
    assert segment.description == (
        "Contacts: Country = Czechia and Mailing group = NEWSLETTER"
    )
    assert segment.salesperson == salesperson
    assert segment.created_by == marketing_user
    step = segment.steps.get()
    assert step.action == StepDefinition.Action.ADD
    assert step.parameters == {"mailing_group": ["NEWSLETTER"], "country": ["CZ"]}
    contacts = {line.contact for line in segment.lines.all()}
    assert contacts == set(listed.context["page_obj"]) == set(newsletter_readers)
    assert step.added_count == listed.context["page_obj"].paginator.count
    assert "created with 3 contacts" in response.content.decode()


def test_new_segment_with_criteria_no_longer_valid_creates_nothing(marketing_client):
    response = marketing_client.post(
        NEW_SEGMENT_URL, {"salesperson": "GONE"}, follow=True
    )

    assert response.redirect_chain[-1][0] == f"{LIST_URL}?salesperson=GONE"
    assert "Salesperson: Select a valid choice" in response.content.decode()
    assert not Segment.objects.exists()


def test_a_user_who_may_not_add_segments_gets_no_button_and_a_403(
    viewer_client, newsletter_readers
):
    page = viewer_client.get(LIST_URL, {"mailing_group": "NEWSLETTER"})

    assert page.status_code == 200
    assert "New segment from these contacts" not in page.content.decode()
    response = viewer_client.post(NEW_SEGMENT_URL, {"mailing_group": "NEWSLETTER"})
    assert response.status_code == 403
    assert not Segment.objects.exists()
