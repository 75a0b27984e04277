"""The main pages in Swedish, French and Czech: no English left, the reference's words.

A visible line that is exactly an English msgid whose translation differs is
English left on the page (data, such as names, is never a msgid). The deny-list
holds, per language, words the glossary replaces with the reference's own.
"""

import re

import polib
import pytest
from django.conf import settings

from tests.browser.main_pages import main_pages

pytestmark = pytest.mark.django_db(transaction=True)

# Per glossary row: what the reference does not say, in each language.
DENIED = {
    "sv": [r"\bLoggade segment", r"\bLogga\b(?! in| ut)"],
    "fr": [r"\bDescription\b"],
    "cs": [r"[Zz]aznamenan", r"[Zz]aznamenat"],
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


@pytest.mark.parametrize("language", ["sv", "fr", "cs"])
def test_the_main_pages_speak_the_language_in_the_references_words(
    logged_in_page,
    live_server,
    workflow,
    language,
):
    page = logged_in_page
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    english = _english_msgids(language)
    denied = [re.compile(pattern) for pattern in DENIED[language]]
    found = []
    for url in main_pages(workflow):
        page.goto(live_server.url + url)
        text = page.locator("body").inner_text()
        for line in {line.strip() for line in text.splitlines()}:
            if line in english:
                found.append(f"{url}: English {line!r}")
            found += [
                f"{url}: {pattern.pattern!r} in {line!r}"
                for pattern in denied
                if pattern.search(line)
            ]
    assert not found, "\n".join(sorted(set(found)))
