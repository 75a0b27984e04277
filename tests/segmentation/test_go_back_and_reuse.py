"""Go Back, Save Criteria, Reuse Criteria and Reuse Segment (reference scenarios 20–26)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from segmentation.models import SavedCriteria
from segmentation.services import (
    add_contacts,
    add_contacts_by_hand,
    go_back,
    personalise_line,
    reduce_contacts,
    refine_contacts,
    remove_lines,
    reuse_criteria,
    reuse_segment,
    save_criteria,
    update_line,
)
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    InteractionLogEntryFactory,
    JobResponsibilityFactory,
    LoggedSegmentFactory,
    MailingGroupFactory,
    PersonFactory,
    SalespersonFactory,
    SegmentFactory,
    UserFactory,
    demo_letter,
)

pytestmark = pytest.mark.django_db


def _contacts_on(segment):
    return sorted(segment.lines.values_list("contact__name", flat=True))


def _lines(segment):
    return list(
        segment.lines.order_by("pk").values(
            "pk", "contact_id", "subject", "personal_comment", "personal_document_id"
        )
    )


@pytest.fixture
def segment():
    return SegmentFactory()


def test_go_back_undoes_an_add(segment, marketing_user):
    """Scenario 20."""
    newsletter = MailingGroupFactory(code="NEWSLETTER")
    add_contacts_by_hand(
        segment, contacts=[ContactFactory(name="C1")], user=marketing_user
    )
    for name in ("C2", "C3"):
        ContactFactory(name=name, mailing_groups=[newsletter])
    add_contacts(
        segment, criteria={"mailing_group": ["NEWSLETTER"]}, user=marketing_user
    )

    undone = go_back(segment, user=marketing_user)

    assert undone.number == 2
    assert _contacts_on(segment) == ["C1"]
    assert list(segment.steps.values_list("number", flat=True)) == [1]


def test_go_back_restores_removed_lines_with_their_personalisation(
    segment, marketing_user
):
    """Scenario 21, improved: the reference re-creates the line and loses "VIP"."""
    c1, c2 = ContactFactory(name="C1"), ContactFactory(name="C2")
    add_contacts_by_hand(segment, contacts=[c1, c2], user=marketing_user)
    line = segment.lines.get(contact=c2)
    update_line(
        line,
        fields={
            "subject": "VIP",
            "personal_comment": "Thank you for 20 years!",
            "salesperson": SalespersonFactory(),
        },
        user=UserFactory(),
    )
    personalise_line(
        line, data=demo_letter(), file_name="vip.docx", user=marketing_user
    )
    before = _lines(segment)
    reduce_contacts(segment, criteria={"number": [c2.number]}, user=marketing_user)
    assert _contacts_on(segment) == ["C1"]

    go_back(segment, user=marketing_user)

    assert _lines(segment) == before
    restored = segment.lines.get(contact=c2)
    assert restored.salesperson == line.salesperson
    assert restored.added_by_step == line.added_by_step


def test_go_back_undoes_a_refine_and_a_manual_removal(segment, marketing_user):
    contacts = [ContactFactory(name=f"C{index}") for index in range(4)]
    add_contacts_by_hand(segment, contacts=contacts, user=marketing_user)
    before = _lines(segment)
    refine_contacts(
        segment, criteria={"number": [contacts[0].number]}, user=marketing_user
    )
    remove_lines(segment, line_ids=[segment.lines.get().pk], user=marketing_user)
    assert segment.lines.count() == 0

    go_back(segment, user=marketing_user)
    go_back(segment, user=marketing_user)

    assert _lines(segment) == before


def test_go_back_with_nothing_to_undo_explains_and_changes_nothing(
    segment, marketing_user
):
    """Scenario 22."""
    with pytest.raises(ValidationError, match="no step to undo"):
        go_back(segment, user=marketing_user)


def test_go_back_of_a_duplicate_add_keeps_the_original_line(segment, marketing_user):
    contact = ContactFactory(name="C1")
    add_contacts_by_hand(segment, contacts=[contact], user=marketing_user)
    original = _lines(segment)
    add_contacts(
        segment,
        criteria={"number": [contact.number]},
        user=marketing_user,
        allow_existing_contacts=True,
    )
    assert segment.lines.count() == 2

    go_back(segment, user=marketing_user)

    assert _lines(segment) == original


def test_save_criteria_needs_steps_and_a_new_code(segment, marketing_user):
    """Scenario 23 (a blank code is refused by the form, see the view tests)."""
    with pytest.raises(ValidationError, match="no criteria steps"):
        save_criteria(segment, code="CUST", description="", user=marketing_user)

    add_contacts_by_hand(segment, contacts=[ContactFactory()], user=marketing_user)
    save_criteria(segment, code="CUST", description="Customers", user=marketing_user)

    with pytest.raises(ValidationError, match="already exist"):
        save_criteria(segment, code="cust", description="", user=marketing_user)
    assert SavedCriteria.objects.count() == 1


def test_reuse_criteria_replays_every_step_against_todays_contacts(marketing_user):
    """Scenario 24, including the Refine's Entire Companies the reference drops."""
    newsletter = MailingGroupFactory(code="NEWSLETTER")
    buyer = JobResponsibilityFactory(code="BUYER")
    company = CompanyFactory(name="A", mailing_groups=[newsletter])
    PersonFactory(
        name="P1",
        company=company,
        mailing_groups=[newsletter],
        job_responsibilities=[buyer],
    )
    PersonFactory(name="P2", company=company, mailing_groups=[newsletter])
    ContactFactory(name="X", mailing_groups=[newsletter])
    manual = ContactFactory(name="Manual")
    original = SegmentFactory()
    add_contacts(
        original, criteria={"mailing_group": ["NEWSLETTER"]}, user=marketing_user
    )
    add_contacts_by_hand(original, contacts=[manual], user=marketing_user)
    refine_contacts(
        original,
        criteria={"job_responsibility": ["BUYER"]},
        user=marketing_user,
        entire_companies=True,
    )
    saved = save_criteria(
        original, code="BUYERS", description="Buyers' companies", user=marketing_user
    )
    late = PersonFactory(name="P3", company=company, mailing_groups=[newsletter])
    fresh = SegmentFactory()

    steps = reuse_criteria(fresh, saved_criteria=saved, user=marketing_user)

    assert [step.origin for step in steps] == ["reuse_criteria"] * 3
    assert [step.action for step in steps] == ["add", "add", "refine"]
    assert steps[2].entire_companies
    assert _contacts_on(original) == ["A", "P1", "P2"]
    assert _contacts_on(fresh) == ["A", "P1", "P2", late.name]


def test_reuse_criteria_is_all_or_nothing(segment, marketing_user):
    group = MailingGroupFactory(code="GONE")
    other = SegmentFactory()
    add_contacts_by_hand(other, contacts=[ContactFactory()], user=marketing_user)
    add_contacts(other, criteria={"mailing_group": ["GONE"]}, user=marketing_user)
    saved = save_criteria(other, code="OLD", description="", user=marketing_user)
    group.delete()

    with pytest.raises(ValidationError):
        reuse_criteria(segment, saved_criteria=saved, user=marketing_user)

    assert segment.lines.count() == 0
    assert segment.steps.count() == 0


def test_reuse_segment_adds_the_logged_contacts_except_excluded_ones(
    segment, marketing_user
):
    """Scenario 26, adapted: exclusion and privacy blocks are honoured and reported."""
    logged = LoggedSegmentFactory()
    c1 = ContactFactory(name="C1", exclude_from_segments=True)
    c2 = ContactFactory(name="C2")
    blocked = ContactFactory(name="Blocked", privacy_blocked=True)
    for contact in (c1, c2, c2, blocked):
        InteractionLogEntryFactory(contact=contact, logged_segment=logged)
    InteractionLogEntryFactory(contact=ContactFactory(name="Elsewhere"))

    step = reuse_segment(segment, logged_segment=logged, user=marketing_user)

    assert _contacts_on(segment) == ["C2"]
    assert step.origin == "reuse_segment"
    assert step.parameters == {"logged_segment": [str(logged.pk)]}
    assert step.left_out == {
        "already_on_segment": 0,
        "excluded": 1,
        "privacy_blocked": 1,
    }


def test_go_back_without_steps_is_a_disabled_button_out_of_the_tab_order(
    marketing_client, segment
):
    page = marketing_client.get(segment.get_absolute_url()).content.decode()

    go_back = reverse("segmentation:segment_go_back", args=[segment.pk])
    assert f'href="{go_back}"' not in page
    assert "disabled>Go Back</button>" in page
