"""Saved criteria for Marketing users: list, steps in words, Rename, Delete."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.audit import AuditEvent
from segmentation.models import SavedCriteria, SavedCriteriaStep, StepDefinition
from segmentation.services import delete_saved_criteria, rename_saved_criteria
from tests.factories import MailingGroupFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("segmentation:saved_criteria_list")


def _saved(code: str, *, steps: int = 2, user=None) -> SavedCriteria:
    saved = SavedCriteria.objects.create(
        code=code, description=f"{code} contacts", created_by=user
    )
    SavedCriteriaStep.objects.bulk_create(
        SavedCriteriaStep(
            saved_criteria=saved,
            number=number,
            action=StepDefinition.Action.ADD
            if number == 1
            else StepDefinition.Action.REDUCE,
            parameters={"city": [f"City{number}"]},
        )
        for number in range(1, steps + 1)
    )
    return saved


@pytest.fixture
def newsletter(marketing_user):
    MailingGroupFactory(code="NEWSLETTER")
    return _saved("NEWS", user=marketing_user)


def _state():
    return (
        sorted(SavedCriteria.objects.values_list("pk", "code", "description")),
        sorted(SavedCriteriaStep.objects.values_list("pk", "saved_criteria_id")),
    )


def test_rename_changes_code_and_description_and_keeps_the_steps(
    newsletter, marketing_user
):
    steps = list(newsletter.steps.values_list("pk", flat=True))

    renamed = rename_saved_criteria(
        newsletter, code="NEWS2", description="Spring", user=marketing_user
    )

    assert (renamed.code, renamed.description) == ("NEWS2", "Spring")
    newsletter.refresh_from_db()
    assert newsletter.code == "NEWS2"
    assert list(newsletter.steps.values_list("pk", flat=True)) == steps
    event = AuditEvent.objects.get(action=AuditEvent.Action.RENAME_SAVED_CRITERIA)
    assert event.actor == marketing_user
    assert event.summary == "Renamed saved criteria NEWS to NEWS2"


def test_rename_to_a_code_taken_by_others_is_refused(newsletter, marketing_user):
    _saved("XMAS")
    before = _state()

    with pytest.raises(ValidationError, match="already exist"):
        rename_saved_criteria(
            newsletter, code="xmas", description="", user=marketing_user
        )

    assert _state() == before
    assert not AuditEvent.objects.exists()


def test_rename_may_keep_its_own_code(newsletter, marketing_user):
    rename_saved_criteria(
        newsletter, code="NEWS", description="Only the text", user=marketing_user
    )

    newsletter.refresh_from_db()
    assert newsletter.description == "Only the text"


def test_delete_removes_the_criteria_with_its_steps_and_records_it(
    newsletter, marketing_user
):
    other = _saved("XMAS")

    count = delete_saved_criteria(newsletter, user=marketing_user)

    assert count == 2
    assert list(SavedCriteria.objects.values_list("pk", flat=True)) == [other.pk]
    assert not SavedCriteriaStep.objects.filter(saved_criteria_id=newsletter.pk)
    assert other.steps.count() == 2
    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETE_SAVED_CRITERIA)
    assert event.summary == "Deleted saved criteria NEWS with 2 steps"


def test_deleting_what_is_gone_is_a_message(newsletter, marketing_user):
    delete_saved_criteria(newsletter, user=marketing_user)

    with pytest.raises(ValidationError, match="no longer exist"):
        delete_saved_criteria(newsletter, user=marketing_user)


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_shows_each_with_its_step_count_in_constant_queries(
    marketing_client, marketing_user, django_assert_num_queries, count
):
    for number in range(count):
        _saved(f"C{number:02d}", steps=3, user=marketing_user)

    with django_assert_num_queries(6):
        response = marketing_client.get(LIST_URL)

    text = response.content.decode()
    assert len(response.context["page_obj"]) == count
    assert "C00" in text and "marta" in text
    assert '<td class="text-end">3</td>' in text


@pytest.mark.parametrize("steps", [1, 6])
def test_the_detail_reads_the_steps_in_words_in_constant_queries(
    marketing_client, django_assert_num_queries, steps
):
    saved = _saved("CITY", steps=steps)

    with django_assert_num_queries(6):
        response = marketing_client.get(saved.get_absolute_url())

    text = response.content.decode()
    assert "City = City1" in text
    assert text.count('<li class="list-group-item">') == steps


def test_the_rename_page_renames(marketing_client, newsletter):
    url = reverse("segmentation:saved_criteria_rename", args=[newsletter.pk])

    response = marketing_client.post(
        url, {"code": " news3 ", "description": "Autumn"}, follow=True
    )

    assert response.redirect_chain[-1][0] == newsletter.get_absolute_url()
    assert "Saved criteria renamed to NEWS3." in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "", "description": "x"}, "This field is required."),
        ({"code": "X" * 21, "description": ""}, "at most 20 characters"),
        ({"code": "XMAS", "description": ""}, "already exist"),
    ],
)
def test_a_bad_rename_is_a_message_on_the_form_and_changes_nothing(
    marketing_client, newsletter, data, message
):
    _saved("XMAS")
    before = _state()
    url = reverse("segmentation:saved_criteria_rename", args=[newsletter.pk])

    response = marketing_client.post(url, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert _state() == before


def test_the_delete_page_asks_then_deletes(marketing_client, newsletter):
    url = reverse("segmentation:saved_criteria_delete", args=[newsletter.pk])

    page = marketing_client.get(url).content.decode()
    assert "Delete saved criteria NEWS and its 2 steps?" in page
    assert SavedCriteria.objects.filter(pk=newsletter.pk).exists()

    response = marketing_client.post(url, follow=True)

    assert response.redirect_chain[-1][0] == LIST_URL
    assert "Saved criteria NEWS deleted." in response.content.decode()
    assert not SavedCriteria.objects.filter(pk=newsletter.pk).exists()


def test_the_main_menu_leads_to_the_list(marketing_client):
    assert LIST_URL in marketing_client.get("/segments/").content.decode()


@pytest.mark.parametrize(
    "url_name",
    ["saved_criteria_detail", "saved_criteria_rename", "saved_criteria_delete"],
)
def test_a_user_in_no_group_gets_403_and_nothing_changes(
    outsider_client, newsletter, url_name
):
    before = _state()
    url = reverse(f"segmentation:{url_name}", args=[newsletter.pk])

    assert outsider_client.get(LIST_URL).status_code == 403
    assert outsider_client.get(url).status_code == 403
    assert outsider_client.post(url, {"code": "HACK"}).status_code == 403
    assert _state() == before
