"""Apply Mailing Group: every contact of a segment into a group, with the count first."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contacts.models import Contact
from core.audit import AuditEvent
from segmentation.services.mailing_groups import apply_mailing_group
from tests.factories import (
    ContactFactory,
    MailingGroupFactory,
    SegmentFactory,
    SegmentLineFactory,
)

pytestmark = pytest.mark.django_db

Membership = Contact.mailing_groups.through


@pytest.fixture
def group():
    return MailingGroupFactory(code="NEWS")


@pytest.fixture
def segment(group):
    """Five contacts, two of them in NEWS already, one of them on two lines."""
    segment = SegmentFactory(number="SM00042")
    contacts = ContactFactory.create_batch(5)
    for contact in contacts[:2]:
        contact.mailing_groups.add(group)
    for contact in contacts:
        SegmentLineFactory(segment=segment, contact=contact)
    SegmentLineFactory(segment=segment, contact=contacts[4], is_duplicate=True)
    return segment


def _url(segment):
    return reverse("segmentation:segment_apply_mailing_group", args=[segment.pk])


def _links():
    return sorted(Membership.objects.values_list("contact_id", "mailinggroup_id"))


def test_apply_puts_every_contact_of_the_segment_in_the_group_once(
    segment, group, marketing_user
):
    outsider_contact = ContactFactory()

    counts = apply_mailing_group(segment, mailing_group=group, user=marketing_user)

    assert counts == {"added": 3, "already": 2, "removed": 0}
    on_segment = set(segment.lines.values_list("contact_id", flat=True))
    assert set(group.contacts.values_list("pk", flat=True)) == on_segment
    assert outsider_contact.pk not in set(group.contacts.values_list("pk", flat=True))
    event = AuditEvent.objects.get(action=AuditEvent.Action.APPLY_MAILING_GROUP)
    assert event.actor == marketing_user
    assert event.summary == (
        "Applied mailing group NEWS to SM00042: 3 contacts added, 2 in it already"
    )


def test_apply_twice_adds_nothing_the_second_time(segment, group, marketing_user):
    apply_mailing_group(segment, mailing_group=group, user=marketing_user)
    before = _links()

    counts = apply_mailing_group(segment, mailing_group=group, user=marketing_user)

    assert counts == {"added": 0, "already": 5, "removed": 0}
    assert _links() == before


def test_apply_keeps_other_groups_of_the_contacts(segment, group, marketing_user):
    other = MailingGroupFactory(code="XMAS")
    contact = segment.lines.first().contact
    contact.mailing_groups.add(other)

    apply_mailing_group(segment, mailing_group=group, user=marketing_user)

    assert set(contact.mailing_groups.values_list("code", flat=True)) == {
        "NEWS",
        "XMAS",
    }


def test_an_empty_segment_is_refused_and_nothing_is_recorded(group, marketing_user):
    empty = SegmentFactory()

    with pytest.raises(ValidationError, match="has no contacts"):
        apply_mailing_group(empty, mailing_group=group, user=marketing_user)

    assert not AuditEvent.objects.filter(
        action=AuditEvent.Action.APPLY_MAILING_GROUP
    ).exists()


def test_the_page_gives_the_counts_first_and_writes_nothing(
    marketing_client, segment, group, django_assert_max_num_queries
):
    before = _links()
    with django_assert_max_num_queries(12):
        response = marketing_client.get(_url(segment), {"mailing_group": group.pk})

    text = response.content.decode()
    assert "3 contacts will be added to mailing group NEWS;" in text
    assert "2 are in it already." in text
    assert _links() == before


def test_the_page_posts_the_apply_and_says_so(marketing_client, segment, group):
    response = marketing_client.post(
        _url(segment), {"mailing_group": group.pk}, follow=True
    )

    assert response.redirect_chain[-1][0] == segment.get_absolute_url()
    assert (
        "Mailing group NEWS is now applied to segment SM00042: 3 contacts added."
        in response.content.decode()
    )
    assert group.contacts.count() == 5


def test_the_page_links_from_the_segment(marketing_client, segment):
    response = marketing_client.get(segment.get_absolute_url())

    assert _url(segment) in response.content.decode()


@pytest.mark.parametrize("value", ["", "abc", "999999", "-1"])
def test_a_missing_or_bad_group_is_a_message_on_the_page(
    marketing_client, segment, value
):
    before = _links()

    response = marketing_client.post(_url(segment), {"mailing_group": value})

    assert response.status_code == 200
    assert 'class="invalid-feedback"' in response.content.decode()
    assert _links() == before


def test_the_empty_segment_refusal_is_shown_on_the_page(marketing_client, group):
    empty = SegmentFactory()

    response = marketing_client.post(_url(empty), {"mailing_group": group.pk})

    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "has no contacts" in response.content.decode()


def test_a_user_in_no_group_gets_403_and_nothing_changes(
    outsider_client, segment, group
):
    before = _links()

    assert outsider_client.get(_url(segment)).status_code == 403
    assert (
        outsider_client.post(_url(segment), {"mailing_group": group.pk}).status_code
        == 403
    )
    assert _links() == before


def test_delete_old_assignments_leaves_exactly_the_segment_in_the_group(
    segment, group, marketing_user
):
    old = ContactFactory.create_batch(2)
    for contact in old:
        contact.mailing_groups.add(group)
    other_group = MailingGroupFactory(code="XMAS")
    old[0].mailing_groups.add(other_group)

    counts = apply_mailing_group(
        segment, mailing_group=group, user=marketing_user, delete_old_assignments=True
    )

    assert counts == {"added": 3, "already": 2, "removed": 2}
    on_segment = set(segment.lines.values_list("contact_id", flat=True))
    assert set(group.contacts.values_list("pk", flat=True)) == on_segment
    assert list(other_group.contacts.all()) == [old[0]]


def test_the_page_counts_old_assignments_first_then_deletes_them(
    marketing_client, segment, group
):
    outside = ContactFactory()
    outside.mailing_groups.add(group)
    before = _links()
    chosen = {"mailing_group": group.pk, "delete_old_assignments": "on"}

    counted = marketing_client.get(_url(segment), chosen).content.decode()

    assert "1 contact not on the segment will be taken out" in counted
    assert 'name="delete_old_assignments" value="on"' in counted
    assert _links() == before
    response = marketing_client.post(_url(segment), chosen, follow=True)
    assert "1 old assignment deleted." in response.content.decode()
    assert outside.pk not in set(group.contacts.values_list("pk", flat=True))


def test_without_the_option_old_assignments_stay(marketing_client, segment, group):
    outside = ContactFactory()
    outside.mailing_groups.add(group)

    marketing_client.post(_url(segment), {"mailing_group": group.pk})

    assert outside.pk in set(group.contacts.values_list("pk", flat=True))
