"""Letters made by the workers: a job that splits into chunks of letters.

Separate letters: chunk k merges the letters of the k-th run of
LETTERS_PER_CHUNK lines (by line id, fixed when the job starts) into a zip,
and the last step copies them all into one zip. One combined document: each
chunk is a volume of at most LETTERS_PER_VOLUME letters; one volume is the
download itself, more come as a zip of volumes. The `format` parameter says
which ("zip" or "combined"), so another format is one more branch per step.
"""

import shutil
import zipfile

from django.conf import settings
from django.db.models import F, Window
from django.db.models.functions import Mod, RowNumber
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.jobs import JobError, JobKind, Output, start_job
from core.models import Job, JobChunk
from interactions.models import InteractionLogEntry, LoggedSegment
from segmentation.letters.building import (
    LetterOutcome,
    failure_report,
    logged_letters,
    safe_file_name,
    segment_letters,
    write_combined,
    zip_chunks,
)
from segmentation.models import Segment, SegmentLine

KIND = "letters"
ZIP, COMBINED = "zip", "combined"
FORMAT_LABELS = {
    ZIP: gettext_lazy("separate letters"),
    COMBINED: gettext_lazy("One combined document"),
}
FAILURES_FILE = "failures.txt"


def start_letters_job(
    *,
    user,
    format: str,
    segment: Segment | None = None,
    logged_segment: LoggedSegment | None = None,
) -> Job:
    """Queue the letters of a segment or a logged segment for the workers."""
    if segment:
        rows = SegmentLine.objects.filter(segment=segment)
        number = segment.number
    else:
        rows = InteractionLogEntry.objects.filter(logged_segment=logged_segment)
        number = logged_segment.segment_number
    size = (
        settings.LETTERS_PER_VOLUME
        if format == COMBINED
        else settings.LETTERS_PER_CHUNK
    )
    bounds = _chunk_bounds(rows, size)
    return start_job(
        kind=KIND,
        owner=user,
        title=_("Letters · %(number)s · %(format)s")
        % {"number": number, "format": FORMAT_LABELS[format]},
        parameters={
            "segment": segment.pk if segment else None,
            "logged_segment": logged_segment.pk if logged_segment else None,
            "segment_number": number,
            "format": format,
            "bounds": bounds,
        },
        total=rows.count(),
        language=get_language(),
        chunks=max(len(bounds) - 1, 0),
    )


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
    """One chunk's letters: a zip of separate letters, or one volume."""
    progress(0, phase=_("Making letters"))
    letters = _letters(job, chunk.index)
    if job.parameters["format"] == COMBINED:
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


def assemble(job: Job, chunks: list[JobChunk], output, progress) -> Output:
    """The download: the one volume as it is, or every chunk's letters in one zip
    (stored, not compressed: .docx files are zips already)."""
    progress(job.done, phase=_("Putting the letters together"))
    base = safe_file_name(f"{job.parameters['segment_number']} letters").removesuffix(
        ".docx"
    )
    failures = [failure for chunk in chunks for failure in chunk.details["failures"]]
    done = sum(chunk.done for chunk in chunks)
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
                FAILURES_FILE,
                failure_report(LetterOutcome(failures=[tuple(f) for f in failures])),
            )
    return Output(f"{base}.zip", done, {"failures": failures})


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
            if entry.filename == FAILURES_FILE:
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


LETTERS = JobKind(
    name=KIND,
    run_chunk=make_chunk,
    assemble=assemble,
    failures_heading=gettext_lazy("Letters that could not be made"),
)
