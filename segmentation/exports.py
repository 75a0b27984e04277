"""Export of a segment's lines with the values they will be logged with.

The values are `segmentation.effective`'s annotations, the same the segment page
and Log read. Each `effective_<name>` column is headed and shown like the log
entry field it becomes, so a value added there is exported (and translated) too.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, OuterRef, Subquery
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.export_jobs import register_export
from core.exports import Column, Table, choice_labels, field_value, label_field
from interactions.models import InteractionLogEntry
from segmentation.effective import with_effective_values
from segmentation.models import SegmentLine

SEGMENT_LINES = "segment_lines"
EFFECTIVE = "effective_"
# Before the effective values: the line and its contact; after them, what only a line has.
LINE_FIELDS = ("id", "contact", "contact__name")
LINE_ONLY_FIELDS = ("is_duplicate", "evaluation", "personal_comment")


def segment_lines_table(parameters: dict) -> Table:
    lines = with_effective_values(
        SegmentLine.objects.filter(segment_id=parameters["segment"])
    )
    columns = [
        *(_line_column(path) for path in LINE_FIELDS),
        *(
            _effective_column(name)
            for name in lines.query.annotations
            if name.startswith(EFFECTIVE)
        ),
        *(_line_column(path) for path in LINE_ONLY_FIELDS),
    ]
    return Table(
        queryset=lines,
        columns=columns,
        file_stem=pgettext("file name", "segment") + f"-{parameters['segment_number']}",
        sheet_name=_("Segment %(number)s") % {"number": parameters["segment_number"]},
    )


def _line_column(path: str) -> Column:
    model = SegmentLine
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    field = model._meta.get_field(name)
    return Column(capfirst(field.verbose_name), field_value(field, path))


def _effective_column(annotation: str) -> Column:
    """A column headed and shown like the log entry field the value is logged into."""
    name = annotation.removeprefix(EFFECTIVE).removesuffix("_id")
    try:
        field = InteractionLogEntry._meta.get_field(name)
    except FieldDoesNotExist:
        return Column(capfirst(name.replace("_", " ")), annotation)
    if field.is_relation:
        related = field.related_model
        value = Subquery(
            related._default_manager.filter(pk=OuterRef(annotation))
            .order_by()
            .values(label_field(related))[:1]
        )
    elif field.choices:
        value = choice_labels(annotation, field.flatchoices)
    else:
        value = F(annotation)
    return Column(capfirst(field.verbose_name), value)


def register_exports() -> None:
    register_export(SEGMENT_LINES, segment_lines_table)
