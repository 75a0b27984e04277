"""Who did what: every business write leaves exactly one event, in its transaction."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from contacts.imports import import_contacts, preview_import
from contacts.models import Contact
from contacts.services import (
    create_contact,
    delete_contact,
    unsubscribe_contact,
    update_contact,
)
from core.audit import AuditEvent, record_event
from interactions.models import InteractionLogEntry, LoggedSegment
from interactions.services import (
    cancel_entries,
    cancel_logged_segment,
    create_interaction,
    evaluate_entries,
    restore_entries,
    restore_logged_segment,
)
from segmentation.models import Segment
from segmentation.services import (
    add_contacts,
    add_contacts_by_hand,
    clear_criteria,
    create_follow_up_segment,
    create_segment_from_criteria,
    delete_segment,
    go_back,
    log_segment,
    mark_printed,
    personalise_line,
    reduce_contacts,
    refine_contacts,
    remove_lines,
    resend_failed,
    reuse_criteria,
    reuse_segment,
    save_criteria,
    save_segment,
    update_line,
)
from tests.factories import (
    ContactFactory,
    InteractionLogEntryFactory,
    InteractionTemplateFactory,
    LoggedSegmentFactory,
    MailingGroupFactory,
    SalespersonFactory,
    SegmentFactory,
    UserFactory,
    demo_letter,
    segment_with_letters,
)

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action
NEWSLETTER = {"mailing_group": ["NEWSLETTER"]}


@pytest.fixture
def newsletter_readers():
    group = MailingGroupFactory(code="NEWSLETTER")
    contacts = ContactFactory.create_batch(3, language="en")
    for contact in contacts:
        contact.mailing_groups.add(group)
    return contacts


def _segment_with_step(user):
    segment = SegmentFactory()
    add_contacts(segment, criteria=NEWSLETTER, user=user)
    AuditEvent.objects.all().delete()
    return segment


def _logged(user, entries=2):
    logged = LoggedSegmentFactory(segment_number="SM00017")
    InteractionLogEntryFactory.create_batch(
        entries,
        logged_segment=logged,
        correspondence_type="hard_copy",
        delivery_status="pending",
    )
    return logged


# Each service: (call it for `user`, returning the object), the action, the figures.
SERVICES = {
    "create_contact": (
        lambda user: create_contact(fields={"name": "Ann"}, user=user),
        Action.CREATE_CONTACT,
        {},
    ),
    "update_contact": (
        lambda user: update_contact(ContactFactory(), fields={"name": "B"}, user=user),
        Action.UPDATE_CONTACT,
        {},
    ),
    "create_interaction": (
        lambda user: (
            create_interaction(
                ContactFactory(),
                template=InteractionTemplateFactory(code="CALL"),
                date=datetime.date(2026, 3, 1),
                description="Called",
                salesperson=SalespersonFactory(),
                user=user,
            ).contact
        ),
        Action.CREATE_INTERACTION,
        {"template": "CALL"},
    ),
    "cancel_logged_segment": (
        lambda user: _cancelled(user),
        Action.CANCEL_LOGGED_SEGMENT,
        {"count": 2},
    ),
    "mark_printed": (
        lambda user: _then(_logged(user), mark_printed, user),
        Action.MARK_PRINTED,
        {"count": 2},
    ),
    "resend_failed": (
        lambda user: _then(_logged(user), resend_failed, user),
        Action.RESEND_FAILED,
        {"count": 0},
    ),
    "save_segment (new)": (
        lambda user: save_segment(
            Segment(), fields={"description": "Spring"}, upload=None, user=user
        ),
        Action.CREATE_SEGMENT,
        {},
    ),
    "save_segment": (
        lambda user: save_segment(
            SegmentFactory(), fields={"description": "Autumn"}, upload=None, user=user
        ),
        Action.UPDATE_SEGMENT,
        {},
    ),
    "create_segment_from_criteria": (
        lambda user: create_segment_from_criteria(criteria=NEWSLETTER, user=user),
        Action.CREATE_SEGMENT_FROM_CONTACTS,
        {"count": 3},
    ),
    "add_contacts": (
        lambda user: _then(SegmentFactory(), add_contacts, user, criteria=NEWSLETTER),
        Action.ADD_CONTACTS,
        {"step": 1, "count": 3},
    ),
    "add_contacts_by_hand": (
        lambda user: _then(
            SegmentFactory(), add_contacts_by_hand, user, contacts=[ContactFactory()]
        ),
        Action.ADD_CONTACTS_BY_HAND,
        {"step": 1, "count": 1},
    ),
    "reduce_contacts": (
        lambda user: _then(
            _segment_with_step(user), reduce_contacts, user, criteria=NEWSLETTER
        ),
        Action.REDUCE_CONTACTS,
        {"step": 2, "count": 3},
    ),
    "refine_contacts": (
        lambda user: _then(
            _segment_with_step(user), refine_contacts, user, criteria=NEWSLETTER
        ),
        Action.REFINE_CONTACTS,
        {"step": 2, "count": 0},
    ),
    "go_back": (
        lambda user: _then(_segment_with_step(user), go_back, user),
        Action.GO_BACK,
        {"step": 1, "count": 3, "restored": 0},
    ),
    "save_criteria": (
        lambda user: _then(
            _segment_with_step(user), save_criteria, user, code="NEWS", description=""
        ),
        Action.SAVE_CRITERIA,
        {"code": "NEWS", "count": 1},
    ),
    "log_segment": (
        lambda user: log_segment(_ready_to_log(), user=user),
        Action.LOG_SEGMENT,
        {"count": 2},
    ),
}


def _ready_to_log():
    segment = segment_with_letters(2)
    segment.salesperson = SalespersonFactory()
    segment.save()
    return segment


def _then(obj, service, user, **arguments):
    service(obj, user=user, **arguments)
    return obj


def _cancelled(user):
    logged = _logged(user)
    cancel_logged_segment(logged, user=user)
    return logged


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_records_one_event_with_its_figures(
    name, marketing_user, newsletter_readers
):
    service, action, figures = SERVICES[name]

    obj = service(marketing_user)

    event = AuditEvent.objects.get()
    assert event.actor == marketing_user
    assert event.action == action
    assert (event.object_type, event.object_id) == (obj._meta.label_lower, obj.pk)
    assert event.figures.items() >= figures.items()


def test_log_names_the_segment_and_its_entries(marketing_user):
    segment = _ready_to_log()

    logged = log_segment(segment, user=marketing_user, create_follow_up=True)

    event = AuditEvent.objects.get()
    assert event.object_label == segment.number
    assert event.summary == f"Logged {segment.number}: 2 entries"
    assert event.figures["follow_up"] == logged.follow_up.number


def test_the_summary_groups_thousands():
    event = AuditEvent(
        action=Action.LOG_SEGMENT, object_label="SM00017", figures={"count": 22525}
    )

    assert event.summary == "Logged SM00017: 22,525 entries"


def test_the_summary_is_rendered_in_the_readers_language(monkeypatch):
    event = AuditEvent(
        action=Action.LOG_SEGMENT, object_label="SM00017", figures={"count": 2}
    )
    asked = []
    monkeypatch.setattr(
        "core.audit.ngettext",
        lambda singular, plural, count: (
            asked.append(translation.get_language()) or plural
        ),
    )

    with translation.override("sv"):
        event.summary  # noqa: B018

    assert asked == ["sv"]


def test_a_rolled_back_service_records_nothing(marketing_user):
    contact = ContactFactory()
    InteractionLogEntryFactory(contact=contact)

    with pytest.raises(ValidationError):
        delete_contact(contact, user=marketing_user)

    assert not AuditEvent.objects.exists()
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_a_refused_log_records_nothing(marketing_user):
    segment = SegmentFactory()

    with pytest.raises(ValidationError):
        log_segment(segment, user=marketing_user)

    assert not AuditEvent.objects.exists()


def test_delete_services_keep_the_label_of_what_is_gone(marketing_user):
    contact = ContactFactory(number="C00042")
    segment = segment_with_letters(2)

    delete_contact(contact, user=marketing_user)
    delete_segment(segment, user=marketing_user)

    assert list(
        AuditEvent.objects.order_by("pk").values_list("action", "object_label")
    ) == [(Action.DELETE_CONTACT, "C00042"), (Action.DELETE_SEGMENT, segment.number)]
    assert AuditEvent.objects.order_by("pk").last().summary == (
        f"Deleted segment {segment.number} with 2 lines"
    )


def test_entry_actions_record_one_event_for_the_whole_selection(marketing_user):
    entries = InteractionLogEntryFactory.create_batch(3)
    selected = InteractionLogEntry.objects.filter(pk__in=[e.pk for e in entries])

    evaluate_entries(selected, evaluation="positive", user=marketing_user)
    cancel_entries(selected, user=marketing_user)
    restore_entries(selected, user=marketing_user)

    events = list(AuditEvent.objects.order_by("pk"))
    assert [event.action for event in events] == [
        Action.EVALUATE_ENTRIES,
        Action.CANCEL_ENTRIES,
        Action.RESTORE_ENTRIES,
    ]
    assert all(event.figures["count"] == 3 for event in events)
    assert events[0].figures["entries"] == sorted(e.pk for e in entries)
    assert events[1].summary == "Cancelled 3 interactions"


def test_a_service_calling_services_records_only_its_own_event(marketing_user):
    logged = log_segment(_ready_to_log(), user=marketing_user)
    AuditEvent.objects.all().delete()

    follow_up = create_follow_up_segment(logged, user=marketing_user)
    reuse = reuse_segment(SegmentFactory(), logged_segment=logged, user=marketing_user)

    assert list(
        AuditEvent.objects.order_by("pk").values_list("action", "object_id")
    ) == [
        (Action.CREATE_FOLLOW_UP_SEGMENT, follow_up.pk),
        (Action.REUSE_SEGMENT, reuse.segment_id),
    ]


def test_reuse_criteria_is_one_event_with_the_totals(
    marketing_user, newsletter_readers
):
    saved = save_criteria(
        _segment_with_step(marketing_user),
        code="NEWS",
        description="",
        user=marketing_user,
    )
    target = SegmentFactory()
    AuditEvent.objects.all().delete()

    reuse_criteria(target, saved_criteria=saved, user=marketing_user)

    event = AuditEvent.objects.get()
    assert (event.action, event.object_id) == (Action.REUSE_CRITERIA, target.pk)
    assert event.figures == {"code": "NEWS", "count": 1, "added": 3, "removed": 0}


def test_line_services_and_steps_by_hand_are_recorded_on_the_segment(
    marketing_user, newsletter_readers
):
    segment = _segment_with_step(marketing_user)
    line = segment.lines.order_by("pk").first()

    update_line(line, fields={"personal_comment": "Hi"}, user=marketing_user)
    personalise_line(
        line, data=demo_letter(), file_name="own.docx", user=marketing_user
    )
    remove_lines(segment, line_ids=[line.pk], user=marketing_user)
    go_back(segment, user=marketing_user)
    go_back(segment, user=marketing_user)
    clear_criteria(segment, user=marketing_user)

    assert list(
        AuditEvent.objects.filter(object_id=segment.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        Action.UPDATE_LINE,
        Action.PERSONALISE_LINE,
        Action.REMOVE_LINES,
        Action.GO_BACK,
        Action.GO_BACK,
        Action.CLEAR_CRITERIA,
    ]
    assert AuditEvent.objects.first().summary == "Cleared 0 criteria steps"


def test_restore_logged_segment_is_recorded(marketing_user):
    logged = _cancelled(marketing_user)

    restore_logged_segment(logged, user=marketing_user)

    assert AuditEvent.objects.order_by("pk").last().summary == (
        "Restored SM00017: 2 entries"
    )


def test_an_import_is_one_event_with_its_contact_count(marketing_user):
    contact_import = preview_import(
        SimpleUploadedFile("people.csv", b"name\nAnn\nBo\n"), user=marketing_user
    )

    import_contacts(contact_import, user=marketing_user)

    event = AuditEvent.objects.get()
    assert event.summary == "Imported people.csv: 2 contacts"


def test_unsubscribing_is_recorded_without_an_actor():
    contact = ContactFactory(number="C00099")

    unsubscribe_contact(contact.pk)

    event = AuditEvent.objects.get()
    assert (event.actor, event.object_label) == (None, "C00099")


def test_a_user_with_events_is_deactivated_not_deleted(marketing_user, admin_client):
    record_event(
        actor=marketing_user, action=Action.CREATE_SEGMENT, obj=SegmentFactory()
    )

    with pytest.raises(ProtectedError):
        marketing_user.delete()
    page = admin_client.get(
        reverse("admin:auth_user_delete", args=[marketing_user.pk])
    ).content.decode()

    assert "history events: 1" in page


def _page(client, obj):
    return client.get(obj.get_absolute_url()).content.decode()


PAGES = {
    "contact": lambda: ContactFactory(),
    "segment": lambda: SegmentFactory(),
    "logged segment": lambda: LoggedSegmentFactory(),
}


@pytest.mark.parametrize("page", PAGES)
def test_the_page_shows_the_history(page, marketing_client, marketing_user):
    obj = PAGES[page]()
    record_event(
        actor=marketing_user,
        action=Action.LOG_SEGMENT,
        obj=obj,
        label="SM00017",
        figures={"count": 22525},
    )
    record_event(
        actor=marketing_user,
        action=Action.LOG_SEGMENT,
        obj=PAGES[page](),
        label="SM00099",
    )

    html = _page(marketing_client, obj).split('id="history-heading"')[1]

    assert "<caption" in html
    assert "Logged SM00017: 22,525 entries" in html
    assert (marketing_user.get_full_name() or "marta") in html
    assert "SM00099" not in html


@pytest.mark.parametrize("page", PAGES)
def test_the_history_costs_the_same_queries_for_1_or_20_events(
    page, marketing_client, marketing_user
):
    few, many = PAGES[page](), PAGES[page]()
    record_event(actor=marketing_user, action=Action.CREATE_CONTACT, obj=few)
    for _ in range(20):
        record_event(actor=UserFactory(), action=Action.CREATE_CONTACT, obj=many)
    # A first visit may fill a cache (the segment page's line filter) that
    # later visits read: count visits after it.
    _page(marketing_client, few)

    with CaptureQueriesContext(connection) as one:
        _page(marketing_client, few)
    with CaptureQueriesContext(connection) as twenty:
        _page(marketing_client, many)

    assert len(twenty) == len(one)


def test_only_admins_see_the_events_in_the_admin(
    admin_client, admin_client_for_marketing, marketing_user
):
    record_event(
        actor=marketing_user, action=Action.CREATE_SEGMENT, obj=SegmentFactory()
    )
    url = reverse("admin:core_auditevent_changelist")

    listed = admin_client.get(url, {"action": Action.CREATE_SEGMENT})
    refused = admin_client_for_marketing.get(url)

    assert listed.status_code == 200
    assert "Created segment" in listed.content.decode()
    assert refused.status_code == 403
    assert admin_client.get(reverse("admin:core_auditevent_add")).status_code == 403


def test_logged_segments_keep_their_number_as_label(marketing_user):
    logged = LoggedSegment.objects.create(segment_number="SM00005")

    event = record_event(actor=marketing_user, action=Action.MARK_PRINTED, obj=logged)

    assert event.object_label == "SM00005"
