"""Contact import from CSV and XLSX: read, check every row, then load all rows or none.

A thin layer over the csv module and openpyxl rather than django-import-export:
that library builds and validates a model instance per row, which costs tens of
seconds for 100,000 rows. Here every row is checked in plain Python against
reference data loaded once, and the rows are loaded with COPY (contacts.bulk).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from contacts.bulk import db_timestamp, insert_links, insert_rows, reserve_ids
from contacts.fields import CONTACT_FIELDS
from contacts.import_files import read_table
from contacts.models import (
    BusinessRelation,
    Contact,
    ContactImport,
    CorrespondenceType,
    IndustryGroup,
    JobResponsibility,
    MailingGroup,
    Salesperson,
    Territory,
    language_code_validator,
)
from contacts.numbering import take_numbers
from core.audit import AuditEvent, record_event
from core.database import refresh_statistics_on_commit
from core.users import User

MAX_FILE_SIZE = 50 * 1024 * 1024
ERRORS_KEPT = 200
PREVIEW_ROWS = 20
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
CONTACT_TABLE_COLUMNS = [
    "id",
    "number",
    "type",
    *TEXT_COLUMNS,
    "company_id",
    "country",
    "email",
    "website",
    "language",
    "correspondence_type",
    "salesperson_id",
    "territory_id",
    "exclude_from_segments",
    "privacy_blocked",
    "created_at",
    "modified_at",
]
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
    checker = _RowChecker(records)
    for row_number, cells in records:
        prepared = checker.check(row_number, cells, result)
        if prepared is not None:
            result.rows.append(prepared)
    return result


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
        self.email_validator = EmailValidator()
        self.url_validator = URLValidator()
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
        for column in TEXT_COLUMNS:
            value = cells.get(column, "")
            if len(value) > self.max_lengths[column]:
                error(
                    column,
                    _("At most %(max)d characters.")
                    % {"max": self.max_lengths[column]},
                )
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
        prepared["language"] = cells.get("language", "").lower()
        if prepared["language"]:
            try:
                language_code_validator(prepared["language"])
            except ValidationError as invalid:
                error("language", invalid.messages[0])
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
            given = [
                code.strip() for code in CODE_SEPARATORS.split(cells.get(column, ""))
            ]
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
        validator = self.email_validator if column == "email" else self.url_validator
        try:
            validator(value)
        except ValidationError as invalid:
            error(column, invalid.messages[0])
        return value

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


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {}
    for value, label in choices:
        lookup[str(value).lower()] = value
        lookup[str(label).lower()] = value
    return lookup


def _codes(model) -> dict[str, int]:
    return {code.upper(): pk for pk, code in model.objects.values_list("pk", "code")}


def check_file(contact_import: ContactImport) -> RowCheck:
    """Read the stored file of an import again and check every row."""
    with contact_import.file.open("rb") as file:
        headers, rows = read_table(file, file_name=contact_import.original_name)
        return check_rows(headers, rows)


def preview_rows(contact_import: ContactImport) -> tuple[list[str], list[list]]:
    """The header and the first rows of the stored file, as the user wrote them."""
    with contact_import.file.open("rb") as file:
        headers, rows = read_table(file, file_name=contact_import.original_name)
        return headers, [
            list(row) for _index, row in zip(range(PREVIEW_ROWS), rows, strict=False)
        ]


def preview_import(uploaded_file, *, user: User) -> ContactImport:
    """Store an uploaded file and check it; the returned import shows what would happen."""
    if uploaded_file.size > MAX_FILE_SIZE:
        raise ValidationError(_("The file is larger than 50 MB."))
    headers, rows = read_table(uploaded_file, file_name=uploaded_file.name)
    result = check_rows(headers, rows)
    uploaded_file.seek(0)
    return ContactImport.objects.create(
        file=uploaded_file,
        original_name=uploaded_file.name,
        uploaded_by=user,
        row_count=result.row_count,
        error_count=result.error_count,
        errors=[list(error) for error in result.errors],
        ignored_columns=result.ignored_columns,
    )


def import_contacts(
    contact_import: ContactImport,
    *,
    user: User,
    on_phase: Callable[[str], None] = lambda phase: None,
) -> int:
    """Import every row of a checked file, or none if any row is wrong now.

    Errors found now (the reference data may have changed since the preview)
    are kept on the import, so its page shows them. `on_phase` hears each
    phase's name (a job shows it).
    """
    with transaction.atomic(durable=True):
        locked = ContactImport.objects.select_for_update().get(pk=contact_import.pk)
        if locked.status == ContactImport.Status.IMPORTED:
            raise ValidationError(_("This file has been imported already."))
        if locked.status == ContactImport.Status.CHECKING:
            raise ValidationError(_("This file is still being checked."))
        on_phase(_("Checking rows"))
        result = check_file(locked)
        if not result.error_count:
            on_phase(_("Loading contacts"))
            _load(result.rows)
            refresh_statistics_on_commit(Contact)
            locked.status = ContactImport.Status.IMPORTED
            locked.imported_count = len(result.rows)
            locked.imported_at = timezone.now()
            locked.save(update_fields=["status", "imported_count", "imported_at"])
            record_event(
                actor=user,
                action=AuditEvent.Action.IMPORT_CONTACTS,
                obj=locked,
                figures={"count": locked.imported_count},
            )
            return locked.imported_count
    # Saved after the block: raising the refusal inside it would roll them back.
    ContactImport.objects.filter(pk=locked.pk).exclude(
        status=ContactImport.Status.IMPORTED
    ).update(
        error_count=result.error_count,
        errors=[list(error) for error in result.errors],
    )
    raise ValidationError(
        _("%(count)d rows have errors; nothing was imported.")
        % {"count": result.error_count}
    )


def _load(rows: list[dict]) -> None:
    numbers = take_numbers("contact", len(rows))
    ids = reserve_ids(Contact, len(rows))
    now = db_timestamp(timezone.now())
    contact_rows = []
    links: dict[str, list[tuple[int, int]]] = {
        column: [] for column in RELATION_COLUMNS
    }
    for row, contact_id, number in zip(rows, ids, numbers, strict=True):
        company_id = row["company_id"]
        if row["company_row"] is not None:
            company_id = ids[row["company_row"]]
        contact_rows.append(
            (
                contact_id,
                number,
                row["type"],
                *(row[column] for column in TEXT_COLUMNS),
                company_id,
                row["country"],
                row["email"],
                row["website"],
                row["language"],
                row["correspondence_type"],
                row["salesperson_id"],
                row["territory_id"],
                row["exclude_from_segments"],
                row["privacy_blocked"],
                now,
                now,
            )
        )
        for column in RELATION_COLUMNS:
            links[column].extend((contact_id, target) for target in row[column])
    insert_rows(Contact._meta.db_table, CONTACT_TABLE_COLUMNS, contact_rows)
    for column, pairs in links.items():
        insert_links(Contact, column, pairs)
