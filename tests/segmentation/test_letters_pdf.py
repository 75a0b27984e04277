"""Letters as PDF: one PDF per letter in a zip, or one PDF to print, through a warm LibreOffice."""

import io
import zipfile

import docx
import pytest

from segmentation.letters.building import Letter, segment_letters
from segmentation.letters.pdf import write_pdf_letters, write_print_pdf
from segmentation.services import add_contacts_by_hand, personalise_line, update_line
from tests.factories import (
    InteractionTemplateFactory,
    PersonFactory,
    SegmentFactory,
    TemplateDocumentFactory,
)
from tests.office import needs_libreoffice, pdf_pages

pytestmark = [pytest.mark.django_db, needs_libreoffice]

NAMES = ["Alice Andersson", "Bruno Berg", "Cecilia Čechová", "Dana Dvořák"]
# What shows each contact's letter: the name, or the text of the personalised one.
MARKS = {**{name: name for name in NAMES}, "Dana Dvořák": "Personal letter for Dana"}
LONG_COMMENT = "\n".join(
    f"Line {number} of a long personal note." for number in range(90)
)


def _personal_letter(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


@pytest.fixture
def segment():
    """Four lines: English, a two-page English letter, Czech, and a personalised one."""
    template = InteractionTemplateFactory(code="INVIT", default_language="en")
    for language in ("en", "cs"):
        TemplateDocumentFactory(template=template, language=language)
    segment = SegmentFactory(number="SM00042", template=template)
    add_contacts_by_hand(
        segment,
        contacts=[
            PersonFactory(name=name, language=language)
            for name, language in zip(NAMES, ["en", "en", "cs", "en"], strict=True)
        ],
        user=None,
    )
    update_line(
        segment.lines.get(contact__name="Bruno Berg"),
        fields={"personal_comment": LONG_COMMENT},
        user=None,
    )
    personalise_line(
        segment.lines.get(contact__name="Dana Dvořák"),
        data=_personal_letter("Personal letter for Dana"),
        file_name="dana.docx",
    )
    return segment


def _marks_in_line_order(segment) -> list[str]:
    names = segment.lines.order_by("pk").values_list("contact__name", flat=True)
    return [MARKS[name] for name in names]


def _first_pages(pages: list[str], marks: list[str]) -> list[int]:
    """The page each letter starts on."""
    return [
        next(index for index, page in enumerate(pages) if mark in page)
        for mark in marks
    ]


def test_each_letter_becomes_a_pdf_of_its_own_in_a_zip(segment, unoserver):
    output = io.BytesIO()

    outcome = write_pdf_letters(segment_letters(segment), output, port=unoserver.port)

    assert (outcome.written, outcome.failures, outcome.zipped) == (4, [], True)
    with zipfile.ZipFile(output) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    assert len(files) == 4
    for name in NAMES:
        [file_name] = [file for file in files if name in file]
        assert file_name.startswith("SM00042 CT") and file_name.endswith(".pdf")
        pages = pdf_pages(files[file_name])
        text = "".join(pages)
        assert [mark for mark in MARKS.values() if mark in text] == [MARKS[name]]
        assert len(pages) >= 2 if name == "Bruno Berg" else len(pages) == 1
    czech = pdf_pages(next(files[file] for file in files if "Čechová" in file))
    assert "S pozdravem" in czech[0]


def test_the_print_pdf_has_every_letter_in_line_order_each_on_a_new_page(
    segment, unoserver
):
    output = io.BytesIO()

    outcome = write_print_pdf(segment_letters(segment), output, port=unoserver.port)

    assert (outcome.written, outcome.failures) == (4, [])
    pages = pdf_pages(output.getvalue())
    marks = _marks_in_line_order(segment)
    starts = _first_pages(pages, marks)
    assert starts[0] == 0
    for mark, start, next_start in zip(
        marks, starts, [*starts[1:], len(pages)], strict=True
    ):
        # Bruno's letter runs over two pages or more; every letter starts afresh.
        assert next_start - start >= (2 if mark == "Bruno Berg" else 1)
        assert [other for other in marks if other in pages[start]] == [mark]


def test_chunks_of_letters_keep_their_order(segment, unoserver, monkeypatch):
    monkeypatch.setattr("segmentation.letters.pdf.LETTERS_PER_CONVERSION", 3)
    output = io.BytesIO()

    write_print_pdf(segment_letters(segment), output, port=unoserver.port)

    pages = pdf_pages(output.getvalue())
    starts = _first_pages(pages, _marks_in_line_order(segment))
    assert starts == sorted(starts)
    assert len(set(starts)) == 4


def test_a_letter_that_cannot_be_made_is_listed_and_the_others_are_written(
    segment, unoserver
):
    letters = list(segment_letters(segment))
    letters[0] = Letter(
        contact_number=letters[0].contact_number,
        file_name=letters[0].file_name,
        document_id=None,
        personalised=False,
        language="en",
        values={},
    )
    output = io.BytesIO()

    outcome = write_pdf_letters(letters, output, port=unoserver.port)

    assert outcome.written == 3
    assert outcome.failures == [
        (letters[0].contact_number, "There is no Word document for this letter.")
    ]
    with zipfile.ZipFile(output) as archive:
        assert len([name for name in archive.namelist() if name.endswith(".pdf")]) == 3
        assert letters[0].contact_number in archive.read("failures.txt").decode()
