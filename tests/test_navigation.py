import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_language_switcher_offers_the_four_languages_in_their_own_names(
    marketing_client,
):
    page = marketing_client.get(reverse("contacts:contact_list")).content.decode()

    for name in ["English", "Svenska", "Français", "Čeština"]:
        assert name in page


def test_choosing_a_language_remembers_it(marketing_client):
    response = marketing_client.post(
        reverse("set_language"), {"language": "cs", "next": "/contacts/"}
    )

    assert response.url == "/contacts/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cs"


def test_the_login_page_can_switch_language_before_logging_in(client):
    login_url = reverse("login")

    response = client.post(
        reverse("set_language"), {"language": "sv", "next": login_url}
    )

    assert response.url == login_url
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"
    page = client.get(login_url).content.decode()
    assert '<html lang="sv">' in page
    assert "Logga in i Segmenta" in page


def test_only_staff_see_the_admin_link(client, marketing_user, marketing_admin):
    admin_url = reverse("admin:index")

    client.force_login(marketing_user)
    assert admin_url not in client.get("/contacts/").content.decode()
    client.force_login(marketing_admin)
    assert admin_url in client.get("/contacts/").content.decode()


def test_logging_out_ends_the_session(marketing_client):
    marketing_client.post(reverse("logout"))

    assert marketing_client.get("/contacts/").status_code == 302


def test_the_language_switcher_names_english_in_english_on_a_swedish_page(
    marketing_client,
):
    marketing_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"

    page = marketing_client.get(reverse("contacts:contact_list")).content.decode()

    assert '<html lang="sv">' in page
    assert ">English</option>" in page
    assert "Engelska" not in page


def test_choosing_a_language_does_not_submit_by_itself(marketing_client):
    """WCAG 3.2.2: the select only chooses; its button changes the language."""
    page = marketing_client.get(reverse("contacts:contact_list")).content.decode()

    assert "data-autosubmit" not in page
    assert 'id="language-switcher"' in page
    switcher = page[page.index('id="language-switcher"') :]
    assert '<button type="submit"' in switcher[: switcher.index("</form>")]
