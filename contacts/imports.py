"""Contact import from CSV and XLSX: read, check every row, then load all rows or none.

A thin layer over the csv module and openpyxl rather than django-import-export:
that library builds and validates a model instance per row, which costs tens of
seconds for 100,000 rows. Here every row is checked in plain Python against
reference data loaded once, and the rows are loaded with COPY (contacts.bulk).
"""

from collections.abc import Callable, Iterable, Iterator

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.bulk import db_timestamp, insert_links, insert_rows, reserve_ids
from contacts.import_files import read_table
from contacts.import_rows import (
    RELATION_COLUMNS,
    TEXT_COLUMNS,
    RowCheck,
    check_rows,
    checked_rows,
    read_records,
)
from contacts.models import Contact, ContactImport
from contacts.numbering import take_numbers
from core.audit import AuditEvent, record_event
from core.database import refresh_statistics_on_commit
from core.users import User

MAX_FILE_SIZE = 50 * 1024 * 1024
PREVIEW_ROWS = 20

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
        result = RowCheck()
        try:
            with transaction.atomic():
                imported = _check_and_load(locked, result, on_phase)
                if result.error_count:
                    raise _NothingImported
        except _NothingImported:
            pass
        if not result.error_count:
            refresh_statistics_on_commit(Contact)
            locked.status = ContactImport.Status.IMPORTED
            locked.imported_count = imported
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


class _NothingImported(Exception):
    """A row has an error: roll back the rows loaded while the file was checked."""


def _check_and_load(
    contact_import: ContactImport, result: RowCheck, on_phase: Callable[[str], None]
) -> int:
    """Check the stored file's rows and load them at once, as they are checked (the
    server stores rows while the next are checked). Errors go into `result`; the
    caller rolls the load back if there are any."""
    with contact_import.file.open("rb") as file:
        headers, rows = read_table(file, file_name=contact_import.original_name)
        records = read_records(headers, rows, result)
        contact_rows, links = table_rows(checked_rows(records, result), len(records))
        count = insert_rows(Contact._meta.db_table, CONTACT_TABLE_COLUMNS, contact_rows)
    if not result.error_count:
        on_phase(_("Loading contacts"))
        _insert_links(links)
    return count


def insert_table_rows(
    contact_rows: Iterable[tuple], links: dict[str, list[tuple[int, int]]]
) -> None:
    """COPY the contacts and their links (the import's floor is this alone)."""
    insert_rows(Contact._meta.db_table, CONTACT_TABLE_COLUMNS, contact_rows)
    _insert_links(links)


def _insert_links(links: dict[str, list[tuple[int, int]]]) -> None:
    for column, pairs in links.items():
        insert_links(Contact, column, pairs)


def table_rows(
    rows: Iterable[dict], count: int
) -> tuple[Iterator[tuple], dict[str, list[tuple[int, int]]]]:
    """Checked rows as table rows, made as they are read, with numbers and ids
    taken for `count` rows; the links fill up as the rows are read."""
    numbers = take_numbers("contact", count)
    ids = reserve_ids(Contact, count)
    links: dict[str, list[tuple[int, int]]] = {
        column: [] for column in RELATION_COLUMNS
    }
    return _contact_rows(rows, ids, numbers, links), links


def _contact_rows(rows, ids, numbers, links) -> Iterator[tuple]:
    now = db_timestamp(timezone.now())
    # A row's company may come later in the file: ids are by position in the file.
    for row, contact_id, number in zip(rows, ids, numbers, strict=False):
        company_id = row["company_id"]
        if row["company_row"] is not None:
            company_id = ids[row["company_row"]]
        yield (
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
        for column in RELATION_COLUMNS:
            links[column].extend((contact_id, target) for target in row[column])
