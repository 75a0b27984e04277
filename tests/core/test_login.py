"""Guessing passwords: django-axes locks a user out from an address after repeated failures."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("login")
PASSWORD = "secret-password"
LOCKED_OUT = "Too many failed attempts to log in to this account from here"


@pytest.fixture
def marta(marketing_user):
    return marketing_user


def _log_in(client, username="marta", password=PASSWORD, address="10.0.0.1"):
    return client.post(
        LOGIN_URL,
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def _fail(client, times, **options):
    return [_log_in(client, password="wrong", **options) for _attempt in range(times)]


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_repeated_wrong_passwords_lock_the_user_out_with_a_message(
    client, marta, settings
):
    refused = _fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert {response.status_code for response in refused} == {200}

    response = _log_in(client, password="wrong")
    right_password = _log_in(client)

    for locked in (response, right_password):
        assert locked.status_code == 429
        page = locked.content.decode()
        assert LOCKED_OUT in page
        assert "Try again in 15 minutes" in page
        assert 'name="password"' in page
    assert not _logged_in(client)


def test_the_lockout_message_is_translated(client, marta, settings):
    _fail(client, settings.AXES_FAILURE_LIMIT)

    response = client.post(
        LOGIN_URL,
        {"username": "marta", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_ACCEPT_LANGUAGE="sv",
    )

    assert response.status_code == 429
    assert response.context["locked_out_minutes"] == 15
    assert '<html lang="sv"' in response.content.decode()


def test_the_lockout_ends_after_the_cool_off(client, marta, settings):
    _fail(client, settings.AXES_FAILURE_LIMIT)
    assert _log_in(client).status_code == 429

    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME,
    )
    response = _log_in(client)

    assert response.status_code == 302
    assert _logged_in(client)


def test_a_successful_login_starts_the_count_again(client, marta, settings):
    _fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert _log_in(client).status_code == 302
    client.logout()

    _fail(client, settings.AXES_FAILURE_LIMIT - 1)

    assert _log_in(client).status_code == 302


def test_a_lockout_holds_for_that_user_from_that_address_only(client, marta, settings):
    UserFactory(username="adam")
    _fail(client, settings.AXES_FAILURE_LIMIT)

    assert _log_in(client, address="10.0.0.2").status_code == 302
    client.logout()
    assert _log_in(client, username="adam").status_code == 302
    client.logout()
    assert _log_in(client).status_code == 429


def test_an_administrator_unlocks_a_user_in_admin(client, marta, settings):
    _fail(client, settings.AXES_FAILURE_LIMIT)
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert "marta" in client.get(changelist).content.decode()

    client.post(
        changelist,
        {
            "action": "delete_selected",
            "_selected_action": AccessAttempt.objects.values_list("pk", flat=True),
            "post": "yes",
        },
    )
    client.logout()

    assert not AccessAttempt.objects.exists()
    assert _log_in(client).status_code == 302


def test_failed_logins_are_counted_for_the_address_the_server_sees(
    client, marta, settings
):
    client.post(
        LOGIN_URL,
        {"username": "marta", "password": "wrong"},
        REMOTE_ADDR="10.0.0.9",
        HTTP_X_FORWARDED_FOR="192.0.2.1",
    )

    assert AccessAttempt.objects.get().ip_address == "10.0.0.9"


def test_the_cool_off_is_a_quarter_of_an_hour(settings):
    assert datetime.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
