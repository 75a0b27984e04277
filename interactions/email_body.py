"""The text of an interaction's e-mail: a template's message with its placeholders filled.

Placeholders are merge-field names in braces, `{Formal_Salutation}`, matched like
the letters' fields (case, spaces and underscores ignored). Only known fields are
replaced, by plain substitution: there is no template language a user could
abuse, and anything else in braces stays as it is.
"""

import datetime
import re
from collections.abc import Iterable, Mapping

from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from contacts.models import Contact, Salesperson
from interactions.merge_fields import (
    FieldReport,
    LetterDetails,
    check_fields,
    letter_values,
)
from interactions.models import CompanyInformation, TemplateEmail
from interactions.word_merge import clean_value, normalise_field_name

PLACEHOLDER = re.compile(r"\{([A-Za-z][A-Za-z0-9 _./-]{0,60})\}")


def fill_placeholders(
    text: str, values: Mapping[str, object], *, language: str, html: bool = False
) -> str:
    """`text` with each known placeholder replaced by its value (escaped in HTML)."""

    def replace(match: re.Match) -> str:
        key = normalise_field_name(match.group(1))
        if key not in values:
            return match.group(0)
        value = _as_text(values[key], language)
        return escape(value).replace("\n", "<br>\n") if html else value

    return PLACEHOLDER.sub(replace, text)


def placeholder_report(text: str) -> list[FieldReport]:
    """The placeholders of `text`: which are known, and a near name for the others."""
    names = dict.fromkeys(match.group(1) for match in PLACEHOLDER.finditer(text))
    return check_fields(names)


def default_body(language: str) -> str:
    """The message of a template without an e-mail text in any language."""
    with translation.override(language or None):
        return _(
            "{Formal_Salutation}\n\nPlease find attached: {Description}.\n\n"
            "Kind regards\n{Salesperson_Name}\n{Company_Name}"
        )


def email_for_language(
    emails: Iterable[TemplateEmail], language: str, *, default_language: str
) -> TemplateEmail | None:
    """The template's e-mail in `language`, else in its default language, else any."""
    by_language = {email.language: email for email in emails}
    return (
        by_language.get(language)
        or by_language.get(default_language)
        or next(iter(by_language.values()), None)
    )


def sample_values(language: str) -> dict[str, object]:
    """Made-up values for a preview of a template's e-mail."""
    contact = Contact(
        number="CT000042",
        name="Jana Novák",
        address="Vodičkova 12",
        post_code="110 00",
        city="Praha",
        country="CZ",
        email="jana.novak@example.com",
        formal_salutation="Dear Ms Novák",
        informal_salutation="Hi Jana",
        job_title="Purchasing manager",
    )
    return letter_values(
        contact,
        salesperson=Salesperson(
            name="Erik Lind", job_title="Sales", email="erik@example.com"
        ),
        details=LetterDetails(
            segment_number="SM000001",
            segment_description="Spring event",
            subject="Invitation to our spring product event",
            description="Event invitation",
            date=datetime.date.today(),  # noqa: DTZ011 - a sample, not a record
        ),
        company=CompanyInformation.current(),
        language=language,
    )


def _as_text(value: object, language: str) -> str:
    value = clean_value(value)
    if isinstance(value, datetime.date):
        with translation.override(language or None):
            return date_format(value, "DATE_FORMAT")
    return value
