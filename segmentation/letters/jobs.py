"""Letters made by the workers: a job that splits into chunks of letters.

Separate letters: chunk k merges the letters of the k-th run of
LETTERS_PER_CHUNK lines (by line id, fixed when the job starts) into a zip,
and the last step copies them all into one zip. One combined document: each
chunk is a volume of at most LETTERS_PER_VOLUME letters; one volume is the
download itself, more come as a zip of volumes. PDF, one per letter: each
chunk converts its letters (segmentation/letters/pdf.py) and the last step
copies them into one zip, like separate letters. PDF for printing: each chunk
is a PDF of its letters, and the last step joins them in line order. The
`format` parameter says which ("zip", "combined", "pdf" or "print"). PDF needs
the worker's unoserver (core.office.converter_port()).

A logged segment's hard copies (`hard_copy`) are its letters to print: the
entries with correspondence type hard copy, not cancelled and not held back.
"""

import contextlib
import shutil
import zipfile

from django.conf import settings
from django.db.models import F, Window
from django.db.models.functions import Mod, RowNumber
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from contacts.models import CorrespondenceType
from core.jobs import JobError, JobKind, Output, start_job
from core.models import Job, JobChunk
from core.office import PdfError, converter_port, join_pdfs
from interactions.models import DeliveryStatus, InteractionLogEntry, LoggedSegment
from segmentation.letters.building import (
    ROWS_PER_QUERY,
    LetterOutcome,
    entry_letter_maker,
    failure_report,
    failures_file_name,
    logged_letters,
    safe_file_name,
    segment_letters,
    write_combined,
    zip_chunks,
)
from segmentation.letters.pdf import write_pdf_letters, write_print_pages
from segmentation.models import Segment, SegmentLine

KIND = "letters"
ZIP, COMBINED, PDF, PRINT = "zip", "combined", "pdf", "print"
PDF_FORMATS = (PDF, PRINT)
FORMAT_LABELS = {
    ZIP: gettext_lazy("separate letters"),
    COMBINED: gettext_lazy("One combined document"),
    PDF: gettext_lazy("PDF, one per letter (zip)"),
    PRINT: gettext_lazy("PDF for printing (one file, each letter on a new page)"),
}


def start_letters_job(
    *,
    user,
    format: str,
    segment: Segment | None = None,
    logged_segment: LoggedSegment | None = None,
    hard_copy: bool = False,
) -> Job:
    """Queue the letters of a segment or a logged segment (`hard_copy`: only its
    letters to print) for the workers."""
    if segment:
        rows = SegmentLine.objects.filter(segment=segment)
        number = segment.number
    else:
        rows = logged_entries(logged_segment, hard_copy=hard_copy)
        number = logged_segment.segment_number
    size = (
        settings.LETTERS_PER_VOLUME
        if format == COMBINED
        else settings.LETTERS_PER_CHUNK
    )
    bounds = _chunk_bounds(rows, size)
    title = (
        _("Print letters · %(number)s · %(format)s")
        if hard_copy
        else _("Letters · %(number)s · %(format)s")
    )
    return start_job(
        kind=KIND,
        owner=user,
        title=title % {"number": number, "format": FORMAT_LABELS[format]},
        parameters={
            "segment": segment.pk if segment else None,
            "logged_segment": logged_segment.pk if logged_segment else None,
            "hard_copy": hard_copy,
            "segment_number": number,
            "format": format,
            "bounds": bounds,
        },
        total=rows.count(),
        language=get_language(),
        chunks=max(len(bounds) - 1, 0),
    )


def logged_entries(logged_segment: LoggedSegment, *, hard_copy: bool = False):
    """The entries of a logged segment whose letters are made; `hard_copy`: those
    to print (hard copy, not cancelled, not held back as not to be sent)."""
    entries = InteractionLogEntry.objects.filter(logged_segment=logged_segment)
    if hard_copy:
        entries = entries.filter(
            correspondence_type=CorrespondenceType.HARD_COPY, cancelled=False
        ).exclude(delivery_status=DeliveryStatus.NOT_SENT)
    return entries


def _chunk_bounds(rows, size: int) -> list[int]:
    """The first row id of each chunk, then the last id + 1: chunk k holds the rows
    with bounds[k] <= id < bounds[k + 1], whatever is added or removed later."""
    firsts = list(
        rows.annotate(position=Window(RowNumber(), order_by=F("pk").asc()))
        .annotate(offset=Mod(F("position") - 1, size))
        .filter(offset=0)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    last = rows.order_by("-pk").values_list("pk", flat=True).first()
    return [*firsts, last + 1] if firsts else []


def make_chunk(job: Job, chunk: JobChunk, output, progress) -> Output:
    """One chunk's letters: a zip of separate letters (.docx or PDF), one volume,
    or one PDF to print."""
    progress(0, phase=_("Making letters"))
    letters = _letters(job, chunk.index)
    format = job.parameters["format"]
    if format in PDF_FORMATS:
        outcome = _convert(format, letters, output, progress)
        file_name = "letters.zip" if format == PDF else "letters.pdf"
    elif format == COMBINED:
        outcome = write_combined(letters, output)
        file_name = "volume.zip" if outcome.zipped else "volume.docx"
    else:
        outcome = LetterOutcome()
        for piece in zip_chunks(
            letters, outcome, on_progress=lambda made: progress(made.handled)
        ):
            output.write(piece)
        file_name = "letters.zip"
    return Output(
        file_name=file_name,
        done=outcome.handled,
        details={"failures": [list(failure) for failure in outcome.failures]},
    )


def _convert(format: str, letters, output, progress) -> LetterOutcome:
    port = converter_port()
    if port is None:
        raise JobError(
            _(
                "PDF needs LibreOffice, which is not running beside this worker. "
                "Ask your administrator to install it (make unoserver) and restart "
                "the workers; the Word letters can be downloaded meanwhile."
            )
        )
    write = write_pdf_letters if format == PDF else write_print_pages
    try:
        return write(
            letters, output, port=port, on_progress=lambda made: progress(made.handled)
        )
    except PdfError as error:
        raise JobError(str(error)) from error


def assemble(job: Job, chunks: list[JobChunk], output, progress) -> Output:
    """The download: the one volume as it is, the chunks' PDFs joined for
    printing, or every chunk's letters in one zip (stored, not compressed:
    .docx and PDF files are compressed already)."""
    progress(job.done, phase=_("Putting the letters together"))
    name = (
        _("letters to print")
        if job.parameters.get("hard_copy")
        else pgettext("file name", "letters")
    )
    base = safe_file_name(f"{job.parameters['segment_number']} {name}").removesuffix(
        ".docx"
    )
    failures = [failure for chunk in chunks for failure in chunk.details["failures"]]
    done = sum(chunk.done for chunk in chunks)
    if job.parameters["format"] == PRINT:
        _join_for_print(chunks, output, failures)
        return Output(f"{base}.pdf", done, {"failures": failures})
    if job.parameters["format"] == COMBINED and len(chunks) == 1:
        with chunks[0].result.open("rb") as volume:
            shutil.copyfileobj(volume, output)
        extension = chunks[0].result.name.rsplit(".", 1)[-1]
        return Output(f"{base}.{extension}", done, {"failures": failures})
    with zipfile.ZipFile(output, "w", zipfile.ZIP_STORED) as archive:
        names = _UniqueNames()
        for number, chunk in enumerate(chunks, start=1):
            if job.parameters["format"] == COMBINED:
                volume = _("%(letters)s, volume %(number)d") % {
                    "letters": base,
                    "number": number,
                }
                _add_volume(archive, chunk, volume, names)
            else:
                _copy_letters(archive, chunk, "", names)
        if failures:
            archive.writestr(
                failures_file_name(),
                failure_report(LetterOutcome(failures=[tuple(f) for f in failures])),
            )
    return Output(f"{base}.zip", done, {"failures": failures})


def _join_for_print(chunks: list[JobChunk], output, failures: list) -> None:
    with contextlib.ExitStack() as files:
        pdfs = [
            files.enter_context(chunk.result.open("rb"))
            for chunk in chunks
            if chunk.result
        ]
        if join_pdfs(pdfs, output):
            return
    if failures:
        raise JobError(
            _("No letter could be made: %(reason)s") % {"reason": failures[0][1]}
        )
    raise JobError(_("There are no letters to print."))


def _add_volume(archive, chunk: JobChunk, volume: str, names) -> None:
    if chunk.result.name.endswith(".docx"):
        with (
            chunk.result.open("rb") as source,
            archive.open(names(f"{volume}.docx"), "w") as target,
        ):
            shutil.copyfileobj(source, target)
    else:
        # Letters with different documents make a zip per volume: its files go in
        # the download, each named after its volume.
        _copy_letters(archive, chunk, f"{volume} - ", names)


def _copy_letters(archive, chunk: JobChunk, prefix: str, names) -> None:
    with chunk.result.open("rb") as file, zipfile.ZipFile(file) as letters:
        for entry in letters.infolist():
            if entry.filename == failures_file_name():
                continue
            target = zipfile.ZipInfo(names(prefix + entry.filename), entry.date_time)
            with letters.open(entry) as source, archive.open(target, "w") as copy:
                shutil.copyfileobj(source, copy)


class _UniqueNames:
    """Names across chunks numbered as within one (a contact with two lines)."""

    def __init__(self):
        self.used: set[str] = set()

    def __call__(self, name: str) -> str:
        stem, dot, extension = name.rpartition(".")
        candidate, copy = name, 1
        while candidate in self.used:
            copy += 1
            candidate = f"{stem} ({copy}).{extension}" if dot else f"{name} ({copy})"
        self.used.add(candidate)
        return candidate


def _letters(job: Job, index: int):
    parameters = job.parameters
    pk_range = (parameters["bounds"][index], parameters["bounds"][index + 1])
    number = parameters["segment_number"]
    if parameters["logged_segment"]:
        logged = LoggedSegment.objects.filter(
            pk=parameters["logged_segment"], segment_number=number
        ).first()
        if logged is None:
            raise JobError(
                _("Logged segment %(number)s no longer exists.") % {"number": number}
            )
        if parameters.get("hard_copy"):
            return _hard_copy_letters(logged, pk_range)
        return logged_letters(logged, pk_range=pk_range)
    segment = Segment.objects.filter(pk=parameters["segment"], number=number).first()
    if segment is None:
        raise JobError(
            _(
                "Segment %(number)s no longer exists; download its letters from the logged segment."
            )
            % {"number": number}
        )
    return segment_letters(segment, pk_range=pk_range)


def _hard_copy_letters(logged: LoggedSegment, pk_range: tuple[int, int]):
    entries = (
        logged_entries(logged, hard_copy=True)
        .filter(pk__gte=pk_range[0], pk__lt=pk_range[1])
        .select_related("contact", "contact__company")
        .order_by("pk")
    )
    letter = entry_letter_maker(logged)
    for entry in entries.iterator(chunk_size=ROWS_PER_QUERY):
        yield letter(entry)


LETTERS = JobKind(
    name=KIND,
    run_chunk=make_chunk,
    assemble=assemble,
    failures_heading=gettext_lazy("Letters that could not be made"),
)
