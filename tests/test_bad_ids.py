"""Ids from a request that are not ids: a message or a 404, never a 500.

A 30-digit id overflows SQLite's integers (PostgreSQL's bigint too), and letters
reached the database through the contact pickers.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from contacts.models import Contact
from interactions.models import InteractionLogEntry
from tests.factories import (
    InteractionLogEntryFactory,
    SegmentFactory,
    SegmentLineFactory,
)

pytestmark = pytest.mark.django_db

HUGE = "9" * 30
NOT_IDS = ["abc", HUGE, "-1", "1.5", "0"]


@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize(
    "name",
    [
        "contact",
        "contact_company",
        "template",
        "group",
        "salesperson",
        "campaign",
    ],
)
def test_the_interaction_log_takes_any_id_in_its_filters(marketing_client, name, value):
    response = marketing_client.get(
        reverse("interactions:interaction_log"), {name: value}
    )

    assert response.status_code == 200


@pytest.mark.parametrize("value", NOT_IDS)
def test_the_contact_list_takes_any_logged_segment_id(marketing_client, value):
    response = marketing_client.get(
        reverse("contacts:contact_list"), {"logged_segment": value}
    )

    assert response.status_code == 200
    assert response.context["filter"].errors


@pytest.mark.parametrize("value", NOT_IDS)
def test_the_logged_segments_list_takes_any_campaign_id(marketing_client, value):
    response = marketing_client.get(
        reverse("segmentation:logged_segment_list"), {"campaign": value}
    )

    assert response.status_code == 200


@pytest.mark.parametrize("value", NOT_IDS)
def test_create_interaction_refuses_a_contact_that_is_not_an_id(
    marketing_client, value
):
    url = reverse("interactions:interaction_create")
    assert marketing_client.get(url, {"contact": value}).status_code == 200

    response = marketing_client.post(url, {"contact": value})

    assert response.status_code == 200
    assert response.context["form"].errors["contact"]
    assert not InteractionLogEntry.objects.exists()


@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize("field", ["company", "mailing_groups", "salesperson"])
def test_the_contact_form_refuses_a_choice_that_is_not_an_id(
    marketing_client, field, value
):
    response = marketing_client.post(
        reverse("contacts:contact_create"),
        {"type": "person", "name": "Somebody", field: value},
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Contact.objects.exists()


@pytest.mark.parametrize("value", NOT_IDS)
def test_ticked_entries_that_are_not_ids_are_refused_with_a_message(
    marketing_client, value
):
    entry = InteractionLogEntryFactory()

    response = marketing_client.post(
        reverse("interactions:interaction_log_action"),
        {"entries": [entry.pk, value], "action": "cancel"},
        follow=True,
    )

    assert response.status_code == 200
    assert "The selection is not valid" in response.content.decode()
    entry.refresh_from_db()
    assert not entry.cancelled


@pytest.mark.parametrize("value", NOT_IDS)
def test_segment_forms_refuse_ids_that_are_not_ids(marketing_client, value):
    segment = SegmentFactory()
    SegmentLineFactory(segment=segment)

    for name, data in [
        ("segment_add_lines", {"contacts": [value]}),
        ("segment_remove_lines", {"lines": [value]}),
        ("segment_reuse_criteria", {"saved_criteria": value}),
        ("segment_reuse_segment", {"logged_segment": value}),
    ]:
        url = reverse(f"segmentation:{name}", args=[segment.pk])
        response = marketing_client.post(url, data, follow=True)
        assert response.status_code == 200, name
    assert segment.lines.count() == 1
    assert not segment.steps.exists()


@pytest.mark.parametrize(
    "name",
    [
        "contacts:contact_detail",
        "contacts:contact_update",
        "contacts:contact_import_detail",
        "segmentation:segment_detail",
        "segmentation:segment_criteria",
        "segmentation:logged_segment_detail",
        "core:job_detail",
        "core:job_download",
        "interactions:word_document_download",
    ],
)
def test_a_huge_id_in_the_address_is_not_found(marketing_client, name):
    response = marketing_client.get(reverse(name, args=[int(HUGE)]))

    assert response.status_code == 404


def test_a_huge_line_id_in_the_address_is_not_found(marketing_client):
    segment = SegmentFactory()

    response = marketing_client.get(
        reverse("segmentation:segment_line_update", args=[segment.pk, int(HUGE)])
    )

    assert response.status_code == 404


def _admin_relation_lookups():
    """For each model in Django admin: its list URL and a lookup through each relation."""
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        url = reverse("admin:{}_{}_changelist".format(*info))
        for field in model._meta.get_fields():
            if field.is_relation and not field.auto_created:
                yield url, f"{field.name}__exact"
                yield url, f"{field.name}__in"


@pytest.mark.parametrize(("url", "lookup"), list(_admin_relation_lookups()))
def test_admin_list_filters_take_a_huge_id(admin_client, url, lookup):
    value = HUGE if lookup.endswith("__exact") else f"1,{HUGE}"

    response = admin_client.get(url, {lookup: value})

    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response.url.endswith("?e=1")


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_admin_pages_of_a_huge_id_are_not_found(admin_client, view):
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name, view)
        url = reverse("admin:{}_{}_{}".format(*info), args=[HUGE])

        assert admin_client.get(url).status_code in (302, 403, 404), url


@pytest.mark.parametrize("field", ["company", "salesperson", "mailing_groups"])
def test_the_admin_contact_form_refuses_a_huge_id(admin_client, field):
    response = admin_client.post(
        reverse("admin:contacts_contact_add"),
        {"name": "Ada", "type": "person", field: HUGE},
    )

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Contact.objects.exists()
