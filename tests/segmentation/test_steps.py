"""Add / Reduce / Refine Contacts, by criteria and by hand (reference scenarios 9–19)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from segmentation.models import CriteriaStep, SegmentLine
from segmentation.services import (
    add_contacts,
    add_contacts_by_hand,
    clear_criteria,
    reduce_contacts,
    refine_contacts,
    remove_lines,
)
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    IndustryGroupFactory,
    InteractionLogEntryFactory,
    InteractionTemplateFactory,
    JobResponsibilityFactory,
    MailingGroupFactory,
    PersonFactory,
    SegmentFactory,
)

pytestmark = pytest.mark.django_db


def _contacts_on(segment):
    return sorted(
        segment.lines.values_list("contact__name", flat=True), key=str.casefold
    )


def _state(segment):
    return (
        list(segment.lines.order_by("pk").values_list("pk", "contact_id")),
        list(segment.steps.values_list("pk", flat=True)),
    )


@pytest.fixture
def segment():
    return SegmentFactory()


@pytest.fixture
def newsletter():
    return MailingGroupFactory(code="NEWSLETTER")


def test_adding_by_hand_records_a_step_with_the_contact_numbers(
    segment, marketing_user
):
    first, second = ContactFactory(name="Ann"), ContactFactory(name="Bo")

    step = add_contacts_by_hand(segment, contacts=[second, first], user=marketing_user)

    assert _contacts_on(segment) == ["Ann", "Bo"]
    assert step.number == 1
    assert step.action == "add"
    assert step.origin == "manual"
    assert step.added_count == 2
    assert step.parameters == {"number": [f"{first.number} {second.number}"]}
    assert set(segment.lines.values_list("added_by_step", flat=True)) == {step.pk}


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({"exclude_from_segments": True}, "is excluded from segments"),
        ({"privacy_blocked": True}, "is privacy blocked"),
    ],
)
def test_adding_an_excluded_or_blocked_contact_by_hand_is_refused(
    segment, marketing_user, flags, message
):
    refused = ContactFactory(**flags)
    fine = ContactFactory()

    with pytest.raises(ValidationError) as error:
        add_contacts_by_hand(segment, contacts=[fine, refused], user=marketing_user)

    assert message in " ".join(error.value.messages)
    assert _state(segment) == ([], [])


def test_a_contact_already_on_the_segment_is_not_added_again_by_hand(
    segment, marketing_user
):
    contact = ContactFactory()
    add_contacts_by_hand(segment, contacts=[contact], user=marketing_user)
    before = _state(segment)

    with pytest.raises(ValidationError, match="already on the segment"):
        add_contacts_by_hand(segment, contacts=[contact], user=marketing_user)

    assert _state(segment) == before


def test_add_contacts_skips_contacts_already_on_the_segment_by_default(
    segment, marketing_user, newsletter
):
    present = ContactFactory(mailing_groups=[newsletter])
    add_contacts_by_hand(segment, contacts=[present], user=marketing_user)

    step = add_contacts(
        segment, criteria={"mailing_group": ["NEWSLETTER"]}, user=marketing_user
    )

    assert step.added_count == 0
    assert segment.lines.count() == 1


def test_allow_existing_contacts_adds_a_marked_duplicate_line(
    segment, marketing_user, newsletter
):
    present = ContactFactory(mailing_groups=[newsletter])
    add_contacts_by_hand(segment, contacts=[present], user=marketing_user)

    add_contacts(
        segment,
        criteria={"mailing_group": ["NEWSLETTER"]},
        user=marketing_user,
        allow_existing_contacts=True,
    )

    lines = list(segment.lines.order_by("pk").values_list("contact", "is_duplicate"))
    assert lines == [(present.pk, False), (present.pk, True)]


def test_exclusion_is_honoured_unless_ignored_and_privacy_blocks_always(
    marketing_user, newsletter
):
    """Scenario 10: C1 excluded, C2 not; a blocked contact never goes on."""
    ContactFactory(name="C1", exclude_from_segments=True, mailing_groups=[newsletter])
    ContactFactory(name="C2", mailing_groups=[newsletter])
    ContactFactory(name="C3", privacy_blocked=True, mailing_groups=[newsletter])
    plain, ignoring = SegmentFactory(), SegmentFactory()
    criteria = {"mailing_group": ["NEWSLETTER"]}

    add_contacts(plain, criteria=criteria, user=marketing_user)
    add_contacts(
        ignoring, criteria=criteria, user=marketing_user, ignore_exclusion=True
    )

    assert _contacts_on(plain) == ["C2"]
    assert _contacts_on(ignoring) == ["C1", "C2"]


@pytest.mark.parametrize(
    ("members", "related", "expected"),
    [
        (["A", "B", "C"], False, ["A", "B", "C"]),
        (["A", "B", "C"], True, ["A", "B", "C"]),
        (["B", "C"], True, ["A", "B", "C"]),
        (["B", "C"], False, ["B", "C"]),
    ],
)
def test_allow_related_companies_adds_the_company_of_each_person(
    segment, marketing_user, newsletter, members, related, expected
):
    """Scenario 11 (T-CS): A company, B person without company, C person of A."""
    company = CompanyFactory(name="A")
    contacts = {
        "A": company,
        "B": ContactFactory(name="B"),
        "C": PersonFactory(name="C", company=company),
    }
    for name in members:
        contacts[name].mailing_groups.add(newsletter)

    add_contacts(
        segment,
        criteria={"mailing_group": ["NEWSLETTER"]},
        user=marketing_user,
        allow_related_companies=related,
    )

    assert _contacts_on(segment) == expected


def test_expand_companies_brings_every_contact_of_a_matched_company(
    segment, marketing_user, newsletter
):
    company = CompanyFactory(name="Acme")
    PersonFactory(name="Zoe", company=company)
    PersonFactory(name="Adam", company=company, mailing_groups=[newsletter])
    ContactFactory(name="Loner", mailing_groups=[newsletter])

    add_contacts(
        segment,
        criteria={"mailing_group": ["NEWSLETTER"]},
        user=marketing_user,
        expand_companies=True,
    )

    in_line_order = list(
        segment.lines.order_by("pk").values_list("contact__name", flat=True)
    )
    assert in_line_order == ["Acme", "Adam", "Zoe", "Loner"]


def test_persons_match_industry_groups_through_their_company(segment, marketing_user):
    """Scenario 12: only the company has RETAIL, yet its persons qualify."""
    retail = IndustryGroupFactory(code="RETAIL")
    company = CompanyFactory(name="Acme", industry_groups=[retail])
    PersonFactory(name="P1", company=company)
    PersonFactory(name="P2", company=company)
    CompanyFactory(name="Other")

    add_contacts(segment, criteria={"industry_group": ["RETAIL"]}, user=marketing_user)

    assert _contacts_on(segment) == ["Acme", "P1", "P2"]


def test_criteria_of_different_sections_must_all_match(
    segment, marketing_user, newsletter
):
    """Scenario 13."""
    industry = IndustryGroupFactory(code="IND")
    with_industry = CompanyFactory(industry_groups=[industry])
    PersonFactory(name="C1", company=with_industry, mailing_groups=[newsletter])
    PersonFactory(name="C2", mailing_groups=[newsletter])

    add_contacts(
        segment,
        criteria={"mailing_group": ["NEWSLETTER"], "industry_group": ["IND"]},
        user=marketing_user,
    )

    assert _contacts_on(segment) == ["C1"]


def test_the_interaction_history_filter_finds_who_had_an_interaction(
    segment, marketing_user
):
    """Scenario 14, plus "has not" and cancelled entries not counting by default."""
    webinar = InteractionTemplateFactory(code="WEBINAR")
    c1, c2, c3 = (ContactFactory(name=name) for name in ["C1", "C2", "C3"])
    InteractionLogEntryFactory(
        contact=c1, template=webinar, date=datetime.date(2024, 5, 1)
    )
    InteractionLogEntryFactory(
        contact=c3, template=webinar, date=datetime.date(2024, 6, 1), cancelled=True
    )
    criteria = {
        "interaction_template": ["WEBINAR"],
        "interaction_date_after": ["2024-01-01"],
        "interaction_date_before": ["2024-12-31"],
    }
    had, had_not, counting_cancelled = SegmentFactory(), SegmentFactory(), segment

    add_contacts(had, criteria=criteria, user=marketing_user)
    add_contacts(
        had_not,
        criteria={**criteria, "interaction": ["has_not"], "number": [c2.number]},
        user=marketing_user,
    )
    add_contacts(
        counting_cancelled,
        criteria={**criteria, "interaction_include_cancelled": ["true"]},
        user=marketing_user,
    )

    assert _contacts_on(had) == ["C1"]
    assert _contacts_on(had_not) == ["C2"]
    assert _contacts_on(counting_cancelled) == ["C1", "C3"]


def test_a_step_is_recorded_even_when_it_adds_nobody(segment, marketing_user):
    """Scenario 15."""
    step = add_contacts(
        segment, criteria={"city": ["Nowhere"], "type": ["person"]}, user=marketing_user
    )

    assert segment.lines.count() == 0
    assert segment.steps.count() == 1
    assert step.added_count == 0


def test_reduce_and_refine_by_contact_number(marketing_user):
    """Scenarios 16 and 17."""
    c1, c2 = ContactFactory(name="C1"), ContactFactory(name="C2")
    reduced, refined = SegmentFactory(), SegmentFactory()
    for segment in (reduced, refined):
        add_contacts_by_hand(segment, contacts=[c1, c2], user=marketing_user)

    reduce_contacts(reduced, criteria={"number": [c1.number]}, user=marketing_user)
    step = refine_contacts(
        refined, criteria={"number": [c1.number]}, user=marketing_user
    )

    assert _contacts_on(reduced) == ["C2"]
    assert _contacts_on(refined) == ["C1"]
    assert step.removed_count == 1


@pytest.mark.parametrize(
    ("entire_companies", "remaining"),
    [(True, ["X"]), (False, ["A", "P2", "X"])],
)
def test_reduce_with_entire_companies_takes_the_whole_company(
    segment, marketing_user, entire_companies, remaining
):
    """Scenario 18: P1 is a BUYER at A."""
    buyer = JobResponsibilityFactory(code="BUYER")
    company = CompanyFactory(name="A")
    contacts = [
        company,
        PersonFactory(name="P1", company=company, job_responsibilities=[buyer]),
        PersonFactory(name="P2", company=company),
        ContactFactory(name="X"),
    ]
    add_contacts_by_hand(segment, contacts=contacts, user=marketing_user)

    reduce_contacts(
        segment,
        criteria={"job_responsibility": ["BUYER"]},
        user=marketing_user,
        entire_companies=entire_companies,
    )

    assert _contacts_on(segment) == remaining


def test_refine_with_entire_companies_keeps_the_whole_company(segment, marketing_user):
    buyer = JobResponsibilityFactory(code="BUYER")
    company = CompanyFactory(name="A")
    contacts = [
        company,
        PersonFactory(name="P1", company=company, job_responsibilities=[buyer]),
        PersonFactory(name="P2", company=company),
        ContactFactory(name="X"),
    ]
    add_contacts_by_hand(segment, contacts=contacts, user=marketing_user)

    refine_contacts(
        segment,
        criteria={"job_responsibility": ["BUYER"]},
        user=marketing_user,
        entire_companies=True,
    )

    assert _contacts_on(segment) == ["A", "P1", "P2"]


def test_refine_removes_persons_without_a_company_that_do_not_match(
    segment, marketing_user, newsletter
):
    keep = ContactFactory(name="Keep", mailing_groups=[newsletter])
    drop = ContactFactory(name="Drop")
    add_contacts_by_hand(segment, contacts=[keep, drop], user=marketing_user)

    refine_contacts(
        segment,
        criteria={"mailing_group": ["NEWSLETTER"]},
        user=marketing_user,
        entire_companies=True,
    )

    assert _contacts_on(segment) == ["Keep"]


def test_removing_lines_by_hand_is_a_reduce_step(segment, marketing_user):
    c1, c2 = ContactFactory(name="C1"), ContactFactory(name="C2")
    add_contacts_by_hand(segment, contacts=[c1, c2], user=marketing_user)
    line = segment.lines.get(contact=c1)

    step = remove_lines(segment, line_ids=[line.pk], user=marketing_user)

    assert _contacts_on(segment) == ["C2"]
    assert (step.action, step.origin, step.removed_count) == ("reduce", "manual", 1)
    assert step.parameters == {"number": [c1.number]}


def test_criteria_that_are_not_valid_change_nothing(segment, marketing_user):
    add_contacts_by_hand(segment, contacts=[ContactFactory()], user=marketing_user)
    before = _state(segment)

    for service in (add_contacts, reduce_contacts, refine_contacts):
        with pytest.raises(ValidationError, match="Mailing group"):
            service(
                segment, criteria={"mailing_group": ["NO-SUCH"]}, user=marketing_user
            )

    assert _state(segment) == before


def test_an_empty_segment_can_forget_its_steps(segment, marketing_user):
    """Scenario 19, adapted: the user clears the steps of a segment left empty."""
    contact = ContactFactory()
    add_contacts_by_hand(segment, contacts=[contact], user=marketing_user)
    reduce_contacts(segment, criteria={"number": [contact.number]}, user=marketing_user)

    assert clear_criteria(segment, user=marketing_user) == 2
    assert not CriteriaStep.objects.filter(segment=segment).exists()


def test_a_segment_with_lines_keeps_its_steps(segment, marketing_user):
    add_contacts_by_hand(segment, contacts=[ContactFactory()], user=marketing_user)

    with pytest.raises(ValidationError):
        clear_criteria(segment, user=marketing_user)

    assert segment.steps.count() == 1


def test_a_line_per_contact_is_enforced_by_the_database(segment):
    contact = ContactFactory()
    SegmentLine.objects.create(segment=segment, contact=contact)

    with pytest.raises(Exception, match="(?i)unique"):
        SegmentLine.objects.create(segment=segment, contact=contact)
