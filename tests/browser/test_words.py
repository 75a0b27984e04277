"""The main pages and flow in Swedish, French and Czech: no English left, the reference's words.

A visible line that is exactly an English msgid whose translation differs is
English left on the page (data, such as names, is never a msgid). The deny-list
holds, per language, words the glossary replaces with the reference's own.
"""

import re

import polib
import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.main_pages import main_pages
from tests.factories import (
    ContactFactory,
    InteractionTemplateFactory,
    SalespersonFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

# Per glossary row (../shared/docs/glossary.md), words a translation might use
# where the reference has its own; the "worksheet" row names nothing shown here.
DENIED = {
    "sv": [
        r"[Ss]egmentrubrik",  # segment header: segmenthuvud
        r"[Ss]egmentlinje",  # segment line: segmentrad
        r"^Logga$",  # the Log button: Logg
        r"[Ll]oggföra",  # to log: logga
        r"\bLoggade segment(?!e)",  # Logged Segments (the page): Segmentlogg
        r"[Ii]nteraktionsloggpost",  # entry: Interaktion loggtrans.
        r"[Uu]ppföljande segment",  # follow-up segment: uppföljningssegment
        r"[Mm]all för interaktion",  # interaction template: interaktionsmall
        r"\bBenämning\b",  # description: beskrivning
        r"[Kk]orrespondenssätt",  # correspondence type: korrespondenstyp
        r"[Ss]egmenteringskriterier",  # segmentation criteria: segmentkriterier
        r"\bAnvänd igen\b",  # reuse: återanvända
        r"[Pp]ersonifiera|[Pp]ersonalisera",  # personalise: anpassa
        r"\bWorddokument",  # Word document: Word-dokument
    ],
    "fr": [
        r"en-tête du segment",  # segment header: en-tête Segment
        r"lignes? de segment",  # segment line: ligne segment
        r"\b[Cc]onsigner\b",  # Log, to log: journaliser
        r"[Ss]egments? enregistrés?",  # (Logged) segment(s): segment(s) journalisé(s)
        r"[Ee]ntrée du journal",  # entry: écriture journal interaction
        r"[Ss]egment de suivi",  # follow-up segment: suivi segment
        r"[Mm]odèle d'interaction",  # interaction template: modèle interaction
        r"\bDescription\b",  # description: désignation
        r"[Tt]ype de correspondance",  # correspondence type: type correspondance
        r"[Cc]ritères du segment",  # segmentation criteria: critères de segmentation
        r"[Rr]éemployer",  # reuse: réutiliser
        r"\b[Pp]ersonaliser",  # personalise: personnaliser
        r"[Ff]ichier Word",  # Word document: document Word
    ],
    "cs": [
        r"[Hh]lavička segmentu",  # segment header: záhlaví
        r"[Řř]ádka segmentu",  # segment line: řádek segmentu
        r"[Zz]aznamenat|[Zz]aznamenan",  # Log, to log, logged: Protokol, protokolovat
        r"[Zz]áznam protokolu",  # entry: položka protokolu interakce
        r"[Nn]ásledný segment",  # follow-up segment: segment zpracování
        r"[Šš]ablona pro interakci",  # interaction template: šablona interakce
        r"\bPopisek\b",  # description: popis
        r"[Tt]yp komunikace",  # correspondence type: typ korespondence
        r"[Kk]ritéria segmentování",  # segmentation criteria: kritéria segmentace
        r"[Pp]oužít opětovně|[Oo]pětovně použít",  # reuse: znovu použít
        r"[Pp]ersonalizovat",  # personalise: přizpůsobit
        r"[Ww]ordový dokument",  # Word document: dokument aplikace Microsoft Word
    ],
}


def _english_msgids(language: str) -> set[str]:
    catalogue = polib.pofile(
        str(settings.LOCALE_PATHS[0] / language / "LC_MESSAGES" / "django.po")
    )
    return {
        entry.msgid
        for entry in catalogue
        if entry.msgstr and entry.msgstr != entry.msgid and not entry.msgid_plural
    }


def _problems(page, url: str, language: str) -> list[str]:
    """English msgids and denied words among the page's visible lines."""
    if language == "en":
        return []
    english = _english_msgids(language)
    denied = [re.compile(pattern) for pattern in DENIED[language]]
    found = []
    for line in {
        line.strip() for line in page.locator("body").inner_text().splitlines()
    }:
        if line in english:
            found.append(f"{url}: English {line!r}")
        found += [
            f"{url}: {pattern.pattern!r} in {line!r}"
            for pattern in denied
            if pattern.search(line)
        ]
    return found


@pytest.mark.parametrize("language", ["sv", "fr", "cs"])
def test_the_main_pages_speak_the_language_in_the_references_words(
    logged_in_page, live_server, workflow, language
):
    page = logged_in_page
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    found = []
    for url in main_pages(workflow):
        page.goto(live_server.url + url)
        found += _problems(page, url, language)
    assert not found, "\n".join(sorted(set(found)))


@pytest.mark.parametrize("language", ["en", "sv", "fr", "cs"])
def test_the_main_flow_in_each_language(logged_in_page, live_server, language):
    """New segment, Add Contacts with a count, Log, then the archive and the log."""
    page = logged_in_page
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    InteractionTemplateFactory(code="BUS", description="Business letter")
    salesperson = SalespersonFactory(code="AH")
    for name in ("Ingrid Lund", "Olle Berg"):
        ContactFactory(name=name, city="Lund", salesperson=salesperson)
    found = []

    def check():
        found.extend(_problems(page, page.url, language))

    page.goto(f"{live_server.url}/segments/new/")
    check()
    page.fill("input[name=description]", "Lund")
    page.select_option("select[name=template]", label="BUS – Business letter")
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/segments/\d+/$"))
    segment = page.url.rstrip("/").rsplit("/", 1)[1]
    check()
    page.goto(f"{live_server.url}/segments/{segment}/add-contacts/?city=Lund")
    check()
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/segments/{segment}/$"))
    check()
    for step in ("criteria", "letters", "log"):
        page.goto(f"{live_server.url}/segments/{segment}/{step}/")
        check()
    page.locator("main form[method=post] button.btn-success").click()
    expect(page.locator(".alert-success")).to_be_visible()
    check()
    for url in ("/segments/logged/", "/interactions/", "/campaigns/"):
        page.goto(live_server.url + url)
        check()
    assert not found, "\n".join(sorted(set(found)))
