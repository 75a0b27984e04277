"""The load balancer's health check: no login, no cookie, 200 with a database, 503 without."""

import pytest
from django.test import Client
from django.urls import reverse

HEALTH_URL = reverse("health")


@pytest.mark.django_db
def test_the_health_check_answers_ok_without_a_login_or_a_cookie(settings):
    settings.SECURE_SSL_REDIRECT = True

    response = Client(enforce_csrf_checks=True).get(HEALTH_URL)

    assert response.status_code == 200
    assert response.content == b"ok"
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_health_check_answers_every_time_a_proxy_asks(settings):
    settings.UNSUBSCRIBE_RATE_PER_MINUTE = 1
    client = Client()

    statuses = {client.get(HEALTH_URL).status_code for _ in range(30)}

    assert statuses == {200}


def test_the_health_check_is_503_when_the_database_cannot_be_reached():
    # No django_db mark: pytest-django refuses every query, as a dead database would.
    response = Client().get(HEALTH_URL)

    assert response.status_code == 503
    assert response.content == b"database unavailable"


@pytest.mark.django_db
def test_the_health_check_changes_nothing():
    response = Client().post(HEALTH_URL)

    assert response.status_code == 405
