"""Export of a segment's lines with the values they will be logged with.

The values are `segmentation.effective`'s annotations, the same the segment page
and Log read. Each `effective_<name>` column is headed like the log entry field
it becomes, so a value added there is exported (and translated) too.
"""

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from contacts.models import Contact
from core.export_jobs import register_export
from core.exports import Column, Table
from interactions.models import InteractionLogEntry
from segmentation.effective import with_effective_values
from segmentation.models import SegmentLine

SEGMENT_LINES = "segment_lines"
EFFECTIVE = "effective_"
# What only a line has, after its effective values.
LINE_FIELDS = ("is_duplicate", "evaluation", "personal_comment")


def segment_lines_table(parameters: dict) -> Table:
    lines = with_effective_values(
        SegmentLine.objects.filter(segment_id=parameters["segment"])
    )
    line_fields = SegmentLine._meta
    columns = [
        Column(capfirst(line_fields.get_field("id").verbose_name), "id"),
        Column(
            capfirst(line_fields.get_field("contact").verbose_name),
            "contact_id",
            related=Contact,
        ),
        Column(capfirst(Contact._meta.get_field("name").verbose_name), "contact__name"),
        *(
            _effective_column(name)
            for name in lines.query.annotations
            if name.startswith(EFFECTIVE)
        ),
    ]
    for name in LINE_FIELDS:
        field = line_fields.get_field(name)
        columns.append(
            Column(
                capfirst(field.verbose_name),
                name,
                choices=dict(field.flatchoices) if field.choices else None,
            )
        )
    return Table(
        queryset=lines,
        columns=columns,
        file_stem=f"segment-{parameters['segment_number']}",
        sheet_name=_("Segment %(number)s") % {"number": parameters["segment_number"]},
    )


def _effective_column(annotation: str) -> Column:
    """A column headed and shown like the log entry field the value is logged into."""
    name = annotation.removeprefix(EFFECTIVE).removesuffix("_id")
    try:
        field = InteractionLogEntry._meta.get_field(name)
    except FieldDoesNotExist:
        return Column(capfirst(name.replace("_", " ")), annotation)
    return Column(
        capfirst(field.verbose_name),
        annotation,
        related=field.related_model if field.is_relation else None,
        choices=dict(field.flatchoices) if field.choices else None,
    )


def register_exports() -> None:
    register_export(SEGMENT_LINES, segment_lines_table)
