"""Create Interaction for one contact: template defaults, resolution rules and guards."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from contacts.models import CorrespondenceType
from interactions.models import InteractionLogEntry
from tests.factories import (
    CampaignFactory,
    ContactFactory,
    InteractionTemplateFactory,
    PersonFactory,
    SalespersonFactory,
    TemplateDocumentFactory,
)

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("interactions:interaction_create")


@pytest.fixture
def template():
    template = InteractionTemplateFactory(
        code="BUS",
        description="Business letter",
        unit_cost=Decimal("1.20"),
        unit_duration=7,
        correspondence_type=CorrespondenceType.EMAIL,
        default_language="en",
        campaign=CampaignFactory(code="SPRING"),
    )
    for language in ["en", "sv"]:
        TemplateDocumentFactory(template=template, language=language)
    return template


def _post(client, *, contact, template, fields=None):
    data = {
        "contact": contact.pk,
        "template": template.pk,
        "date": "2026-11-02",
        "description": "",
        "subject": "Price list",
        "correspondence_type": "auto",
        "salesperson": SalespersonFactory(code="AH").pk,
        "evaluation": "",
    }
    data.update(fields or {})
    return client.post(CREATE_URL, {k: v for k, v in data.items() if v is not None})


def test_it_logs_one_entry_with_the_template_defaults(marketing_client, template):
    contact = PersonFactory(language="sv", correspondence_type="")

    response = _post(marketing_client, contact=contact, template=template)

    assert response.status_code == 302
    assert response.url == contact.get_absolute_url()
    entry = InteractionLogEntry.objects.get()
    assert entry.contact == contact
    assert entry.contact_company == contact.company
    assert entry.date == datetime.date(2026, 11, 2)
    assert entry.description == "Business letter"
    assert entry.subject == "Price list"
    assert entry.group == template.group
    assert (entry.cost, entry.duration) == (Decimal("1.20"), 7)
    assert (entry.information_flow, entry.initiated_by) == ("outbound", "us")
    assert entry.campaign == template.campaign
    assert entry.language == "sv"
    assert entry.document == template.documents.get(language="sv").document
    assert entry.salesperson.code == "AH"


def test_a_contact_in_a_language_the_template_lacks_gets_the_default_language(
    marketing_client, template
):
    contact = ContactFactory(language="cs")

    _post(marketing_client, contact=contact, template=template)

    entry = InteractionLogEntry.objects.get()
    assert entry.language == "en"
    assert entry.document == template.documents.get(language="en").document


def test_a_template_without_documents_logs_an_entry_without_one(marketing_client):
    template = InteractionTemplateFactory(default_language="")

    _post(marketing_client, contact=ContactFactory(), template=template)

    entry = InteractionLogEntry.objects.get()
    assert entry.document is None
    assert entry.language == ""


@pytest.mark.parametrize(
    ("contact_prefers", "template_ignores", "expected"),
    [
        ("hard_copy", False, "hard_copy"),  # the contact's preference wins
        ("", False, "email"),  # no preference: the template's default
        ("hard_copy", True, "email"),  # the template ignores the contact
    ],
)
def test_the_correspondence_type_is_resolved_from_contact_and_template(
    marketing_client, contact_prefers, template_ignores, expected
):
    template = InteractionTemplateFactory(
        correspondence_type="email",
        ignore_contact_correspondence_type=template_ignores,
    )
    contact = ContactFactory(correspondence_type=contact_prefers)

    _post(marketing_client, contact=contact, template=template)

    assert InteractionLogEntry.objects.get().correspondence_type == expected


def test_a_chosen_correspondence_type_is_kept(marketing_client, template):
    contact = ContactFactory(correspondence_type="email")

    _post(
        marketing_client,
        contact=contact,
        template=template,
        fields={"correspondence_type": "hard_copy"},
    )

    assert InteractionLogEntry.objects.get().correspondence_type == "hard_copy"


def test_without_a_contact_it_asks_for_one_and_logs_nothing(marketing_client, template):
    response = marketing_client.post(
        CREATE_URL,
        {
            "template": template.pk,
            "date": "2026-11-02",
            "correspondence_type": "auto",
            "salesperson": SalespersonFactory().pk,
        },
    )

    assert response.status_code == 200
    assert "You must select a contact to interact with." in response.content.decode()
    assert not InteractionLogEntry.objects.exists()


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("template", "Interaction template"),
        ("salesperson", "Salesperson"),
        ("date", "Date"),
    ],
)
def test_each_required_field_has_the_reference_guard_message(
    marketing_client, template, field, label
):
    response = _post(
        marketing_client,
        contact=ContactFactory(),
        template=template,
        fields={field: ""},
    )

    assert response.status_code == 200
    assert f"You must fill in the {label} field." in response.content.decode()
    assert not InteractionLogEntry.objects.exists()


def test_a_description_is_required_when_the_template_has_none(marketing_client):
    template = InteractionTemplateFactory(description="")

    response = _post(marketing_client, contact=ContactFactory(), template=template)

    assert "You must fill in the Description field." in response.content.decode()
    assert not InteractionLogEntry.objects.exists()


def test_a_privacy_blocked_contact_gets_no_interaction(marketing_client, template):
    contact = ContactFactory(privacy_blocked=True)

    response = _post(marketing_client, contact=contact, template=template)

    assert "privacy blocked" in response.content.decode()
    assert not InteractionLogEntry.objects.exists()


def test_the_form_starts_with_the_contact_and_its_salesperson(marketing_client):
    salesperson = SalespersonFactory()
    contact = ContactFactory(salesperson=salesperson)

    response = marketing_client.get(CREATE_URL, {"contact": contact.pk})

    form = response.context["form"]
    assert form.initial["contact"] == contact
    assert form.initial["salesperson"] == salesperson.pk
    assert str(contact) in response.content.decode()


def test_users_without_a_marketing_group_cannot_create_interactions(outsider_client):
    assert outsider_client.get(CREATE_URL).status_code == 403
