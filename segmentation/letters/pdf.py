"""Letters as PDF: one PDF per letter in a zip, or one PDF to print; read-only.

Converting letter by letter costs ~0.2 s each even with LibreOffice warm, so the
letters of each Word document are merged into one combined document (a section
per letter, a bookmark at each letter's start), converted at once and the PDF
is split at the bookmarks. At most LETTERS_PER_CONVERSION letters are converted
together, which bounds memory here and in LibreOffice; the letters keep their
line order. Needs a running unoserver (`core.office.UnoServer`) on `port`.
"""

import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from itertools import batched

from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter

from core.office import PdfError, bookmark_pages, convert_to_pdf, pages_as_pdf
from interactions.word_bookmarks import mark_start, number_bookmarks
from interactions.word_merge import DocumentError, merge_documents
from segmentation.letters.building import (
    DocumentCache,
    Letter,
    LetterOutcome,
    failure_report,
    failures_file_name,
)

LETTERS_PER_CONVERSION = 200
BOOKMARK = "SegmentaLetter"

Progress = Callable[[LetterOutcome], None] | None


def write_pdf_letters(
    letters: Iterable[Letter], output, *, port: int, on_progress: Progress = None
) -> LetterOutcome:
    """A zip of one PDF per letter, named like the .docx letters, into `output`.

    A letter that cannot be made is listed in a failures file inside the zip and in
    the outcome. `output` may be any writable binary file, seekable or not.
    """
    outcome = LetterOutcome(zipped=True)
    # Stored: LibreOffice's PDFs are compressed already (deflate saved 4 %).
    with zipfile.ZipFile(output, "w", zipfile.ZIP_STORED) as archive:
        for letter, reader, pages in _converted(letters, port, outcome, on_progress):
            archive.writestr(pdf_file_name(letter), pages_as_pdf(reader, pages))
        if outcome.failures:
            archive.writestr(failures_file_name(), failure_report(outcome))
    return outcome


def write_print_pdf(
    letters: Iterable[Letter], output, *, port: int, on_progress: Progress = None
) -> LetterOutcome:
    """One PDF of all letters in line order, each starting on a new page, into `output`.

    Letters that cannot be made are left out and listed in the outcome; when
    none can be made, PdfError says why.
    """
    outcome = LetterOutcome()
    writer = _print_writer(letters, port, outcome, on_progress)
    if not outcome.written:
        reason = (
            outcome.failures[0][1] if outcome.failures else _("There are no letters.")
        )
        raise PdfError(_("No letter could be made: %(reason)s") % {"reason": reason})
    writer.write(output)
    return outcome


def write_print_pages(
    letters: Iterable[Letter], output, *, port: int, on_progress: Progress = None
) -> LetterOutcome:
    """Like write_print_pdf, but a PDF without pages when no letter could be made
    (a part of a print job, joined with the others at the end)."""
    outcome = LetterOutcome()
    _print_writer(letters, port, outcome, on_progress).write(output)
    return outcome


def _print_writer(
    letters: Iterable[Letter], port: int, outcome: LetterOutcome, on_progress: Progress
) -> PdfWriter:
    writer = PdfWriter()
    for _letter, reader, pages in _converted(letters, port, outcome, on_progress):
        for number in pages:
            writer.add_page(reader.pages[number])
    return writer


def pdf_file_name(letter: Letter) -> str:
    return letter.file_name.removesuffix(".docx") + ".pdf"


def _converted(
    letters: Iterable[Letter], port: int, outcome: LetterOutcome, on_progress: Progress
) -> Iterator[tuple[Letter, PdfReader, range]]:
    """Each letter that could be made, in order, with its PDF and pages in it."""
    documents = DocumentCache()
    marked: dict[int, bytes] = {}
    for window in batched(letters, LETTERS_PER_CONVERSION):
        pages = _convert_window(window, port, documents, marked)
        for letter, converted in zip(window, pages, strict=True):
            if isinstance(converted, DocumentError):
                outcome.failures.append((letter.contact_number, str(converted)))
            else:
                outcome.written += 1
                yield letter, *converted
            if on_progress:
                on_progress(outcome)


def _convert_window(
    window: tuple[Letter, ...], port: int, documents: DocumentCache, marked
) -> list[tuple[PdfReader, range] | DocumentError]:
    """The PDF pages of each letter of the window, or why it could not be made."""
    results: list = [None] * len(window)
    groups: dict[int | None, list[int]] = {}
    for index, letter in enumerate(window):
        if letter.personalised:
            # A personalised document is the letter itself: converted as it is.
            try:
                reader = _pdf_reader(documents.read(letter.document_id), port)
            except DocumentError as error:
                results[index] = error
            else:
                results[index] = (reader, range(len(reader.pages)))
        else:
            groups.setdefault(letter.document_id, []).append(index)
    for document_id, indexes in groups.items():
        group = [window[index] for index in indexes]
        try:
            combined = _combined(document_id, group, documents, marked)
        except DocumentError as error:
            for index in indexes:
                results[index] = error
            continue
        reader = _pdf_reader(combined, port)
        bookmarks = [f"{BOOKMARK}{number}" for number in range(1, len(group) + 1)]
        for index, pages in zip(
            indexes, bookmark_pages(reader, bookmarks=bookmarks), strict=True
        ):
            results[index] = (reader, pages)
    return results


def _combined(document_id, group, documents: DocumentCache, marked) -> bytes:
    """One document with a section per letter, each starting at a numbered bookmark."""
    if document_id not in marked:
        marked[document_id] = mark_start(documents.read(document_id), name=BOOKMARK)
    combined = merge_documents(
        marked[document_id],
        [letter.values for letter in group],
        language=group[0].language,
    )
    return number_bookmarks(combined, name=BOOKMARK)


def _pdf_reader(docx: bytes, port: int) -> PdfReader:
    return PdfReader(io.BytesIO(convert_to_pdf(docx, port=port)))
