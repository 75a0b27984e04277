"""A template's e-mail text: placeholders by plain substitution of known fields only."""

import datetime

import pytest
from django.urls import reverse

from interactions.email_body import fill_placeholders, placeholder_report
from interactions.models import TemplateEmail
from tests.factories import InteractionTemplateFactory

pytestmark = pytest.mark.django_db

VALUES = {"contactname": "Åsa <b>& Co", "date": datetime.date(2026, 3, 2)}


def test_known_fields_are_replaced_whatever_their_spelling():
    text = fill_placeholders(
        "Hi {Contact_Name}, {contact name} ({Date})", VALUES, language="en"
    )

    assert text == "Hi Åsa <b>& Co, Åsa <b>& Co (2 March 2026)"


def test_anything_else_in_braces_stays_as_it_is():
    text = "{Unknown} {{ Contact_Name }} {% load x %} {Contact_Name.__class__}"

    assert fill_placeholders(text, VALUES, language="en") == text


def test_html_values_are_escaped():
    html = fill_placeholders("<p>{Contact_Name}</p>", VALUES, language="en", html=True)

    assert html == "<p>Åsa &lt;b&gt;&amp; Co</p>"


def test_dates_are_written_in_the_message_language():
    assert fill_placeholders("{Date}", VALUES, language="sv") == "2 mars 2026"


def test_unknown_placeholders_are_reported_with_a_suggestion():
    [report] = placeholder_report("Hello {Contact_Nmae}")

    assert (report.known, report.suggestion) == (False, "Contact_Name")


def test_admin_refuses_unknown_placeholders_and_previews_the_saved_text(
    admin_client_for_marketing,
):
    template = InteractionTemplateFactory(default_language="en")
    url = reverse("admin:interactions_interactiontemplate_change", args=[template.pk])
    form = {
        "code": template.code,
        "description": template.description,
        "group": template.group_id,
        "unit_cost": "0",
        "unit_duration": "0",
        "information_flow": "",
        "initiated_by": "",
        "correspondence_type": "email",
        "default_language": "en",
        "attachment_format": "docx",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
        "emails-TOTAL_FORMS": "1",
        "emails-INITIAL_FORMS": "0",
        "emails-0-language": "en",
        "emails-0-body_text": "Hello {Contact_Nmae}",
        "emails-0-body_html": "",
    }

    refused = admin_client_for_marketing.post(url, form)

    assert refused.status_code == 200
    assert "Unknown placeholders" in refused.content.decode()
    assert not TemplateEmail.objects.exists()

    form["emails-0-body_text"] = "Hello {Contact_Name}"
    saved = admin_client_for_marketing.post(url, form)
    assert saved.status_code == 302
    page = admin_client_for_marketing.get(url).content.decode()
    assert "Hello Jana Novák" in page
