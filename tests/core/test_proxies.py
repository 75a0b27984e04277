"""The client's address behind a reverse proxy: the forwarded header only from a trusted proxy."""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from contacts.unsubscribe import unsubscribe_token
from core.proxies import client_address
from tests.factories import ContactFactory

PROXY = "10.0.0.9"
LOGIN_URL = reverse("login")
PASSWORD = "secret-password"


def _address(remote: str, forwarded: str | None = None) -> str:
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **headers))


def test_without_trusted_proxies_the_forwarded_header_is_never_read(settings):
    settings.TRUSTED_PROXIES = []

    assert _address(PROXY, "192.0.2.1") == PROXY


def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(settings):
    settings.TRUSTED_PROXIES = [PROXY]

    assert _address("198.51.100.7", "192.0.2.1") == "198.51.100.7"


def test_a_trusted_proxy_is_believed_about_its_client(settings):
    settings.TRUSTED_PROXIES = [PROXY]

    assert _address(PROXY, "192.0.2.1") == "192.0.2.1"


def test_a_client_cannot_hide_behind_an_address_it_writes_itself(settings):
    settings.TRUSTED_PROXIES = [PROXY]

    # The client sent "X-Forwarded-For: 203.0.113.5"; the proxy appended what it saw.
    assert _address(PROXY, "203.0.113.5, 192.0.2.1") == "192.0.2.1"


def test_every_proxy_in_a_chain_is_skipped_when_trusted(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "2001:db8::1"]

    assert _address("10.0.0.1", "192.0.2.1, 2001:db8::1, 10.0.0.2") == "192.0.2.1"


def test_garbage_in_the_header_falls_back_to_the_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]

    assert _address(PROXY, "not-an-address") == PROXY
    assert _address(PROXY, "") == PROXY


@pytest.mark.django_db
def test_failed_logins_behind_the_proxy_are_counted_per_real_client(
    client, marketing_user, settings
):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.AXES_FAILURE_LIMIT = 3
    marketing_user.set_password(PASSWORD)
    marketing_user.save()

    def log_in(password: str, client_address: str):
        return client.post(
            LOGIN_URL,
            {"username": marketing_user.username, "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=client_address,
        )

    for _attempt in range(3):
        log_in("wrong", "192.0.2.1")

    assert AccessAttempt.objects.get().ip_address == "192.0.2.1"
    assert log_in(PASSWORD, "192.0.2.1").status_code == 429
    assert log_in(PASSWORD, "192.0.2.2").status_code == 302


@pytest.mark.django_db
def test_a_spoofed_header_does_not_escape_the_lockout(client, marketing_user, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.AXES_FAILURE_LIMIT = 2
    marketing_user.set_password(PASSWORD)
    marketing_user.save()

    for forged in ("192.0.2.10", "192.0.2.11", "192.0.2.12"):
        client.post(
            LOGIN_URL,
            {"username": marketing_user.username, "password": "wrong"},
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=forged,
        )

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {
        "198.51.100.7"
    }
    response = client.post(
        LOGIN_URL,
        {"username": marketing_user.username, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 429


@pytest.mark.django_db
def test_the_unsubscribe_rate_limit_counts_each_client_behind_the_proxy(
    client, settings
):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.UNSUBSCRIBE_RATE_PER_MINUTE = 1
    url = reverse("contacts:unsubscribe", args=[unsubscribe_token(ContactFactory().pk)])

    def status(client_address: str) -> int:
        return client.get(
            url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address
        ).status_code

    assert [status("192.0.2.1"), status("192.0.2.1"), status("192.0.2.2")] == [
        200,
        429,
        200,
    ]
