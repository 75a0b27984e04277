"""The one-click unsubscribe link of e-mails: signed, expiring, rate limited, narrow."""

import time

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from contacts.models import Contact
from contacts.unsubscribe import unsubscribe_token, unsubscribe_url
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact():
    return ContactFactory(email="anna@example.com")


@pytest.fixture
def anonymous():
    """A mail provider's one-click POST: no login, no CSRF token."""
    return Client(enforce_csrf_checks=True)


def _url(token: str) -> str:
    return reverse("contacts:unsubscribe", args=[token])


def _row(contact) -> dict:
    return Contact.objects.filter(pk=contact.pk).values().get()


def test_one_click_post_excludes_the_contact_and_changes_nothing_else(
    contact, anonymous
):
    before = _row(contact)

    response = anonymous.post(
        _url(unsubscribe_token(contact.pk)), {"List-Unsubscribe": "One-Click"}
    )

    assert response.status_code == 200
    after = _row(contact)
    assert after["exclude_from_segments"] is True
    assert after["unsubscribed_at"] is not None
    changed = {key for key in before if before[key] != after[key]}
    assert changed == {"exclude_from_segments", "unsubscribed_at"}


def test_the_link_opens_a_page_with_a_confirm_button_that_changes_nothing_yet(
    contact, anonymous
):
    response = anonymous.get(_url(unsubscribe_token(contact.pk)))

    assert response.status_code == 200
    assert b'<button type="submit"' in response.content
    assert b"anna@example.com" in response.content
    assert _row(contact)["exclude_from_segments"] is False


def test_the_link_is_absolute(settings, contact):
    settings.SITE_URL = "https://crm.example.com"

    assert unsubscribe_url(contact.pk).startswith(
        "https://crm.example.com/contacts/unsubscribe/"
    )


def test_a_tampered_link_changes_nothing(contact, anonymous):
    other = ContactFactory()
    token = unsubscribe_token(contact.pk).replace(f"{contact.pk}:", f"{other.pk}:", 1)

    response = anonymous.post(_url(token))

    assert response.status_code == 404
    assert not Contact.objects.filter(exclude_from_segments=True).exists()


def test_an_expired_link_changes_nothing(settings, contact, anonymous, monkeypatch):
    settings.UNSUBSCRIBE_LINK_MAX_AGE_DAYS = 90
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now - 91 * 86_400)
    token = unsubscribe_token(contact.pk)
    monkeypatch.undo()

    response = anonymous.post(_url(token))

    assert response.status_code == 410
    assert b"expired" in response.content
    assert _row(contact)["exclude_from_segments"] is False


def test_the_link_is_rate_limited_per_client(settings, contact, anonymous):
    settings.UNSUBSCRIBE_RATE_PER_MINUTE = 2
    url = _url(unsubscribe_token(contact.pk))

    statuses = [anonymous.get(url).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert anonymous.post(url).status_code == 429
    assert _row(contact)["exclude_from_segments"] is False


def test_unsubscribing_twice_keeps_the_first_time(contact, anonymous):
    url = _url(unsubscribe_token(contact.pk))
    anonymous.post(url)
    first = _row(contact)["unsubscribed_at"]

    anonymous.post(url)

    assert _row(contact)["unsubscribed_at"] == first
