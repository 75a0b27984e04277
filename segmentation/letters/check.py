"""Check a segment's letters before making them; read-only.

Which documents the lines will be merged with (and whether their merge fields
are known), how many lines have no document, and which lines get a document in
another language than they ask for.
"""

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf

from interactions.merge_fields import check_fields, document_problems
from interactions.models import TemplateDocument, WordDocument
from segmentation.effective import with_effective_values
from segmentation.models import Segment, SegmentLine


@dataclass
class LettersCheck:
    """What making a segment's letters would use, and what it would fall back on."""

    # Per document: the document, its line and personalised counts, its fields.
    in_use: list[dict]
    without_document: int
    # Lines annotated with `requested_language` and `letter_language`, unevaluated.
    fallbacks: QuerySet[SegmentLine]

    @property
    def combines_into_one(self) -> bool:
        """Whether "one document" is one .docx: else a zip of one per document (write_combined)."""
        return (
            len(self.in_use) == 1
            and not self.in_use[0]["personalised"]
            and not self.without_document
        )


def check_letters(segment: Segment) -> LettersCheck:
    """The documents in use (one query each for counts and documents) and the fallbacks."""
    lines = with_effective_values(SegmentLine.objects.filter(segment=segment))
    by_document = {
        row["effective_document_id"]: row
        for row in lines.values("effective_document_id").annotate(
            lines=Count("pk"),
            personalised=Count("pk", filter=Q(personal_document__isnull=False)),
        )
    }
    documents = WordDocument.objects.in_bulk(
        [pk for pk in by_document if pk is not None]
    )
    in_use = [
        {
            "document": documents[pk],
            "lines": row["lines"],
            "personalised": row["personalised"],
            "fields": check_fields(documents[pk].merge_fields),
            # A personalised letter is used as it is: nothing in it is merged.
            "problems": [] if row["personalised"] else document_problems(documents[pk]),
        }
        for pk, row in by_document.items()
        if pk is not None
    ]
    return LettersCheck(
        in_use=in_use,
        without_document=by_document.get(None, {}).get("lines", 0),
        fallbacks=_fallbacks(lines),
    )


def _fallbacks(lines: QuerySet[SegmentLine]) -> QuerySet[SegmentLine]:
    # Lines whose contact (or the line) asks for a language the template has no
    # document in: they get another language's document.
    return (
        lines.filter(
            personal_document__isnull=True,
            segment__document__isnull=True,
            effective_template_id__isnull=False,
        )
        .annotate(
            requested_language=Coalesce(
                NullIf(F("language"), Value("")),
                NullIf(F("contact__language"), Value("")),
            ),
            letter_language=Case(
                When(
                    Exists(_documents_in("effective_language")),
                    then=F("effective_language"),
                ),
                default=F("template_default_language"),
            ),
        )
        .filter(requested_language__isnull=False)
        .exclude(Exists(_documents_in("requested_language")))
        .select_related("contact")
        .order_by("pk")
    )


def _documents_in(language: str):
    return TemplateDocument.objects.filter(
        template_id=OuterRef("effective_template_id"), language=OuterRef(language)
    )
