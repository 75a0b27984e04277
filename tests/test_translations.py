"""The interface ships in Swedish, French and Czech, from committed catalogues."""

import polib
import pytest
from django.conf import settings
from django.utils import translation

from contacts.models import CorrespondenceType
from core.django_words import DJANGO_WORDS
from interactions.models import Evaluation
from segmentation.criteria_words import describe, left_out_text
from segmentation.letters.building import failures_file_name
from tests.factories import SegmentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "segments", "add_contacts"),
    [
        ("sv", "Segment", "Lägg till kontakter"),
        ("fr", "Segments", "Ajouter des contacts"),
        ("cs", "Segmenty", "Přidat kontakty"),
    ],
)
def test_pages_speak_the_chosen_language(
    marketing_client, language, segments, add_contacts
):
    segment = SegmentFactory()
    marketing_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = marketing_client.get(segment.get_absolute_url()).content.decode()

    assert f">{segments}</a>" in page
    assert add_contacts in page


def test_every_catalogue_is_complete():

    for language, _name in settings.LANGUAGES[1:]:
        catalogue = polib.pofile(
            str(settings.LOCALE_PATHS[0] / language / "LC_MESSAGES" / "django.po")
        )
        assert catalogue.untranslated_entries() == [], language
        assert catalogue.fuzzy_entries() == [], language


def test_criteria_read_in_the_users_language():
    with translation.override("cs"):
        assert describe({"city": ["Brno"], "type": ["person"]}) == (
            "Typ = Osoba a Město = Brno"
        )


def test_the_contact_lists_sort_options_are_translated_when_shown(marketing_client):
    marketing_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"

    page = marketing_client.get("/contacts/").content.decode()

    assert "(descending)" not in page
    assert "Namn (" in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "3 bloqués pour confidentialité"),
        ("cs", "5 blokovaných kvůli ochraně soukromí"),
    ],
)
def test_counts_before_nouns_agree_with_them(language, expected):
    count = 3 if language == "fr" else 5
    with translation.override(language):
        assert expected in left_out_text({"privacy_blocked": count})


@pytest.mark.parametrize("language", ["sv", "fr", "cs"])
def test_djangos_own_words_are_translated(language):
    with translation.override(language):
        for word in DJANGO_WORDS:
            assert translation.gettext(word) != word


def test_none_agrees_with_the_feminine_evaluation_in_french():
    with translation.override("fr"):
        assert str(Evaluation.BLANK.label) == "(aucune)"
        assert str(CorrespondenceType.BLANK.label) == "(aucun)"


def test_download_names_are_in_the_users_language():
    with translation.override("sv"):
        assert failures_file_name() == "misslyckade.txt"
    assert failures_file_name() == "failures.txt"
