"""What each line inherits from the header (reference scenarios 3–8 and 27–31, adapted)."""

import datetime
from decimal import Decimal

import pytest

from segmentation.effective import with_effective_values
from segmentation.models import SegmentLine
from tests.factories import (
    CampaignFactory,
    ContactFactory,
    InteractionTemplateFactory,
    PersonFactory,
    SalespersonFactory,
    SegmentFactory,
    SegmentLineFactory,
    TemplateDocumentFactory,
    WordDocumentFactory,
)

pytestmark = pytest.mark.django_db


def _effective(line):
    return with_effective_values(SegmentLine.objects.filter(pk=line.pk)).get()


@pytest.fixture
def template():
    return InteractionTemplateFactory(
        code="T",
        unit_cost=Decimal("2"),
        unit_duration=5,
        information_flow="outbound",
        initiated_by="us",
        correspondence_type="email",
        default_language="en",
    )


@pytest.fixture
def segment(template):
    return SegmentFactory(
        description="Spring mail",
        subject="Spring offers",
        template=template,
        unit_cost=Decimal("2"),
        unit_duration=5,
        information_flow="outbound",
        initiated_by="us",
        date=datetime.date(2026, 3, 1),
        campaign=CampaignFactory(code="SPRING"),
    )


def test_a_new_line_inherits_the_header_and_the_contacts_salesperson(segment, template):
    """Scenario 3."""
    salesperson = SalespersonFactory(code="SP2")
    line = SegmentLineFactory(
        segment=segment, contact=ContactFactory(salesperson=salesperson)
    )

    effective = _effective(line)

    assert effective.effective_description == "Spring mail"
    assert effective.effective_subject == "Spring offers"
    assert effective.effective_template_id == template.pk
    assert effective.effective_group_id == template.group_id
    assert (effective.effective_cost, effective.effective_duration) == (Decimal("2"), 5)
    assert effective.effective_information_flow == "outbound"
    assert effective.effective_initiated_by == "us"
    assert effective.effective_salesperson_id == salesperson.pk
    assert effective.effective_date == datetime.date(2026, 3, 1)
    assert effective.effective_campaign_id == segment.campaign_id


def test_the_header_salesperson_wins_over_the_contacts(segment):
    """Scenario 4."""
    segment.salesperson = SalespersonFactory(code="SP1")
    segment.save()
    line = SegmentLineFactory(
        segment=segment,
        contact=ContactFactory(salesperson=SalespersonFactory(code="SP2")),
    )

    assert _effective(line).effective_salesperson_id == segment.salesperson_id


@pytest.mark.parametrize(
    ("contact_prefers", "template_ignores", "header_ignores", "expected"),
    [
        ("hard_copy", False, False, "hard_copy"),  # scenario 5
        ("", False, False, "email"),  # scenario 6
        ("hard_copy", True, False, "email"),  # scenario 7
        ("email", False, True, "hard_copy"),  # scenario 8
    ],
)
def test_the_correspondence_type_follows_reference_rule_2_10(
    segment, template, contact_prefers, template_ignores, header_ignores, expected
):
    template.ignore_contact_correspondence_type = template_ignores
    template.save()
    segment.ignore_contact_correspondence_type = header_ignores
    segment.correspondence_type = "hard_copy"
    segment.save()
    line = SegmentLineFactory(
        segment=segment, contact=ContactFactory(correspondence_type=contact_prefers)
    )

    assert _effective(line).effective_correspondence_type == expected


def test_without_a_template_a_line_takes_the_contacts_correspondence_type():
    segment = SegmentFactory(template=None)
    line = SegmentLineFactory(
        segment=segment, contact=ContactFactory(correspondence_type="hard_copy")
    )

    assert _effective(line).effective_correspondence_type == "hard_copy"


def test_header_edits_reach_every_line_that_did_not_change_the_value(segment):
    """Scenarios 27–29, adapted: no "update lines?" question, lines simply inherit."""
    plain = SegmentLineFactory(segment=segment)
    own = SegmentLineFactory(segment=segment, description="Personal note")

    segment.description = "Autumn mail"
    segment.unit_cost = Decimal("3.50")
    segment.save()

    assert _effective(plain).effective_description == "Autumn mail"
    assert _effective(own).effective_description == "Personal note"
    assert _effective(plain).effective_cost == Decimal("3.50")


def test_a_line_with_its_own_template_takes_that_templates_defaults(segment):
    call = InteractionTemplateFactory(
        code="CALL",
        unit_cost=Decimal("9"),
        unit_duration=30,
        information_flow="inbound",
        initiated_by="them",
        correspondence_type="",
    )
    line = SegmentLineFactory(segment=segment, template=call)

    effective = _effective(line)

    assert effective.effective_template_id == call.pk
    assert effective.effective_group_id == call.group_id
    assert (effective.effective_cost, effective.effective_duration) == (
        Decimal("9"),
        30,
    )
    assert effective.effective_information_flow == "inbound"
    assert effective.effective_initiated_by == "them"


def test_a_line_override_wins_and_null_means_inherit(segment):
    line = SegmentLineFactory(
        segment=segment,
        subject="",
        cost=Decimal("0"),
        date=datetime.date(2026, 4, 1),
        correspondence_type="",
    )

    effective = _effective(line)

    assert effective.effective_subject == ""
    assert effective.effective_cost == Decimal("0")
    assert effective.effective_date == datetime.date(2026, 4, 1)
    assert effective.effective_correspondence_type == ""


def test_the_language_and_document_follow_the_contact_when_the_template_has_it(
    segment, template
):
    """Scenario 30, without the reference's first-language quirk."""
    english = TemplateDocumentFactory(template=template, language="en")
    swedish = TemplateDocumentFactory(template=template, language="sv")
    swede = SegmentLineFactory(segment=segment, contact=PersonFactory(language="sv"))
    french = SegmentLineFactory(segment=segment, contact=PersonFactory(language="fr"))

    assert _effective(swede).effective_language == "sv"
    assert _effective(swede).effective_document_id == swedish.document_id
    assert _effective(french).effective_language == "en"
    assert _effective(french).effective_document_id == english.document_id


def test_the_header_language_is_the_fallback_before_the_templates_default(
    segment, template
):
    TemplateDocumentFactory(template=template, language="en")
    czech = TemplateDocumentFactory(template=template, language="cs")
    segment.language = "cs"
    segment.save()
    french = SegmentLineFactory(segment=segment, contact=PersonFactory(language="fr"))

    assert _effective(french).effective_language == "cs"
    assert _effective(french).effective_document_id == czech.document_id


def test_a_language_without_a_document_falls_back_to_the_default_document(
    segment, template
):
    english = TemplateDocumentFactory(template=template, language="en")
    line = SegmentLineFactory(segment=segment, language="fr")

    assert _effective(line).effective_language == "fr"
    assert _effective(line).effective_document_id == english.document_id


def test_the_document_is_the_lines_then_the_segments_then_the_templates(
    segment, template
):
    """Scenario 31: a personalised letter replaces the shared one for one line only."""
    TemplateDocumentFactory(template=template, language="sv")
    shared = SegmentLineFactory(segment=segment, contact=PersonFactory(language="sv"))
    personal = SegmentLineFactory(
        segment=segment, personal_document=WordDocumentFactory(language="cs")
    )
    assert _effective(shared).effective_document_id == (
        template.documents.get(language="sv").document_id
    )

    segment.document = WordDocumentFactory(language="fr")
    segment.save()

    assert _effective(shared).effective_document_id == segment.document_id
    assert _effective(personal).effective_document_id == personal.personal_document_id
