"""PDF letters: one PDF per letter in a zip, against one conversion of the combined letters.

Both sides use the same warm LibreOffice (one unoserver), in turns. The floor is
what no split can beat: the 1,000 letters merged into one combined document
beforehand, converted to one PDF in one call.
"""

import tempfile

import pytest

from contacts.models import Contact
from core.office import convert_to_pdf
from interactions.models import InteractionTemplate
from segmentation.letters.building import segment_letters, write_combined
from segmentation.letters.pdf import write_pdf_letters
from segmentation.models import Segment, SegmentLine
from tests.benchmarks.conftest import compare_with_floor
from tests.office import needs_libreoffice

pytestmark = [pytest.mark.bench, pytest.mark.django_db, needs_libreoffice]

LETTERS = 1_000


def test_pdf_letters_against_one_conversion_of_the_combined_letters(
    generated_contacts, unoserver, bench_results
):
    segment = Segment.objects.create(
        number="BENCH-PDF",
        description="PDF letters",
        template=InteractionTemplate.objects.get(code="BUS"),
    )
    persons = Contact.objects.filter(type="person", privacy_blocked=False).order_by(
        "pk"
    )
    SegmentLine.objects.bulk_create(
        # One language, so one Word document: the floor is one combined document.
        SegmentLine(segment=segment, contact_id=contact_id, language="en")
        for contact_id in persons.values_list("pk", flat=True)[:LETTERS]
    )
    with tempfile.TemporaryFile() as combined:
        outcome = write_combined(segment_letters(segment), combined)
        assert not outcome.zipped and outcome.written == LETTERS
        combined.seek(0)
        combined_letters = combined.read()

    def service():
        with tempfile.TemporaryFile() as output:
            outcome = write_pdf_letters(
                segment_letters(segment), output, port=unoserver.port
            )
        assert outcome.written == LETTERS

    def floor():
        convert_to_pdf(combined_letters, port=unoserver.port)

    service_seconds, floor_seconds = compare_with_floor(service, floor, lambda: None)

    bench_results.record(
        "letters: 1,000 letters as PDF",
        service_seconds,
        "s",
        rows=LETTERS,
        floor=floor_seconds,
    )
