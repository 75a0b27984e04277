"""The segment pages: header, lines, steps with their preview, criteria, reuse."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from segmentation.models import SavedCriteria, Segment, SegmentLine
from segmentation.services import add_contacts_by_hand, reduce_contacts, save_criteria
from tests import word_files
from tests.factories import (
    ContactFactory,
    InteractionLogEntryFactory,
    InteractionTemplateFactory,
    LoggedSegmentFactory,
    MailingGroupFactory,
    PersonFactory,
    SalespersonFactory,
    SegmentFactory,
    SegmentLineFactory,
    demo_letter,
)

pytestmark = pytest.mark.django_db


def _url(name, segment, **kwargs):
    return reverse(f"segmentation:{name}", kwargs={"pk": segment.pk, **kwargs})


def _state(segment):
    return (
        list(segment.lines.order_by("pk").values_list("pk", "contact_id")),
        list(segment.steps.values_list("pk", flat=True)),
    )


@pytest.fixture
def segment():
    return SegmentFactory(description="Spring mail")


@pytest.fixture
def newsletter_contacts():
    newsletter = MailingGroupFactory(code="NEWSLETTER")
    return [
        ContactFactory(name=name, mailing_groups=[newsletter])
        for name in ("Ann", "Bo", "Cid")
    ]


def _header(**overrides):
    data = {
        "description": "Spring mail",
        "date": "2026-03-01",
        "language": "",
        "subject": "",
        "correspondence_type": "",
        "unit_cost": "0",
        "unit_duration": "0",
        "information_flow": "",
        "initiated_by": "",
        "take_template_defaults": "on",
    }
    data.update(overrides)
    return data


def test_a_new_segment_gets_the_next_number_and_the_templates_defaults(
    marketing_client, marketing_user
):
    template = InteractionTemplateFactory(
        unit_cost=Decimal("1.50"),
        unit_duration=7,
        information_flow="outbound",
        initiated_by="us",
        correspondence_type="hard_copy",
    )

    response = marketing_client.post(
        reverse("segmentation:segment_create"), _header(template=template.pk)
    )

    segment = Segment.objects.get()
    assert response.url == segment.get_absolute_url()
    assert segment.number == "SM00001"
    assert segment.created_by == marketing_user
    assert (segment.unit_cost, segment.unit_duration) == (Decimal("1.50"), 7)
    assert (segment.information_flow, segment.initiated_by) == ("outbound", "us")
    assert segment.correspondence_type == "hard_copy"


def test_a_new_segment_starts_with_the_users_salesperson_and_today(
    marketing_client, marketing_user
):
    salesperson = SalespersonFactory(user=marketing_user)

    form = marketing_client.get(reverse("segmentation:segment_create")).context["form"]

    assert form.initial["salesperson"] == salesperson
    assert form["date"].value() == timezone.localdate()


def test_the_header_can_have_its_own_word_document(marketing_client, segment):
    response = marketing_client.post(
        _url("segment_update", segment),
        _header(
            upload=SimpleUploadedFile("own.docx", demo_letter("fr")),
        ),
    )

    assert response.status_code == 302
    segment.refresh_from_db()
    assert segment.document.file_name == "own.docx"


def test_a_bad_header_document_is_refused_and_nothing_changes(
    marketing_client, segment
):
    response = marketing_client.post(
        _url("segment_update", segment),
        _header(description="Changed", upload=SimpleUploadedFile("x.docx", b"text")),
    )

    assert "not a Word document" in response.content.decode()
    segment.refresh_from_db()
    assert segment.description == "Spring mail"
    assert segment.document is None


def test_a_header_document_with_a_tracking_pixel_is_refused(marketing_client, segment):
    response = marketing_client.post(
        _url("segment_update", segment),
        _header(
            description="Changed",
            upload=SimpleUploadedFile("own.docx", word_files.external_image()),
        ),
    )

    assert "picture that is stored on the internet" in response.content.decode()
    segment.refresh_from_db()
    assert segment.description == "Spring mail"
    assert segment.document is None


@pytest.mark.parametrize("line_count", [3, 40])
def test_the_segment_page_runs_a_constant_number_of_queries(
    marketing_client, django_assert_num_queries, segment, line_count
):
    for _ in range(line_count):
        SegmentLineFactory(segment=segment, contact=PersonFactory())
    # The first visit stores the line filter's fields (core/filter_panel.py);
    # afterwards one query reads them.
    marketing_client.get(segment.get_absolute_url())

    with django_assert_num_queries(12):
        response = marketing_client.get(segment.get_absolute_url())

    assert response.status_code == 200


def test_the_segment_page_shows_effective_values_and_marks_changed_ones(
    marketing_client, segment
):
    SegmentLineFactory(segment=segment, contact=ContactFactory(name="Plain"))
    SegmentLineFactory(
        segment=segment, contact=ContactFactory(name="Own"), description="Just for you"
    )

    page = marketing_client.get(segment.get_absolute_url()).content.decode()

    assert page.count("Spring mail") >= 2
    assert '<span class="overridden">Just for you<span class="visually-hidden">' in page
    assert "(changed for this contact)" in page  # in words, not only in bold


def test_the_step_form_counts_without_changing_anything(
    marketing_client, segment, newsletter_contacts
):
    add_contacts_by_hand(segment, contacts=newsletter_contacts[:1], user=None)
    before = _state(segment)

    response = marketing_client.get(
        _url("segment_add_contacts", segment), {"mailing_group": "NEWSLETTER"}
    )

    page = response.content.decode()
    assert "This will add 2 contacts." in page
    assert "Left out: 1 already on the segment" in page
    assert "Mailing group = NEWSLETTER" in page
    assert _state(segment) == before


def test_applying_a_step_adds_the_contacts_and_reports_it(
    marketing_client, segment, newsletter_contacts
):
    response = marketing_client.post(
        _url("segment_add_contacts", segment),
        {"mailing_group": "NEWSLETTER", "expand_companies": "on"},
        follow=True,
    )

    assert "Add Contacts: 3 contacts added." in response.content.decode()
    assert segment.lines.count() == 3
    step = segment.steps.get()
    assert step.parameters == {"mailing_group": ["NEWSLETTER"]}
    assert step.expand_companies


def test_reduce_and_refine_pages_count_lines_to_remove(
    marketing_client, segment, newsletter_contacts
):
    add_contacts_by_hand(
        segment, contacts=[*newsletter_contacts, ContactFactory()], user=None
    )

    reduce_page = marketing_client.get(
        _url("segment_reduce_contacts", segment), {"mailing_group": "NEWSLETTER"}
    ).content.decode()
    refine_page = marketing_client.get(
        _url("segment_refine_contacts", segment), {"mailing_group": "NEWSLETTER"}
    ).content.decode()

    assert "This will remove 3 lines." in reduce_page
    assert "This will remove 1 line." in refine_page
    assert "Entire Companies" in refine_page


def test_invalid_criteria_show_an_error_and_change_nothing(marketing_client, segment):
    before = _state(segment)

    response = marketing_client.post(
        _url("segment_add_contacts", segment), {"mailing_group": "NO-SUCH"}
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert _state(segment) == before


def test_adding_contacts_by_hand_through_the_picker(marketing_client, segment):
    ann, bo = ContactFactory(name="Ann"), ContactFactory(name="Bo")

    response = marketing_client.post(
        _url("segment_add_lines", segment), {"contacts": [ann.pk, bo.pk]}, follow=True
    )

    assert "2 contacts added" in response.content.decode()
    assert segment.lines.count() == 2


def test_an_excluded_contact_added_by_hand_gets_a_clear_refusal(
    marketing_client, segment
):
    excluded = ContactFactory(name="Ex", exclude_from_segments=True)

    response = marketing_client.post(
        _url("segment_add_lines", segment), {"contacts": [excluded.pk]}, follow=True
    )

    page = response.content.decode()
    assert "is excluded from segments" in page
    assert "No contact was added." in page
    assert segment.lines.count() == 0


def test_removing_ticked_lines_and_going_back(marketing_client, segment):
    add_contacts_by_hand(
        segment, contacts=[ContactFactory(), ContactFactory()], user=None
    )
    line = segment.lines.first()

    marketing_client.post(_url("segment_remove_lines", segment), {"lines": [line.pk]})
    assert segment.lines.count() == 1

    confirmation = marketing_client.get(_url("segment_go_back", segment))
    assert "This will undo the last criteria action." in confirmation.content.decode()
    assert segment.lines.count() == 1

    response = marketing_client.post(_url("segment_go_back", segment), follow=True)

    assert "Step 2 (Reduce Contacts) undone." in response.content.decode()
    assert segment.lines.count() == 2


def test_go_back_without_steps_says_so(marketing_client, segment):
    response = marketing_client.get(_url("segment_go_back", segment), follow=True)

    assert "There is no step to undo." in response.content.decode()


def test_the_criteria_page_lists_steps_in_words_and_saves_them(
    marketing_client, segment, newsletter_contacts
):
    marketing_client.post(
        _url("segment_add_contacts", segment), {"mailing_group": "NEWSLETTER"}
    )
    reduce_contacts(
        segment, criteria={"number": [newsletter_contacts[0].number]}, user=None
    )

    page = marketing_client.get(_url("segment_criteria", segment)).content.decode()
    assert "Add Contacts</strong>: Mailing group = NEWSLETTER" in page
    assert f"Reduce Contacts</strong>: No. = {newsletter_contacts[0].number}" in page

    response = marketing_client.post(
        _url("segment_criteria", segment),
        {"code": "news", "description": "Newsletter readers"},
        follow=True,
    )

    assert "Criteria saved as NEWS." in response.content.decode()
    assert SavedCriteria.objects.get().steps.count() == 2


def test_save_criteria_refuses_a_blank_or_taken_code(marketing_client, segment):
    add_contacts_by_hand(segment, contacts=[ContactFactory()], user=None)
    save_criteria(segment, code="CUST", description="", user=None)

    blank = marketing_client.post(_url("segment_criteria", segment), {"code": ""})
    taken = marketing_client.post(_url("segment_criteria", segment), {"code": "cust"})

    assert "This field is required." in blank.content.decode()
    assert "already exist" in taken.content.decode()
    assert SavedCriteria.objects.count() == 1


def test_reuse_criteria_asks_for_confirmation_when_steps_exist(
    marketing_client, segment, newsletter_contacts
):
    """Scenario 25."""
    source = SegmentFactory()
    add_contacts_by_hand(source, contacts=newsletter_contacts, user=None)
    saved = save_criteria(source, code="THREE", description="", user=None)
    add_contacts_by_hand(segment, contacts=[ContactFactory()], user=None)
    before = _state(segment)

    refused = marketing_client.post(
        _url("segment_reuse_criteria", segment), {"saved_criteria": saved.pk}
    )
    assert "already contains 1 criteria step" in refused.content.decode()
    assert _state(segment) == before

    marketing_client.post(
        _url("segment_reuse_criteria", segment),
        {"saved_criteria": saved.pk, "confirm": "on"},
    )

    assert segment.lines.count() == 4
    assert segment.steps.count() == 2


def test_reuse_segment_page_adds_the_logged_contacts(marketing_client, segment):
    logged = LoggedSegmentFactory()
    contact = ContactFactory()
    InteractionLogEntryFactory(contact=contact, logged_segment=logged)

    response = marketing_client.post(
        _url("segment_reuse_segment", segment),
        {"logged_segment": logged.pk},
        follow=True,
    )

    assert "1 contact added" in response.content.decode()
    assert list(segment.lines.values_list("contact", flat=True)) == [contact.pk]


def test_a_line_is_changed_for_its_contact_and_reset_to_the_header(
    marketing_client, segment
):
    line = SegmentLineFactory(segment=segment)
    url = _url("segment_line_update", segment, line_pk=line.pk)

    response = marketing_client.post(
        url,
        {
            "description": "Only for you",
            "subject": "",
            "correspondence_type": "hard_copy",
            "cost": "4.00",
            "evaluation": "positive",
            "personal_comment": "See you at the fair!",
        },
    )

    assert response.status_code == 302
    line.refresh_from_db()
    assert line.description == "Only for you"
    assert line.subject is None
    assert line.correspondence_type == "hard_copy"
    assert line.cost == Decimal("4.00")
    assert line.personal_comment == "See you at the fair!"

    marketing_client.post(url, {"reset": "1"})

    line.refresh_from_db()
    assert (line.description, line.correspondence_type, line.cost) == (None, None, None)
    assert line.personal_comment == "See you at the fair!"


def test_deleting_a_segment_deletes_its_lines_and_steps(marketing_client, segment):
    add_contacts_by_hand(segment, contacts=[ContactFactory()], user=None)

    marketing_client.post(_url("segment_delete", segment))

    assert not Segment.objects.exists()
    assert not SegmentLine.objects.exists()


def test_a_contact_on_a_segment_cannot_be_deleted(marketing_client, segment):
    """Scenario 42, first half."""
    contact = ContactFactory()
    SegmentLineFactory(segment=segment, contact=contact)

    response = marketing_client.post(
        reverse("contacts:contact_delete", args=[contact.pk]), follow=True
    )

    assert "Segment lines" in response.content.decode()
    assert contact.__class__.objects.filter(pk=contact.pk).exists()


def test_users_without_a_marketing_group_see_no_segments(outsider_client, segment):
    assert outsider_client.get(reverse("segmentation:segment_list")).status_code == 403
    assert outsider_client.get(segment.get_absolute_url()).status_code == 403
    assert outsider_client.post(_url("segment_go_back", segment)).status_code == 403


@pytest.mark.parametrize("segment_count", [2, 20])
def test_the_segment_list_runs_a_constant_number_of_queries(
    marketing_client, django_assert_num_queries, segment_count
):
    for _ in range(segment_count):
        SegmentLineFactory(
            segment=SegmentFactory(template=InteractionTemplateFactory())
        )

    with django_assert_num_queries(10):
        response = marketing_client.get(reverse("segmentation:segment_list"))

    assert len(response.context["page_obj"]) == segment_count
