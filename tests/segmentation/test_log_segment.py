"""Log: one transaction into Logged Segments (reference scenarios 32–38, 42, adapted)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from contacts.models import Contact
from contacts.services import delete_contact
from interactions.models import InteractionLogEntry, LoggedSegment
from segmentation.models import CriteriaStep, RemovedSegmentLine, Segment, SegmentLine
from segmentation.services import (
    AlreadyLogged,
    add_contacts_by_hand,
    create_follow_up_segment,
    log_segment,
    personalise_line,
    reduce_contacts,
    update_line,
)
from tests.factories import (
    CampaignFactory,
    ContactFactory,
    InteractionTemplateFactory,
    LoggedSegmentFactory,
    PersonFactory,
    SalespersonFactory,
    SegmentFactory,
    TemplateDocumentFactory,
    UserFactory,
    demo_letter,
)
from tests.segmentation.log_page import confirmation

pytestmark = pytest.mark.django_db


def _everything():
    """Every row logging touches, to prove a refused Log changed nothing."""
    return (
        list(Segment.objects.values_list("pk", "number", "description")),
        list(SegmentLine.objects.values_list("pk", "contact_id", "subject")),
        list(CriteriaStep.objects.values_list("pk", flat=True)),
        list(RemovedSegmentLine.objects.values_list("pk", flat=True)),
        InteractionLogEntry.objects.count(),
        LoggedSegment.objects.count(),
    )


@pytest.fixture
def template():
    template = InteractionTemplateFactory(
        code="T",
        unit_cost=Decimal("2.50"),
        unit_duration=5,
        correspondence_type="hard_copy",
        default_language="en",
    )
    TemplateDocumentFactory(template=template, language="en")
    TemplateDocumentFactory(template=template, language="sv")
    return template


@pytest.fixture
def segment(template, marketing_user):
    segment = SegmentFactory(
        description="Spring mail",
        subject="Spring offers",
        template=template,
        salesperson=SalespersonFactory(code="SP1"),
        campaign=CampaignFactory(code="K"),
        unit_cost=Decimal("2.50"),
        unit_duration=5,
        information_flow="outbound",
        initiated_by="us",
        date=datetime.date(2026, 3, 2),
    )
    add_contacts_by_hand(
        segment,
        contacts=[
            PersonFactory(name="C1", language="sv"),
            ContactFactory(name="C2", language="fr"),
        ],
        user=marketing_user,
    )
    return segment


def test_log_writes_one_entry_per_line_and_archives_the_segment(
    segment, template, marketing_user
):
    """Scenario 32."""
    number = segment.number
    c1 = segment.lines.get(contact__name="C1")
    update_line(
        c1,
        fields={"evaluation": "positive", "personal_comment": "Hej!"},
        user=UserFactory(),
    )

    logged = log_segment(segment, user=marketing_user)

    assert (logged.segment_number, logged.description) == (number, "Spring mail")
    assert logged.created_by == marketing_user
    assert logged.created_at.date() == timezone.localdate()
    assert not logged.cancelled
    assert (logged.entry_count, logged.contact_count) == (2, 2)
    assert logged.campaign.code == "K"
    assert not Segment.objects.filter(number=number).exists()
    assert not SegmentLine.objects.exists()
    assert not CriteriaStep.objects.exists()
    entries = {entry.contact.name: entry for entry in logged.entries.all()}
    assert set(entries) == {"C1", "C2"}
    c1_entry = entries["C1"]
    assert c1_entry.segment_number == number
    assert c1_entry.template == template
    assert c1_entry.group == template.group
    assert (c1_entry.cost, c1_entry.duration) == (Decimal("2.50"), 5)
    assert c1_entry.date == datetime.date(2026, 3, 2)
    assert (c1_entry.description, c1_entry.subject) == ("Spring mail", "Spring offers")
    assert c1_entry.salesperson.code == "SP1"
    assert c1_entry.campaign.code == "K"
    assert c1_entry.evaluation == "positive"
    assert c1_entry.personal_comment == "Hej!"
    assert (c1_entry.information_flow, c1_entry.initiated_by) == ("outbound", "us")
    assert c1_entry.contact_company == c1_entry.contact.company
    assert c1_entry.created_by == marketing_user
    assert c1_entry.language == "sv"
    assert c1_entry.document == template.documents.get(language="sv").document
    assert entries["C2"].language == "en"
    assert entries["C2"].document == template.documents.get(language="en").document
    assert not c1_entry.document_is_personalised


def test_each_entry_carries_what_was_changed_on_its_line(segment, marketing_user):
    line = segment.lines.get(contact__name="C2")
    update_line(
        line,
        fields={
            "subject": "VIP",
            "salesperson": SalespersonFactory(code="SP9"),
            "cost": Decimal("9"),
            "correspondence_type": "email",
        },
        user=UserFactory(),
    )
    personal = personalise_line(
        line, data=demo_letter("fr"), file_name="vip.docx", user=marketing_user
    ).personal_document

    entry = log_segment(segment, user=marketing_user).entries.get(contact__name="C2")

    assert (entry.subject, entry.salesperson.code, entry.cost) == (
        "VIP",
        "SP9",
        Decimal("9.00"),
    )
    assert entry.document == personal
    assert entry.document_is_personalised
    assert entry.correspondence_type == "email"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("empty", "is empty"),
        ("no description", "has no description"),
        ("no salesperson", "lines have no salesperson (CT"),
        ("no template", "lines have no interaction template"),
        ("already logged", "already exists"),
    ],
)
def test_log_guards_refuse_and_change_nothing(segment, marketing_user, change, message):
    """Scenarios 33 and 38."""
    if change == "empty":
        reduce_contacts(segment, criteria={"type": ["person", "company"]}, user=None)
        SegmentLine.objects.filter(segment=segment).delete()
    elif change == "no description":
        segment.description = "  "
        segment.save()
    elif change == "no salesperson":
        segment.salesperson = None
        segment.save()
        Contact.objects.update(salesperson=None)
    elif change == "no template":
        segment.template = None
        segment.save()
    else:
        LoggedSegmentFactory(segment_number=segment.number)
    before = _everything()

    with pytest.raises(ValidationError) as error:
        log_segment(segment, user=marketing_user)

    assert message in " ".join(error.value.messages)
    assert _everything() == before


def test_an_email_line_without_address_blocks_only_when_sending(
    segment, marketing_user
):
    """Scenario 34."""
    line = segment.lines.get(contact__name="C2")
    update_line(line, fields={"correspondence_type": "email"}, user=UserFactory())
    line.contact.email = ""
    line.contact.save()
    before = _everything()

    with pytest.raises(ValidationError, match="has no e-mail address"):
        log_segment(segment, user=marketing_user, deliver=True)
    assert _everything() == before

    logged = log_segment(segment, user=marketing_user, deliver=False)

    assert logged.entries.get(contact__name="C2").correspondence_type == ""
    assert logged.entries.get(contact__name="C1").correspondence_type == "hard_copy"


def test_log_can_create_the_follow_up_segment(segment, marketing_user):
    """Scenario 37."""
    number = segment.number

    logged = log_segment(segment, user=marketing_user, create_follow_up=True)

    follow_up = logged.follow_up
    assert follow_up.description == f"Follow-up on segment {number}"
    assert follow_up.campaign.code == "K"
    assert follow_up.template.code == "T"
    assert sorted(follow_up.lines.values_list("contact__name", flat=True)) == [
        "C1",
        "C2",
    ]
    step = follow_up.steps.get()
    assert (step.origin, step.parameters) == (
        "reuse_segment",
        {"logged_segment": [str(logged.pk)]},
    )


def test_a_follow_up_can_keep_only_some_of_the_contacts(segment, marketing_user):
    update_line(
        segment.lines.get(contact__name="C2"),
        fields={"correspondence_type": "email"},
        user=UserFactory(),
    )
    logged = log_segment(segment, user=marketing_user)

    by_type = create_follow_up_segment(
        logged, user=marketing_user, correspondence_types=["email"]
    )
    by_language = create_follow_up_segment(
        logged, user=marketing_user, languages=["sv"]
    )

    assert list(by_type.lines.values_list("contact__name", flat=True)) == ["C2"]
    assert list(by_language.lines.values_list("contact__name", flat=True)) == ["C1"]


def test_a_logged_segment_cannot_be_logged_again(segment, marketing_user):
    log_segment(segment, user=marketing_user)

    with pytest.raises(AlreadyLogged) as error:
        log_segment(segment, user=marketing_user)

    assert error.value.logged_segment.segment_number == segment.number


def test_a_new_upload_is_a_new_version_and_logged_entries_keep_the_old_one(
    segment, template, marketing_user, admin_client_for_marketing
):
    logged = log_segment(segment, user=marketing_user)
    entry = logged.entries.get(contact__name="C1")
    old_document = entry.document
    old_bytes = old_document.file.read()
    new_bytes = demo_letter("cs")
    assert new_bytes != old_bytes
    documents = list(template.documents.order_by("language"))
    data = {
        "code": template.code,
        "description": template.description,
        "group": template.group_id,
        "unit_cost": "2.50",
        "unit_duration": "5",
        "information_flow": "outbound",
        "initiated_by": "us",
        "correspondence_type": "hard_copy",
        "default_language": "en",
        "documents-TOTAL_FORMS": str(len(documents)),
        "documents-INITIAL_FORMS": str(len(documents)),
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "1000",
        "attachment_format": "docx",
        "emails-TOTAL_FORMS": "0",
        "emails-INITIAL_FORMS": "0",
    }
    for index, row in enumerate(documents):
        data |= {
            f"documents-{index}-id": str(row.pk),
            f"documents-{index}-template": str(template.pk),
            f"documents-{index}-language": row.language,
            f"documents-{index}-description": row.description,
        }
    sv_index = [row.language for row in documents].index("sv")
    data[f"documents-{sv_index}-upload"] = SimpleUploadedFile("new-sv.docx", new_bytes)

    response = admin_client_for_marketing.post(
        reverse("admin:interactions_interactiontemplate_change", args=[template.pk]),
        data,
    )

    assert response.status_code == 302
    current = template.documents.get(language="sv").document
    assert current != old_document
    assert current.file_name == "new-sv.docx"
    entry.refresh_from_db()
    assert entry.document == old_document
    download = admin_client_for_marketing.get(
        reverse("interactions:word_document_download", args=[entry.document_id])
    )
    assert b"".join(download.streaming_content) == old_bytes
    download = admin_client_for_marketing.get(
        reverse("interactions:word_document_download", args=[current.pk])
    )
    assert b"".join(download.streaming_content) == new_bytes


def test_a_contact_with_logged_interactions_cannot_be_deleted(segment, marketing_user):
    """Scenario 42, adapted: history is never lost, so the contact stays."""
    contact = segment.lines.first().contact
    log_segment(segment, user=marketing_user)

    with pytest.raises(ValidationError, match="Interaction log entries"):
        delete_contact(contact, user=UserFactory())


def test_the_log_page_lists_counts_and_problems_before_anything_is_written(
    marketing_client, segment
):
    segment.description = ""
    segment.save()
    update_line(
        segment.lines.get(contact__name="C2"),
        fields={"correspondence_type": "email"},
        user=UserFactory(),
    )
    before = _everything()

    page = marketing_client.get(
        reverse("segmentation:segment_log", args=[segment.pk])
    ).content.decode()

    assert '<dd class="col-5 text-end" id="log-lines">2</dd>' in page
    assert "has no description" in page
    assert _everything() == before

    response = marketing_client.post(
        reverse("segmentation:segment_log", args=[segment.pk]),
        {"segment_number": segment.number},
    )

    assert "has no description" in response.content.decode()
    assert _everything() == before


def test_the_send_option_is_off_and_disabled_when_no_line_has_a_type(
    marketing_client, segment
):
    """Scenario 35."""
    url = reverse("segmentation:segment_log", args=[segment.pk])
    assert marketing_client.get(url).context["form"]["deliver"].value() is True

    SegmentLine.objects.update(correspondence_type="")

    form = marketing_client.get(url).context["form"]
    assert form.fields["deliver"].disabled
    assert not form["deliver"].value()


def test_logging_from_the_page_redirects_to_the_logged_segment(
    marketing_client, segment
):
    url = reverse("segmentation:segment_log", args=[segment.pk])
    data = {**confirmation(marketing_client, segment), "create_follow_up": "on"}

    response = marketing_client.post(url, data, follow=True)

    logged = LoggedSegment.objects.get()
    assert response.redirect_chain[-1][0] == logged.get_absolute_url()
    page = response.content.decode()
    assert f"Segment {segment.number} has been logged." in page
    assert "Follow-up segment created:" in page

    again = marketing_client.post(url, data, follow=True)

    assert (
        f"Segment {segment.number} has already been logged:" in again.content.decode()
    )
    assert again.redirect_chain[-1][0] == logged.get_absolute_url()
    assert LoggedSegment.objects.count() == 1


def test_follow_up_from_the_logged_segment_page(
    marketing_client, segment, marketing_user
):
    logged = log_segment(segment, user=marketing_user)

    response = marketing_client.post(
        reverse("segmentation:segment_follow_up", args=[logged.pk]),
        {"correspondence_types": ["hard_copy"]},
        follow=True,
    )

    follow_up = Segment.objects.get()
    assert "Follow-up segment" in response.content.decode()
    assert follow_up.lines.count() == 2
