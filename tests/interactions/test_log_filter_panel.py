"""The Interaction Log's unfiltered filter panel is cached (core/filter_panel.py),
never stale and never shown for a filtered log."""

import pytest
from django.urls import reverse

from tests.factories import (
    ContactFactory,
    InteractionLogEntryFactory,
    InteractionTemplateFactory,
    SalespersonFactory,
)

pytestmark = pytest.mark.django_db

LOG_URL = reverse("interactions:interaction_log")


def test_the_unfiltered_panel_shows_a_new_choice_at_once(marketing_client):
    marketing_client.get(LOG_URL)
    InteractionTemplateFactory(code="JUSTADDED")
    assert "JUSTADDED" in marketing_client.get(LOG_URL).content.decode()


def test_the_unfiltered_panel_shows_a_renamed_choice_at_once(marketing_client):
    salesperson = SalespersonFactory(code="OLDCODE")
    marketing_client.get(LOG_URL)
    salesperson.code = "NEWCODE"
    salesperson.save()
    page = marketing_client.get(LOG_URL).content.decode()
    assert "NEWCODE" in page
    assert "OLDCODE" not in page


def test_a_filtered_log_shows_its_own_panel(marketing_client):
    salesperson = SalespersonFactory(code="ASKED")
    contact = ContactFactory(name="Chosen Contact")
    InteractionLogEntryFactory(contact=contact, salesperson=salesperson)
    marketing_client.get(LOG_URL)
    response = marketing_client.get(
        LOG_URL, {"salesperson": salesperson.pk, "contact": contact.pk}
    )
    assert response.context["panel_key"] is None
    page = response.content.decode()
    assert f'<option value="{salesperson.pk}" selected>' in page
    assert "Chosen Contact" in page


def test_a_later_page_of_the_unfiltered_log_shares_its_panel(marketing_client):
    first = marketing_client.get(LOG_URL)
    later = marketing_client.get(LOG_URL, {"last": "1", "go_date": ""})
    assert first.context["panel_key"] == later.context["panel_key"]
