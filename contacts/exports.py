"""Export of a contact queryset to CSV (streamed) or XLSX, in the import's columns."""

import csv
import tempfile

from django.db import connection
from django.db.models import F, OuterRef, StringAgg, Subquery, Value
from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook

from contacts.imports import COLUMNS, RELATION_COLUMNS
from contacts.models import Contact

CHUNK_SIZE = 2_000
XLSX_MAX_ROWS = 1_048_575


def export_csv(queryset) -> StreamingHttpResponse:
    """Stream the contacts as UTF-8 CSV (with a BOM, so Excel reads the accents)."""

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())

    def lines():
        yield "\ufeff" + writer.writerow(COLUMNS)
        for row in _values(queryset):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contacts.csv"'
    return response


def export_xlsx(queryset) -> FileResponse:
    """Write the contacts into an Excel workbook on disk and send it."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Contacts")
    sheet.append(COLUMNS)
    for row in _values(queryset[:XLSX_MAX_ROWS]):
        sheet.append(row)
    # FileResponse closes the file once it has been sent.
    output = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    return FileResponse(output, as_attachment=True, filename="contacts.xlsx")


def _values(queryset):
    """Rows of export values; related codes come from subqueries, not per-row queries."""
    codes = {}
    for column in RELATION_COLUMNS:
        relation = Contact._meta.get_field(column)
        through = relation.remote_field.through
        owner = relation.m2m_field_name()
        target = relation.m2m_reverse_field_name()
        # Older SQLite (before 3.44) cannot order inside an aggregate.
        ordering = (
            f"{target}__code"
            if connection.features.supports_aggregate_order_by_clause
            else None
        )
        codes[f"{column}_codes"] = Subquery(
            through.objects.filter(**{owner: OuterRef("pk")})
            .values(owner)
            .annotate(
                codes=StringAgg(f"{target}__code", Value(", "), order_by=ordering)
            )
            .values("codes")
        )
    fields = [
        "company_number"
        if column == "company"
        else f"{column}_code"
        if column in ("salesperson", "territory")
        else f"{column}_codes"
        if column in RELATION_COLUMNS
        else column
        for column in COLUMNS
    ]
    rows = (
        queryset.annotate(
            company_number=F("company__number"),
            salesperson_code=F("salesperson__code"),
            territory_code=F("territory__code"),
            **codes,
        )
        .values_list(*fields)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for row in rows:
        yield ["" if value is None else _cell(value) for value in row]


def _cell(value):
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
