"""Checking a contact file's rows: every cell against reference data loaded once.

Read-only. `check_rows` turns the rows of a file into contact rows ready to load
and the errors of the rows that are not, for the preview and for the import.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _
from django_countries import countries

from contacts.fields import CONTACT_FIELDS
from contacts.models import (
    BusinessRelation,
    Contact,
    CorrespondenceType,
    IndustryGroup,
    JobResponsibility,
    MailingGroup,
    Salesperson,
    Territory,
    language_code_validator,
)

ERRORS_KEPT = 200
LOOKUP_CHUNK = 5_000

TEXT_COLUMNS = [
    "name",
    "name_2",
    "job_title",
    "address",
    "address_2",
    "post_code",
    "city",
    "county",
    "phone",
    "mobile",
    "fax",
    "vat_registration_number",
    "formal_salutation",
    "informal_salutation",
]
RELATION_COLUMNS = {
    "mailing_groups": MailingGroup,
    "job_responsibilities": JobResponsibility,
    "industry_groups": IndustryGroup,
    "business_relations": BusinessRelation,
}
COMPANY_ONLY_RELATIONS = {"industry_groups", "business_relations"}
# The columns of an export, in order; an import accepts the same names.
COLUMNS = ["number", *CONTACT_FIELDS]
IMPORTED_COLUMNS = CONTACT_FIELDS

TRUE_WORDS = {"1", "yes", "y", "true", "x", "ja", "oui", "ano"}
FALSE_WORDS = {"", "0", "no", "n", "false", "nej", "non", "ne"}
CODE_SEPARATORS = re.compile(r"[,;|]")


@dataclass
class RowCheck:
    """The outcome of checking a file: prepared rows, or what is wrong with them."""

    rows: list[dict] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    error_count: int = 0
    row_count: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    def add_error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < ERRORS_KEPT:
            self.errors.append((row, column, message))


def check_rows(headers: list[str], rows) -> RowCheck:
    """Check every row against the reference data; prepare the valid ones for loading."""
    result = RowCheck()
    result.rows.extend(checked_rows(read_records(headers, rows, result), result))
    return result


def read_records(headers: list[str], rows, result: RowCheck) -> list:
    """The non-empty rows of a file as (row number, cells); counted in `result`."""
    if "name" not in headers:
        raise ValidationError(_("The file has no “name” column."))
    result.ignored_columns = [h for h in headers if h and h not in IMPORTED_COLUMNS]
    positions = {
        name: headers.index(name) for name in IMPORTED_COLUMNS if name in headers
    }
    records = []
    for row_number, values in enumerate(rows, start=2):
        if not any(value not in (None, "") for value in values):
            continue
        records.append((row_number, _cells(values, positions)))
    if not records:
        raise ValidationError(_("The file has a header row but no contacts."))
    result.row_count = len(records)
    return records


def checked_rows(records: list, result: RowCheck) -> Iterator[dict]:
    """Each valid row, prepared for loading, as soon as it is checked; the errors of
    the others go into `result`.

    The reference data is read now, so that reading the rows runs no query (a COPY
    may be reading them).
    """
    return _checked(_RowChecker(records), records, result)


def _checked(checker, records: list, result: RowCheck) -> Iterator[dict]:
    for row_number, cells in records:
        prepared = checker.check(row_number, cells, result)
        if prepared is not None:
            yield prepared


def _cells(values, positions: dict[str, int]) -> dict[str, str]:
    cells = {}
    for name, position in positions.items():
        value = values[position] if position < len(values) else None
        cells[name] = "" if value is None else str(value).strip()
    return cells


class _RowChecker:
    """Checks one row at a time against lookups loaded once for the whole file."""

    def __init__(self, records):
        self.types = _choice_lookup(Contact.Type.choices)
        self.correspondence_types = _choice_lookup(CorrespondenceType.choices) | {
            "hard copy": CorrespondenceType.HARD_COPY,
            "e-mail": CorrespondenceType.EMAIL,
        }
        self.countries = {code for code, _name in countries}
        self.coded_columns = [
            (
                "salesperson",
                _codes(Salesperson),
                _("There is no salesperson “%(code)s”."),
            ),
            ("territory", _codes(Territory), _("There is no territory “%(code)s”.")),
        ]
        self.relations = {
            column: _codes(model) for column, model in RELATION_COLUMNS.items()
        }
        self.max_lengths = {
            name: Contact._meta.get_field(name).max_length
            for name in [*TEXT_COLUMNS, "email", "website"]
        }
        self.text_lengths = [(name, self.max_lengths[name]) for name in TEXT_COLUMNS]
        self.email_validator = EmailValidator()
        self.url_validator = URLValidator()
        # The message (or "") of each value already checked, by (column, value).
        self.messages: dict[tuple[str, str], str] = {}
        self.file_companies: dict[str, int | None] = {}
        for index, (_row, cells) in enumerate(records):
            if self.types.get(cells.get("type", "").lower()) == Contact.Type.COMPANY:
                name = cells.get("name", "")
                # None marks a name used by two companies of the file: ambiguous.
                self.file_companies[name] = (
                    None if name in self.file_companies else index
                )
        self.database_companies = self._database_companies(records)

    def _database_companies(self, records) -> dict[str, int | None]:
        wanted = {
            cells["company"]
            for _row, cells in records
            if cells.get("company") and cells["company"] not in self.file_companies
        }
        found: dict[str, int | None] = {}
        companies = Contact.objects.filter(type=Contact.Type.COMPANY)
        wanted_list = sorted(wanted)
        for start in range(0, len(wanted_list), LOOKUP_CHUNK):
            chunk = wanted_list[start : start + LOOKUP_CHUNK]
            for pk, number in companies.filter(number__in=chunk).values_list(
                "pk", "number"
            ):
                found[number] = pk
            for pk, name in companies.filter(name__in=chunk).values_list("pk", "name"):
                if name not in found:
                    found[name] = pk
                elif found[name] != pk:
                    found[name] = None
        return found

    def check(
        self, row_number: int, cells: dict[str, str], result: RowCheck
    ) -> dict | None:
        errors_before = result.error_count

        def error(column, message):
            result.add_error(row_number, column, message)

        prepared = {}
        contact_type = self.types.get(
            cells.get("type", "").lower() or Contact.Type.PERSON
        )
        if contact_type is None:
            error("type", _("Use “company” or “person”."))
        prepared["type"] = contact_type
        for column, max_length in self.text_lengths:
            value = cells.get(column, "")
            if len(value) > max_length:
                error(column, _("At most %(max)d characters.") % {"max": max_length})
            prepared[column] = value
        if not prepared["name"]:
            error("name", _("A name is required."))
        prepared["country"] = cells.get("country", "").upper()
        if prepared["country"] and prepared["country"] not in self.countries:
            error(
                "country",
                _("Use a two-letter ISO country code such as SE, FR, CZ or GB."),
            )
        prepared["email"] = self._checked(cells.get("email", ""), "email", error)
        website = cells.get("website", "")
        if website and "://" not in website:
            website = f"https://{website}"
        prepared["website"] = self._checked(website, "website", error)
        prepared["language"] = language = cells.get("language", "").lower()
        if language:
            message = self._message(
                language_code_validator, "language", language, remember=True
            )
            if message:
                error("language", message)
        correspondence = cells.get("correspondence_type", "").lower()
        prepared["correspondence_type"] = self.correspondence_types.get(correspondence)
        if prepared["correspondence_type"] is None:
            error(
                "correspondence_type", _("Use “hard_copy”, “email” or leave it empty.")
            )
        for column, codes, unknown in self.coded_columns:
            code = cells.get(column, "")
            prepared[f"{column}_id"] = codes.get(code.upper()) if code else None
            if code and prepared[f"{column}_id"] is None:
                error(column, unknown % {"code": code})
        for column in ("exclude_from_segments", "privacy_blocked"):
            word = cells.get(column, "").lower()
            prepared[column] = word in TRUE_WORDS
            if word not in TRUE_WORDS | FALSE_WORDS:
                error(column, _("Use yes or no."))
        for column, codes in self.relations.items():
            written = cells.get(column, "")
            if not written:  # most cells: nothing to look up
                prepared[column] = []
                continue
            given = [code.strip() for code in CODE_SEPARATORS.split(written)]
            given = [code for code in given if code]
            unknown = [code for code in given if code.upper() not in codes]
            if unknown:
                error(
                    column,
                    _("Unknown codes: %(codes)s.") % {"codes": ", ".join(unknown)},
                )
            if (
                given
                and column in COMPANY_ONLY_RELATIONS
                and contact_type == Contact.Type.PERSON
            ):
                error(
                    column,
                    _(
                        "Set this on the company; persons inherit it from their company."
                    ),
                )
            prepared[column] = sorted(
                {codes[code.upper()] for code in given if code.upper() in codes}
            )
        self._check_company(cells.get("company", ""), contact_type, prepared, error)
        return prepared if result.error_count == errors_before else None

    def _checked(self, value: str, column: str, error) -> str:
        if not value:
            return ""
        if len(value) > self.max_lengths[column]:
            error(
                column,
                _("At most %(max)d characters.") % {"max": self.max_lengths[column]},
            )
            return value
        if column == "email" and _plainly_valid_email(value):
            return value
        validator = self.email_validator if column == "email" else self.url_validator
        # Websites repeat (a company's colleagues share one): check each once.
        message = self._message(validator, column, value, remember=column == "website")
        if message:
            error(column, message)
        return value

    def _message(self, validator, column: str, value: str, *, remember: bool) -> str:
        """The validator's message for the value ("" if valid); with `remember`,
        each distinct value is checked once per import."""
        message = self.messages.get((column, value))
        if message is None:
            try:
                validator(value)
                message = ""
            except ValidationError as invalid:
                message = invalid.messages[0]
            if remember:
                self.messages[(column, value)] = message
        return message

    def _check_company(self, value: str, contact_type, prepared: dict, error) -> None:
        prepared["company_id"] = prepared["company_row"] = None
        if not value:
            return
        named = {"name": value}
        if contact_type == Contact.Type.COMPANY:
            error("company", _("A company cannot belong to another company."))
        elif value in self.file_companies:
            prepared["company_row"] = self.file_companies[value]
            if prepared["company_row"] is None:
                error(
                    "company",
                    _("Two companies in the file are called “%(name)s”.") % named,
                )
        elif value in self.database_companies:
            prepared["company_id"] = self.database_companies[value]
            if prepared["company_id"] is None:
                error(
                    "company",
                    _("Several companies are called “%(name)s”; use a number.") % named,
                )
        else:
            error(
                "company",
                _("No company “%(name)s” in the file or among the contacts.") % named,
            )


# EmailValidator's own patterns, compiled once: its lazy patterns cost more per
# call than the match. An address they accept (with a host name as its domain)
# EmailValidator accepts too; every other one goes to EmailValidator itself.
_EMAIL_USER = re.compile(
    EmailValidator.user_regex.pattern, EmailValidator.user_regex.flags
)
_EMAIL_DOMAIN = re.compile(
    EmailValidator.domain_regex.pattern, EmailValidator.domain_regex.flags
)


def _plainly_valid_email(value: str) -> bool:
    if len(value) > 320 or "@" not in value:
        return False
    user, domain = value.rsplit("@", 1)
    return bool(_EMAIL_USER.match(user) and _EMAIL_DOMAIN.match(domain))


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {}
    for value, label in choices:
        lookup[str(value).lower()] = value
        lookup[str(label).lower()] = value
    return lookup


def _codes(model) -> dict[str, int]:
    return {code.upper(): pk for pk, code in model.objects.values_list("pk", "code")}
