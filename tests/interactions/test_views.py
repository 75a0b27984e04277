"""The Interaction Log, the contact's history and the Logged Segments pages."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import (
    CompanyFactory,
    ContactFactory,
    InteractionLogEntryFactory,
    InteractionTemplateFactory,
    LoggedSegmentFactory,
    PersonFactory,
    SalespersonFactory,
)

pytestmark = pytest.mark.django_db

LOG_URL = reverse("interactions:interaction_log")
LOGGED_SEGMENTS_URL = reverse("segmentation:logged_segment_list")


def _listed(client, **params):
    response = client.get(LOG_URL, params)
    assert response.status_code == 200
    return list(response.context["page_obj"].object_list)


def test_the_log_lists_entries_newest_first(marketing_client):
    older, newer = InteractionLogEntryFactory.create_batch(2)

    page = marketing_client.get(LOG_URL).content.decode()

    assert page.index(newer.description) < page.index(older.description)
    assert older.contact.number in page


def test_the_log_filters_by_contact_and_by_company(marketing_client):
    company = CompanyFactory()
    person = PersonFactory(company=company)
    of_person = InteractionLogEntryFactory(contact=person)
    of_company = InteractionLogEntryFactory(contact=company)
    InteractionLogEntryFactory()

    assert _listed(marketing_client, contact=person.pk) == [of_person]
    assert set(_listed(marketing_client, contact_company=company.pk)) == {
        of_person,
        of_company,
    }


def test_the_log_filters_by_template_group_and_salesperson(marketing_client):
    template = InteractionTemplateFactory()
    salesperson = SalespersonFactory()
    wanted = InteractionLogEntryFactory(template=template, salesperson=salesperson)
    InteractionLogEntryFactory()

    assert _listed(marketing_client, template=template.pk) == [wanted]
    assert _listed(marketing_client, group=template.group_id) == [wanted]
    assert _listed(marketing_client, salesperson=salesperson.pk) == [wanted]


def test_the_log_filters_by_date_range(marketing_client):
    inside = InteractionLogEntryFactory(date=datetime.date(2026, 3, 15))
    InteractionLogEntryFactory(date=datetime.date(2026, 2, 28))
    InteractionLogEntryFactory(date=datetime.date(2026, 4, 1))

    listed = _listed(
        marketing_client, date_after="2026-03-01", date_before="2026-03-31"
    )

    assert listed == [inside]


def test_the_log_filters_by_logged_segment_cancelled_and_evaluation(marketing_client):
    logged_segment = LoggedSegmentFactory()
    in_segment = InteractionLogEntryFactory(logged_segment=logged_segment)
    cancelled = InteractionLogEntryFactory(cancelled=True)
    positive = InteractionLogEntryFactory(evaluation="positive")

    assert _listed(marketing_client, segment_number=logged_segment.segment_number) == [
        in_segment
    ]
    assert _listed(marketing_client, cancelled="true") == [cancelled]
    assert cancelled not in _listed(marketing_client, cancelled="false")
    assert _listed(marketing_client, evaluation="positive") == [positive]
    assert positive not in _listed(marketing_client, evaluation="none")


def test_an_invalid_filter_lists_nothing_instead_of_failing(marketing_client):
    InteractionLogEntryFactory()

    assert _listed(marketing_client, date_after="not a date") == []


@pytest.mark.parametrize("entry_count", [2, 30])
def test_the_log_page_runs_a_constant_number_of_queries(
    marketing_client, django_assert_num_queries, entry_count
):
    for _ in range(entry_count):
        InteractionLogEntryFactory(
            contact=PersonFactory(), logged_segment=LoggedSegmentFactory()
        )

    with django_assert_num_queries(10):
        marketing_client.get(LOG_URL, {"cancelled": "false"})


def test_the_contact_page_shows_the_interaction_history(marketing_client):
    contact = ContactFactory()
    entry = InteractionLogEntryFactory(
        contact=contact, description="Called about the fair"
    )
    InteractionLogEntryFactory(description="Someone else")

    page = marketing_client.get(contact.get_absolute_url()).content.decode()

    assert "Interaction history: 1 interaction" in page
    assert "Called about the fair" in page
    assert "Someone else" not in page
    assert f"{reverse('interactions:interaction_create')}?contact={contact.pk}" in page
    assert str(entry.pk) in page


def test_outsiders_see_neither_the_log_nor_logged_segments(outsider_client):
    assert outsider_client.get(LOG_URL).status_code == 403
    assert outsider_client.get(LOGGED_SEGMENTS_URL).status_code == 403


def test_logged_segments_are_listed_and_searchable(marketing_client):
    spring = LoggedSegmentFactory(segment_number="SM00012", description="Spring mail")
    LoggedSegmentFactory(segment_number="SM00013", description="Autumn fair")

    response = marketing_client.get(LOGGED_SEGMENTS_URL, {"q": "spring"})

    assert list(response.context["page_obj"].object_list) == [spring]
    assert "SM00012" in response.content.decode()


@pytest.mark.parametrize("segment_count", [2, 20])
def test_the_logged_segment_list_runs_a_constant_number_of_queries(
    marketing_client, django_assert_num_queries, segment_count
):
    LoggedSegmentFactory.create_batch(segment_count)

    with django_assert_num_queries(7):
        marketing_client.get(LOGGED_SEGMENTS_URL)


def test_a_logged_segment_page_lists_its_interactions(marketing_client):
    logged_segment = LoggedSegmentFactory(entry_count=2)
    entries = InteractionLogEntryFactory.create_batch(2, logged_segment=logged_segment)
    InteractionLogEntryFactory(description="Not in this segment")

    page = marketing_client.get(logged_segment.get_absolute_url()).content.decode()

    for entry in entries:
        assert entry.description in page
    assert "Not in this segment" not in page


def test_a_contact_with_interactions_cannot_be_deleted(marketing_client):
    contact = ContactFactory()
    InteractionLogEntryFactory(contact=contact)

    response = marketing_client.post(
        reverse("contacts:contact_delete", args=[contact.pk]), follow=True
    )

    page = response.content.decode()
    assert "cannot be deleted because it is still used" in page
    assert "Interaction log entries" in page
    assert contact.__class__.objects.filter(pk=contact.pk).exists()


@pytest.mark.parametrize("entry_count", [2, 30])
def test_a_logged_segment_page_runs_a_constant_number_of_queries(
    marketing_client, django_assert_num_queries, entry_count
):
    logged_segment = LoggedSegmentFactory()
    for _ in range(entry_count):
        InteractionLogEntryFactory(
            contact=PersonFactory(), logged_segment=logged_segment
        )

    # 7, one grouped count of the entries by delivery status, the delivery
    # job, whether any letter is to print, the campaign entries and the history.
    with django_assert_num_queries(12):
        marketing_client.get(logged_segment.get_absolute_url())
