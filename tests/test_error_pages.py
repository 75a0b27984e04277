"""Error pages: plain, translated, and the server error page needs no database."""

import pytest
from django.templatetags.static import static
from django.urls import reverse

from core.templatetags.core_tags import static_even_if_uncollected
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings, client):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.error_pages_urls"
    client.raise_request_exception = False
    return client


def test_a_failing_page_shows_the_server_error_page(production):
    response = production.get("/failing/")

    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in page
    assert "bootstrap.min.css" in page
    assert "A bug the error page must not show" not in page


def test_the_server_error_page_speaks_the_users_language(production):
    response = production.get("/failing/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 500
    assert '<html lang="fr">' in response.content.decode()


def test_the_server_error_page_shows_while_the_database_is_down(
    production, marketing_user, django_db_blocker, caplog
):
    production.force_login(marketing_user)

    # Every query now fails, as in an outage: loading the session is the first.
    with django_db_blocker.block():
        response = production.get(reverse("contacts:contact_list"))

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "Database access not allowed" in str(caplog.records[-1].exc_info[1])


def test_the_server_error_page_queries_nothing(production, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = production.get("/failing/")

    assert response.status_code == 500


def test_a_missing_page_shows_the_not_found_page(production, marketing_user):
    production.force_login(marketing_user)

    response = production.get(reverse("contacts:contact_detail", args=[999_999]))

    assert response.status_code == 404
    assert "There is nothing at this address" in response.content.decode()


def test_a_forbidden_page_shows_the_no_access_page(production, outsider):
    ContactFactory()
    production.force_login(outsider)

    response = production.get(reverse("contacts:contact_list"))

    assert response.status_code == 403
    assert "Your account has no access to this page" in response.content.decode()


def test_the_error_page_links_its_styles_even_without_collected_files(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        },
    }
    settings.STATIC_ROOT = "/nonexistent-static-root"
    settings.DEBUG = False
    with pytest.raises(ValueError, match="manifest"):
        static("css/segmenta.css")

    assert static_even_if_uncollected("css/segmenta.css") == "/static/css/segmenta.css"
