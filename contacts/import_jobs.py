"""Large contact imports run as jobs: the check after upload, then the import.

A file of more than IMPORT_ROWS_IN_REQUEST rows is stored first and checked by
a `contact_import_check` job; its Import button starts a `contact_import` job.
Both call the same code as the request does for a small file, and the import
stays one transaction (all rows or none).
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from contacts.imports import MAX_FILE_SIZE, check_file, import_contacts
from contacts.models import ContactImport
from core.jobs import JobError, JobKind, Output, start_job
from core.models import Job
from core.users import User

CHECK, IMPORT = "contact_import_check", "contact_import"


def rows_at_most(uploaded_file) -> int | None:
    """About how many rows a file has below its header, without reading them: its
    lines for a CSV file (quoted line breaks count too, so never fewer), an Excel
    sheet's own dimension. None when the sheet does not say."""
    if Path(uploaded_file.name).suffix.lower() == ".xlsx":
        try:
            declared = (
                load_workbook(uploaded_file, read_only=True).worksheets[0].max_row
            )
        except Exception:
            declared = 0  # Not readable: the check in the request says why.
        # The declared size may lie either way: no row packs into under 10
        # bytes of the file, and a big file is big whatever it declares.
        size = uploaded_file.size or 0
        rows = max(min(declared or 0, size // 10), size // 200)
    else:
        rows, last = 0, b"\n"
        for chunk in uploaded_file.chunks():
            # Lines end in \n or \r\n, or in \r alone (old Mac files).
            rows += max(chunk.count(b"\n"), chunk.count(b"\r"))
            last = chunk[-1:] or last
        rows += last not in (b"\n", b"\r")
    uploaded_file.seek(0)
    return None if rows is None else max(rows - 1, 0)


def is_large(uploaded_file) -> bool:
    rows = rows_at_most(uploaded_file)
    return rows is None or rows > settings.IMPORT_ROWS_IN_REQUEST


def start_check_job(uploaded_file, *, user: User) -> Job:
    """Store a large file, to be checked by a job; its page follows the check."""
    if uploaded_file.size > MAX_FILE_SIZE:
        raise ValidationError(_("The file is larger than 50 MB."))
    with transaction.atomic():
        contact_import = ContactImport.objects.create(
            file=uploaded_file,
            original_name=uploaded_file.name,
            uploaded_by=user,
            status=ContactImport.Status.CHECKING,
        )
        return start_job(
            kind=CHECK,
            owner=user,
            title=_("Check of %(name)s") % {"name": uploaded_file.name},
            parameters={"contact_import": contact_import.pk},
            total=rows_at_most(uploaded_file) or 0,
            language=get_language(),
            key=job_key(contact_import),
        )


def start_import_job(contact_import: ContactImport, *, user: User) -> Job:
    """The Import button of a large file: the same import, by a job."""
    if contact_import.status == ContactImport.Status.IMPORTED:
        raise ValidationError(_("This file has been imported already."))
    return start_job(
        kind=IMPORT,
        owner=user,
        title=_("Import of %(name)s") % {"name": contact_import.original_name},
        parameters={"contact_import": contact_import.pk},
        total=contact_import.row_count,
        language=get_language(),
        key=job_key(contact_import),
    )


def job_key(contact_import: ContactImport) -> str:
    return f"contact_import:{contact_import.pk}"


def _contact_import(job: Job) -> ContactImport:
    contact_import = ContactImport.objects.filter(
        pk=job.parameters["contact_import"]
    ).first()
    if contact_import is None:
        raise JobError(
            _("The uploaded file is no longer there; upload it again."),
            links=[(reverse("contacts:contact_import_upload"), _("Upload a file"))],
        )
    return contact_import


def check_uploaded_file(job: Job, output, progress) -> Output:
    """Check every row of the stored file, as the upload does for a small one.

    A file that cannot be read at all is not kept, as in the request.
    """
    contact_import = _contact_import(job)
    progress(0, phase=_("Checking rows"))
    try:
        result = check_file(contact_import)
    except ValidationError as error:
        contact_import.file.delete(save=False)
        contact_import.delete()
        raise JobError(
            " ".join(error.messages),
            links=[
                (
                    reverse("contacts:contact_import_upload"),
                    _("Upload a corrected file"),
                )
            ],
        ) from None
    progress(result.row_count, total=result.row_count, phase=_("Checking rows"))
    ContactImport.objects.filter(pk=contact_import.pk).update(
        status=ContactImport.Status.PREVIEWED,
        row_count=result.row_count,
        error_count=result.error_count,
        errors=[list(error) for error in result.errors],
        ignored_columns=result.ignored_columns,
    )
    return Output(
        done=result.row_count,
        details={
            "message": _("%(rows)d rows checked, %(errors)d with errors.")
            % {"rows": result.row_count, "errors": result.error_count},
            "links": [
                [contact_import.get_absolute_url(), _("See the file and import it")]
            ],
        },
    )


def run_import(job: Job, output, progress) -> Output:
    """Import the file in one transaction; its errors stay on the import."""
    contact_import = _contact_import(job)
    progress(0, total=contact_import.row_count, phase=_("Checking rows"))
    try:
        count = import_contacts(
            contact_import,
            user=job.owner,
            on_phase=lambda phase: progress(0, phase=phase),
        )
    except ValidationError as error:
        raise JobError(
            " ".join(error.messages),
            links=[(contact_import.get_absolute_url(), _("See the errors"))],
        ) from None
    return Output(
        done=count,
        details={
            "message": _("Imported %(count)d contacts.") % {"count": count},
            "links": [[reverse("contacts:contact_list"), _("Go to the contacts")]],
        },
    )


CHECK_KIND = JobKind(name=CHECK, run=check_uploaded_file)
IMPORT_KIND = JobKind(name=IMPORT, run=run_import, one_transaction=True)
