"""The segment workbench: filter the lines, Edit Lines on many at once, Go Back."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from segmentation.line_filter import matching_lines
from segmentation.models import CriteriaStep, EditedSegmentLine, SegmentLine
from segmentation.services import edit_lines, go_back, save_criteria
from tests.factories import (
    InteractionTemplateFactory,
    PersonFactory,
    SalespersonFactory,
    SegmentFactory,
    SegmentLineFactory,
    TemplateDocumentFactory,
    WordDocumentFactory,
)

pytestmark = pytest.mark.django_db

DETAILS = ["pk", *SegmentLine.OVERRIDABLE_FIELDS]


def _details(segment):
    return list(segment.lines.order_by("pk").values(*DETAILS))


@pytest.fixture
def segment():
    """A segment whose template has Swedish and Czech letters."""
    template = InteractionTemplateFactory()
    document = WordDocumentFactory()
    for language in ("sv", "cs"):
        TemplateDocumentFactory(template=template, language=language, document=document)
    return SegmentFactory(description="Spring", template=template)


@pytest.fixture
def lines(segment):
    """Two Swedish lines (one with its own cost) and one Czech line."""
    return [
        SegmentLineFactory(
            segment=segment, contact=PersonFactory(name="Anna", language="sv")
        ),
        SegmentLineFactory(
            segment=segment,
            contact=PersonFactory(name="Bo", language="sv"),
            cost=Decimal("3.00"),
        ),
        SegmentLineFactory(
            segment=segment, contact=PersonFactory(name="Cyril", language="cs")
        ),
    ]


def test_edit_lines_sets_a_field_on_every_matching_line(segment, lines, marketing_user):
    salesperson = SalespersonFactory(code="JD")

    step = edit_lines(
        segment,
        changes={"salesperson": salesperson, "subject": "Hello"},
        filters={"language": "sv"},
        expected_count=2,
        user=marketing_user,
    )

    by_name = {line.contact.name: line for line in segment.lines.all()}
    assert by_name["Bo"].salesperson == salesperson
    assert by_name["Anna"].subject == "Hello"
    assert by_name["Cyril"].salesperson is None
    assert step.action == "edit"
    assert step.edited_count == 2
    assert step.parameters["fields"] == {"salesperson": "JD", "subject": "Hello"}


def test_edit_lines_resets_fields_to_the_header(segment, lines, marketing_user):
    edit_lines(
        segment,
        changes={"cost": None},
        line_ids=[line.pk for line in lines],
        expected_count=3,
        user=marketing_user,
    )

    assert not segment.lines.filter(cost__isnull=False).exists()


def test_go_back_restores_exactly_what_edit_lines_changed(
    segment, lines, marketing_user
):
    lines[0].date = datetime.date(2026, 1, 2)
    lines[0].save()
    before = _details(segment)
    edit_lines(
        segment,
        changes={"cost": Decimal("9.50"), "date": None, "language": "fr"},
        filters={},
        expected_count=3,
        user=marketing_user,
    )
    assert set(segment.lines.values_list("cost", flat=True)) == {Decimal("9.50")}

    go_back(segment, user=marketing_user)

    assert _details(segment) == before
    assert not CriteriaStep.objects.filter(segment=segment).exists()
    assert not EditedSegmentLine.objects.exists()


def test_go_back_keeps_hand_edits_of_other_fields(segment, lines, marketing_user):
    edit_lines(
        segment,
        changes={"cost": Decimal("1")},
        line_ids=[lines[0].pk],
        expected_count=1,
        user=marketing_user,
    )
    SegmentLine.objects.filter(pk=lines[0].pk).update(subject="By hand")

    go_back(segment, user=marketing_user)

    line = SegmentLine.objects.get(pk=lines[0].pk)
    assert line.cost is None
    assert line.subject == "By hand"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"changes": {}, "line_ids": [0], "expected_count": 1}, "at least one field"),
        (
            {"changes": {"language": "no such"}, "filters": {}, "expected_count": 3},
            "language",
        ),
        (
            {"changes": {"cost": Decimal("-1")}, "filters": {}, "expected_count": 3},
            "greater than or equal",
        ),
        ({"changes": {"cost": Decimal("1")}, "expected_count": 0}, "Select"),
        (
            {"changes": {"cost": Decimal("1")}, "filters": {}, "expected_count": 2},
            "changed meanwhile",
        ),
        (
            {"changes": {"cost": Decimal("1")}, "line_ids": [0], "expected_count": 1},
            "changed meanwhile",
        ),
    ],
)
def test_bad_input_changes_nothing(segment, lines, marketing_user, arguments, message):
    before = _details(segment)

    with pytest.raises(ValidationError) as refused:
        edit_lines(segment, user=marketing_user, **arguments)

    assert message in " ".join(refused.value.messages)
    assert _details(segment) == before
    assert not CriteriaStep.objects.exists()
    assert not EditedSegmentLine.objects.exists()


def test_save_criteria_leaves_edit_steps_out(segment, lines, marketing_user):
    edit_lines(
        segment,
        changes={"cost": Decimal("1")},
        filters={},
        expected_count=3,
        user=marketing_user,
    )

    with pytest.raises(ValidationError):
        save_criteria(segment, code="X", description="", user=marketing_user)


def test_the_filter_finds_lines_by_their_effective_values(segment, lines):
    lines[2].personal_document = WordDocumentFactory()
    lines[2].is_duplicate = False
    lines[2].save()

    def names(**filters):
        return sorted(
            matching_lines(segment, filters).values_list("contact__name", flat=True)
        )

    assert names(language="sv") == ["Anna", "Bo"]
    assert names(changed="yes") == ["Bo"]
    assert names(changed="no") == ["Anna", "Cyril"]
    assert names(personalised="yes") == ["Cyril"]
    assert names(duplicate="yes") == []
    assert names(name="ann") == ["Anna"]


# The pages.


def _select(segment, **data):
    return reverse("segmentation:segment_edit_lines", args=[segment.pk]), data


@pytest.mark.parametrize("extra_lines", [1, 60])
def test_the_segment_page_filters_and_pages_in_constant_queries(
    marketing_client, django_assert_num_queries, segment, lines, extra_lines
):
    for _ in range(extra_lines):
        SegmentLineFactory(segment=segment, contact=PersonFactory(language="sv"))

    with django_assert_num_queries(11):
        response = marketing_client.get(
            segment.get_absolute_url(),
            {"language": "sv", "changed": "no", "salesperson": ""},
        )

    matching = extra_lines + 1
    assert response.context["line_count"] == matching
    assert f"All {matching} matching line" in response.content.decode()


def test_edit_all_matching_lines_through_the_pages(marketing_client, segment, lines):
    url, data = _select(
        segment, language="sv", all_matching="1", expected="2", lines=[]
    )

    form_page = marketing_client.post(url, data).content.decode()
    assert "2 lines will be changed" in form_page
    assert '<input type="hidden" name="all_matching" value="1">' in form_page
    assert '<input type="hidden" name="expected" value="2">' in form_page

    response = marketing_client.post(
        url, {**data, "apply": "1", "set-subject": "Hej", "set-reset_cost": "on"}
    )

    assert response.status_code == 302
    assert sorted(
        segment.lines.filter(subject="Hej").values_list("contact__name", flat=True)
    ) == ["Anna", "Bo"]
    assert not segment.lines.filter(cost__isnull=False).exists()
    criteria = marketing_client.get(
        reverse("segmentation:segment_criteria", args=[segment.pk])
    ).content.decode()
    assert "Edit Lines" in criteria
    assert "Subject = Hej" in criteria
    assert "2 lines changed" in criteria


def test_a_stale_selection_is_refused_on_the_page(marketing_client, segment, lines):
    before = _details(segment)
    url, data = _select(segment, all_matching="1", expected="5")

    response = marketing_client.post(url, {**data, "apply": "1", "set-subject": "X"})

    assert "changed meanwhile" in response.content.decode()
    assert _details(segment) == before


def test_a_value_and_a_reset_of_the_same_field_are_refused(
    marketing_client, segment, lines
):
    url, data = _select(segment, lines=[lines[0].pk])

    response = marketing_client.post(
        url, {**data, "apply": "1", "set-subject": "X", "set-reset_subject": "on"}
    )

    assert "not both" in response.content.decode()
    assert not CriteriaStep.objects.exists()


def test_an_empty_selection_goes_back_with_a_message(marketing_client, segment, lines):
    url, data = _select(segment)

    response = marketing_client.post(url, data, follow=True)

    assert "Select at least one line" in response.content.decode()
    assert not CriteriaStep.objects.exists()


def test_remove_refuses_all_matching(marketing_client, segment, lines):
    response = marketing_client.post(
        reverse("segmentation:segment_remove_lines", args=[segment.pk]),
        {"all_matching": "1", "expected": "3"},
        follow=True,
    )

    assert "nothing was removed" in response.content.decode()
    assert segment.lines.count() == 3


def test_outsiders_cannot_edit_lines(outsider_client, segment, lines):
    url, data = _select(segment, lines=[lines[0].pk])

    assert outsider_client.post(url, {**data, "apply": "1"}).status_code == 403


def test_the_form_offers_every_overridable_field_and_leaves_empty_ones_alone(
    marketing_client, segment, lines
):
    url, data = _select(segment, lines=[lines[1].pk])

    form_page = marketing_client.post(url, data).content.decode()
    marketing_client.post(
        url, {**data, "apply": "1", "set-correspondence_type": "email"}
    )

    for name in SegmentLine.OVERRIDABLE_FIELDS:
        assert f'name="set-{name}"' in form_page
        assert f'name="set-reset_{name}"' in form_page
    line = SegmentLine.objects.get(pk=lines[1].pk)
    assert line.correspondence_type == "email"
    assert line.cost == Decimal("3.00")
