"""Exports too big for a request: run as a job whose page offers the file.

An app registers each of its exports by name (`register_export`, in its
AppConfig.ready) with a function that builds its `Table` from JSON parameters
(an object's pk, the page's filter querystring). The view calls `export` with
the same parameters: up to EXPORT_ROWS_IN_REQUEST rows stream in the request,
more start an export job, which builds the same table in the user's language.
"""

from collections.abc import Callable

from django.conf import settings
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.csv_copy import copies, copy_csv, copy_csv_response
from core.exports import FORMATS, XLSX_MAX_ROWS, Table, table_response, write_table
from core.jobs import JobKind, Output, start_job
from core.models import Job

EXPORT = "export"

_exports: dict[str, Callable[[dict], Table]] = {}


def register_export(name: str, build: Callable[[dict], Table]) -> None:
    _exports[name] = build


def export(request, *, name: str, parameters: dict, title: str):
    """The page's Export button: the file at once, or the job's page that makes it.

    `parameters` are JSON values that `name`'s builder turns into the table, in
    the request and again in the job. An unknown format is taken as CSV.
    """
    file_format = request.GET.get("format")
    if file_format not in FORMATS:
        file_format = "csv"
    table = _exports[name](parameters)
    total = table.count()
    if total <= settings.EXPORT_ROWS_IN_REQUEST:
        if file_format == "csv" and copies(table):
            return copy_csv_response(table)
        return table_response(table, file_format=file_format)
    job = start_job(
        kind=EXPORT,
        owner=request.user,
        title=_("Export · %(title)s") % {"title": title},
        parameters={"export": name, "format": file_format, "arguments": parameters},
        total=total,
        language=get_language(),
    )
    return redirect(job)


def run_export(job: Job, output, progress) -> Output:
    parameters = job.parameters
    table = _exports[parameters["export"]](parameters["arguments"])
    file_format = parameters["format"]
    progress(0, phase=_("Writing the file"))
    sheets = write_export(
        table, output, file_format=file_format, on_chunk=lambda done: progress(done)
    )
    details = {}
    if sheets > 1:
        details["message"] = _(
            "Excel holds at most %(rows)s rows per sheet, so the rows continue on "
            "%(sheets)d sheets: “%(name)s”, “%(name)s (2)” and so on."
        ) % {
            "rows": f"{min(settings.XLSX_ROWS_PER_SHEET, XLSX_MAX_ROWS):,}",
            "sheets": sheets,
            "name": table.sheet_name,
        }
    return Output(
        file_name=f"{table.file_stem}.{file_format}", done=job.total, details=details
    )


def write_export(table: Table, output, *, file_format: str, on_chunk=None) -> int:
    """Write the table into a binary file, CSV by COPY where the database has it.

    Returns the number of sheets (1 for CSV).
    """
    if file_format == "csv" and copies(table):
        copy_csv(table, output, on_chunk=on_chunk)
        return 1
    return write_table(table, output, file_format=file_format, on_chunk=on_chunk)


EXPORT_KIND = JobKind(name=EXPORT, run=run_export)
