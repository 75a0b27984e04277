"""Export of a contact queryset to CSV (streamed) or XLSX, in the import's columns."""

from django.db import connection
from django.db.models import F, OuterRef, StringAgg, Subquery, Value
from django.utils.translation import pgettext

from contacts.import_rows import COLUMNS, RELATION_COLUMNS
from contacts.models import Contact
from core.exports import spreadsheet_response

CHUNK_SIZE = 2_000


def export_contacts(queryset, *, file_format: str):
    """The contacts as CSV (streamed) or an Excel workbook."""
    return spreadsheet_response(
        COLUMNS,
        _values(queryset),
        file_format=file_format,
        file_stem=pgettext("file name", "contacts"),
        sheet_name="Contacts",
    )


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
