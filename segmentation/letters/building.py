"""Merged Word letters for a segment's lines or a logged segment's entries; read-only.

Each letter is one contact's document merged with the values of its line (or,
once logged, of its log entry: the document and values it was logged with). A
personalised document is used as it is, never merged again. The rows are read
with a fixed number of queries and streamed, so memory does not grow with them.
"""

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from contacts.models import Salesperson
from interactions.merge_fields import LetterDetails, letter_values
from interactions.models import (
    Campaign,
    CompanyInformation,
    InteractionLogEntry,
    LoggedSegment,
    WordDocument,
)
from interactions.word_merge import DocumentError, merge_document, merge_documents
from segmentation.effective import with_effective_values
from segmentation.models import Segment, SegmentLine

ROWS_PER_QUERY = 500
UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
FILE_NAME_LENGTH = 120


@dataclass
class Letter:
    """One contact's letter, ready to merge."""

    contact_number: str
    file_name: str
    document_id: int | None
    personalised: bool
    language: str
    values: dict[str, object]


@dataclass
class LetterOutcome:
    """How many letters were written and which contacts failed, and why."""

    written: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    # A combined download of letters with different documents comes as a zip.
    zipped: bool = False

    @property
    def handled(self) -> int:
        return self.written + len(self.failures)


def segment_letters(
    segment: Segment, *, pk_range: tuple[int, int] | None = None
) -> Iterator[Letter]:
    """The letters of a segment's lines, in line order (those with first <= pk < stop)."""
    lines = SegmentLine.objects.filter(segment=segment)
    if pk_range:
        lines = lines.filter(pk__gte=pk_range[0], pk__lt=pk_range[1])
    lines = with_effective_values(
        lines.select_related("contact", "contact__company")
    ).order_by("pk")
    return _letters_of_lines(segment, lines)


def line_letter(line: SegmentLine) -> Letter:
    """The letter of one segment line (preview, personalise)."""
    lines = with_effective_values(
        SegmentLine.objects.filter(pk=line.pk).select_related(
            "contact", "contact__company"
        )
    )
    return next(_letters_of_lines(line.segment, lines))


def logged_letters(
    logged_segment: LoggedSegment, *, pk_range: tuple[int, int] | None = None
) -> Iterator[Letter]:
    """The letters of a logged segment, re-merged with what each entry was logged with
    (those with first <= pk < stop)."""
    entries = InteractionLogEntry.objects.filter(logged_segment=logged_segment)
    if pk_range:
        entries = entries.filter(pk__gte=pk_range[0], pk__lt=pk_range[1])
    entries = entries.select_related("contact", "contact__company").order_by("pk")
    letter = entry_letter_maker(logged_segment)
    for entry in entries.iterator(chunk_size=ROWS_PER_QUERY):
        yield letter(entry)


def entry_letter_maker(
    logged_segment: LoggedSegment,
) -> Callable[[InteractionLogEntry], Letter]:
    """Makes the Letter of a logged entry (its contact loaded with its company)."""
    letter = _letter_maker()

    def entry_letter(entry: InteractionLogEntry) -> Letter:
        return letter(
            logged_segment.segment_number,
            entry.contact,
            document_id=entry.document_id,
            personalised=entry.document_is_personalised,
            language=entry.language,
            salesperson_id=entry.salesperson_id,
            campaign_id=entry.campaign_id,
            segment_description=logged_segment.description,
            subject=entry.subject,
            description=entry.description,
            date=entry.date,
            comment=entry.personal_comment,
            entry_number=entry.pk,
            correspondence_type=entry.correspondence_type,
        )

    return entry_letter


def single_entry_letter(entry: InteractionLogEntry) -> Letter:
    """The letter of one log entry (its page's download), logged with a segment or not."""
    logged_segment = entry.logged_segment or LoggedSegment(
        segment_number=entry.segment_number
    )
    return entry_letter_maker(logged_segment)(entry)


def zip_chunks(
    letters: Iterable[Letter],
    outcome: LetterOutcome,
    *,
    on_progress: Callable[[LetterOutcome], None] | None = None,
) -> Iterator[bytes]:
    """A zip of one .docx per letter, yielded piece by piece as the letters are made.

    A letter that cannot be made is listed in a failures file inside the zip and in
    `outcome`; the others are written. Memory holds one letter at a time.
    """
    pipe = _Pipe()
    documents = DocumentCache()
    with zipfile.ZipFile(pipe, "w", zipfile.ZIP_STORED) as archive:
        for letter in letters:
            try:
                content = _make(letter, documents)
            except DocumentError as error:
                outcome.failures.append((letter.contact_number, str(error)))
            else:
                archive.writestr(letter.file_name, content)
                outcome.written += 1
            if on_progress:
                on_progress(outcome)
            yield pipe.take()
        if outcome.failures:
            archive.writestr(failures_file_name(), failure_report(outcome))
    yield pipe.take()


def write_combined(letters: Iterable[Letter], output) -> LetterOutcome:
    """One .docx with a section per letter when all share one document; else a zip.

    Letters with different documents (languages, the segment's own) cannot share
    one Word file: they come as one combined .docx per document inside a zip,
    with personalised letters as files of their own. Returns the outcome and
    whether a zip was written (as `outcome.written` and the caller's file name).
    """
    groups: dict[int | None, list[Letter]] = {}
    personalised: list[Letter] = []
    for letter in letters:
        if letter.personalised:
            personalised.append(letter)
        else:
            groups.setdefault(letter.document_id, []).append(letter)
    outcome = LetterOutcome()
    documents = DocumentCache()
    if len(groups) == 1 and not personalised and None not in groups:
        [(document_id, group)] = groups.items()
        output.write(_combine(document_id, group, documents, outcome))
        return outcome
    with zipfile.ZipFile(output, "w", zipfile.ZIP_STORED) as archive:
        for index, (document_id, group) in enumerate(groups.items(), start=1):
            content = _combine(document_id, group, documents, outcome)
            if content:
                language = group[0].language or "xx"
                archive.writestr(f"letters {index} ({language}).docx", content)
        for letter in personalised:
            try:
                archive.writestr(letter.file_name, documents.read(letter.document_id))
                outcome.written += 1
            except DocumentError as error:
                outcome.failures.append((letter.contact_number, str(error)))
        if outcome.failures:
            archive.writestr(failures_file_name(), failure_report(outcome))
    outcome.zipped = True
    return outcome


def make_letter(letter: Letter) -> bytes:
    """One letter's .docx (for a preview or to personalise it)."""
    return _make(letter, DocumentCache())


class LetterMerger:
    """Merges letters one at a time, reading each stored document once."""

    def __init__(self):
        self._documents = DocumentCache()

    def merge(self, letter: Letter) -> bytes:
        return _make(letter, self._documents)


def failures_file_name() -> str:
    """The report of letters that could not be made, named in the active language.

    Jobs run in their starter's language, so a job's chunks and their join agree.
    """
    return pgettext("file name", "failures") + ".txt"


def failure_report(outcome: LetterOutcome) -> str:
    lines = [_("Letters that could not be made:")]
    lines += [f"{number}: {message}" for number, message in outcome.failures]
    return "\n".join(lines) + "\n"


def safe_file_name(text: str) -> str:
    """A file name every system accepts: no path or reserved characters."""
    cleaned = UNSAFE_IN_FILE_NAMES.sub(" ", text)
    cleaned = " ".join(cleaned.split()).strip(" .")[:FILE_NAME_LENGTH]
    return f"{cleaned or 'letter'}.docx"


def _letters_of_lines(segment: Segment, lines: QuerySet) -> Iterator[Letter]:
    letter = _letter_maker()
    lines = lines.annotate(segment_description=F("segment__description"))
    for line in lines.iterator(chunk_size=ROWS_PER_QUERY):
        yield letter(
            segment.number,
            line.contact,
            document_id=line.effective_document_id,
            personalised=line.personal_document_id is not None,
            language=line.effective_language,
            salesperson_id=line.effective_salesperson_id,
            campaign_id=line.effective_campaign_id,
            segment_description=line.segment_description,
            subject=line.effective_subject,
            description=line.effective_description,
            date=line.effective_date,
            comment=line.personal_comment,
            correspondence_type=line.effective_correspondence_type,
        )


def _letter_maker() -> Callable[..., Letter]:
    """Makes Letters, with salespeople, campaigns and our company read once."""
    salespeople, campaigns, company = _lookups()
    names = _unique_names()

    def letter(
        segment_number: str,
        contact,
        *,
        document_id: int | None,
        personalised: bool,
        language: str,
        salesperson_id: int | None,
        campaign_id: int | None,
        **details,
    ) -> Letter:
        campaign = campaigns.get(campaign_id)
        return Letter(
            contact_number=contact.number,
            file_name=names(segment_number, contact),
            document_id=document_id,
            personalised=personalised,
            language=language,
            values=letter_values(
                contact,
                salesperson=salespeople.get(salesperson_id),
                details=LetterDetails(
                    segment_number=segment_number,
                    campaign_code=campaign.code if campaign else "",
                    campaign_description=campaign.description if campaign else "",
                    **details,
                ),
                company=company,
                language=language,
            ),
        )

    return letter


def _lookups():
    """Salespeople and campaigns by id, and our company: three small queries."""
    return (
        {salesperson.pk: salesperson for salesperson in Salesperson.objects.all()},
        {campaign.pk: campaign for campaign in Campaign.objects.all()},
        CompanyInformation.current(),
    )


def _unique_names():
    """`<segment no> <contact no> <name>.docx`, numbered when a contact has two lines."""
    used: set[str] = set()

    def name(segment_number: str, contact) -> str:
        base = safe_file_name(f"{segment_number} {contact.number} {contact.name}")
        candidate, copy = base, 1
        while candidate in used:
            copy += 1
            candidate = f"{base.removesuffix('.docx')} ({copy}).docx"
        used.add(candidate)
        return candidate

    return name


class DocumentCache:
    """Each stored document read once from storage, however many letters use it."""

    def __init__(self):
        self._contents: dict[int, bytes] = {}

    def read(self, document_id: int | None) -> bytes:
        if document_id is None:
            raise DocumentError(_("There is no Word document for this letter."))
        if document_id not in self._contents:
            document = WordDocument.objects.get(pk=document_id)
            with document.file.open("rb") as file:
                self._contents[document_id] = file.read()
        return self._contents[document_id]


def _make(letter: Letter, documents: DocumentCache) -> bytes:
    content = documents.read(letter.document_id)
    if letter.personalised:
        return content
    return merge_document(content, letter.values, language=letter.language)


def _combine(document_id, group, documents, outcome) -> bytes:
    try:
        content = merge_documents(
            documents.read(document_id),
            [letter.values for letter in group],
            language=group[0].language,
        )
    except DocumentError as error:
        outcome.failures += [(letter.contact_number, str(error)) for letter in group]
        return b""
    outcome.written += len(group)
    return content


class _Pipe(io.RawIOBase):
    """A write-only, non-seekable stream that keeps what was written until taken."""

    def __init__(self):
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data
