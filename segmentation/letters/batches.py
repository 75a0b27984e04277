"""Letters made in the background: queue a batch, and the worker's side of it."""

import tempfile

from django.core.files import File
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from interactions.models import LoggedSegment
from segmentation.letters.building import (
    LetterOutcome,
    logged_letters,
    safe_file_name,
    segment_letters,
    write_combined,
    zip_chunks,
)
from segmentation.models import LetterBatch, Segment

PROGRESS_EVERY = 25


def start_letter_batch(
    *,
    user,
    combined: bool,
    segment: Segment | None = None,
    logged_segment: LoggedSegment | None = None,
) -> LetterBatch:
    """Queue the letters of a segment or a logged segment for the worker."""
    source = segment or logged_segment
    with transaction.atomic():
        batch = LetterBatch.objects.create(
            segment=segment,
            logged_segment=logged_segment,
            segment_number=segment.number if segment else source.segment_number,
            combined=combined,
            total=segment.lines.count() if segment else source.entries.count(),
            created_by=user,
        )
        # Only a committed batch can be found by the worker.
        transaction.on_commit(lambda: make_letters.enqueue(batch.pk))
    return batch


@task
def make_letters(batch_id: int) -> None:
    """The worker's task: make one batch of letters."""
    run_letter_batch(LetterBatch.objects.get(pk=batch_id))


def run_letter_batch(batch: LetterBatch) -> None:
    """Make the batch's letters into a file in storage, counting progress as it goes.

    A letter that fails is listed with its reason; the batch fails as a whole only
    when the file cannot be made at all (its segment was logged meanwhile, say).
    """
    LetterBatch.objects.filter(pk=batch.pk).update(status=LetterBatch.Status.RUNNING)
    try:
        letters = _letters_of(batch)
        outcome = LetterOutcome()
        with tempfile.TemporaryFile() as output:
            if batch.combined:
                outcome = write_combined(letters, output)
            else:
                for chunk in zip_chunks(
                    letters, outcome, on_progress=lambda done: _progress(batch, done)
                ):
                    output.write(chunk)
            output.seek(0)
            zipped = outcome.zipped or not batch.combined
            name = safe_file_name(f"{batch.segment_number} letters")
            if zipped:
                name = name.removesuffix(".docx") + ".zip"
            batch.file.save(name, File(output), save=False)
    except Exception as error:  # noqa: BLE001 - recorded for the user, then re-raised
        LetterBatch.objects.filter(pk=batch.pk).update(
            status=LetterBatch.Status.FAILED,
            error=str(error) or error.__class__.__name__,
            finished_at=timezone.now(),
        )
        raise
    batch.status = LetterBatch.Status.DONE
    batch.handled = outcome.handled
    batch.failures = [list(failure) for failure in outcome.failures]
    batch.finished_at = timezone.now()
    batch.save(update_fields=["file", "status", "handled", "failures", "finished_at"])


def _letters_of(batch: LetterBatch):
    if batch.logged_segment_id:
        return logged_letters(batch.logged_segment)
    if batch.segment_id:
        return segment_letters(batch.segment)
    raise LookupError(
        _(
            "Segment %(number)s no longer exists; download its letters from the logged segment."
        )
        % {"number": batch.segment_number}
    )


def _progress(batch: LetterBatch, outcome: LetterOutcome) -> None:
    if outcome.handled % PROGRESS_EVERY == 0:
        LetterBatch.objects.filter(pk=batch.pk).update(handled=outcome.handled)
