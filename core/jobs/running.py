"""The worker's side of jobs: the tasks that run a job, its chunks and its last step.

Each task first claims its job or chunk: only the current task of an unfinished
one may run it (a task the reaper replaced, or one of a failed job, does
nothing). Everything runs in the language of the user who started the job.
"""

import logging
import tempfile
import uuid
from contextlib import contextmanager

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.tasks import TaskContext, task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.files import delete_private_file
from core.jobs.progress import Progress, count_chunks
from core.jobs.registry import JobError, Output, job_kind
from core.jobs.stopping import JobInterrupted
from core.models import Job, JobChunk, chunk_file_path, job_file_path

logger = logging.getLogger(__name__)

UNFINISHED = (Job.State.QUEUED, Job.State.RUNNING)


@task(takes_context=True)
def run_job(context: TaskContext, job_id: int) -> None:
    """A one-task job, or the last step of a job that splits."""
    task_id = uuid.UUID(str(context.task_result.id))
    job = _claim_job(job_id, task_id)
    if job is None:
        return
    kind = job_kind(job.kind)
    with (
        translation.override(job.language),
        _failing(job),
        tempfile.TemporaryFile() as output,
    ):
        progress = Progress(job)
        if kind.splits:
            chunks = list(job.chunks.order_by("index"))
            outcome = kind.assemble(job, chunks, output, progress)
        else:
            try:
                outcome = kind.run(job, output, progress)
            except JobInterrupted:
                _queue_again_after_stop(job, task_id)
                return
        if _finish_job(job, task_id, output, outcome) and kind.splits:
            delete_chunk_files(job)


@task(takes_context=True)
def run_job_chunk(context: TaskContext, job_id: int, index: int) -> None:
    """One chunk of a job that splits; the last one to finish queues the last step."""
    task_id = uuid.UUID(str(context.task_result.id))
    claimed = _claim_chunk(job_id, index, task_id)
    if claimed is None:
        return
    job, chunk = claimed
    kind = job_kind(job.kind)
    with (
        translation.override(job.language),
        _failing(job),
        tempfile.TemporaryFile() as output,
    ):
        outcome = kind.run_chunk(job, chunk, output, Progress(job, chunk))
        _finish_chunk(job, chunk, output, outcome)


def _queue_again_after_stop(job: Job, task_id: uuid.UUID) -> None:
    """Its worker is stopping: the job waits for another worker, this attempt not counted."""
    with transaction.atomic():
        new_task_id = uuid.UUID(str(run_job.enqueue(job.pk).id))
        Job.objects.filter(pk=job.pk, task_id=task_id).update(
            task_id=new_task_id, state=Job.State.QUEUED, attempts=F("attempts") - 1
        )
    logger.warning("Job %s stopped with its worker; queued again", job.pk)


def _claim_job(job_id: int, task_id: uuid.UUID) -> Job | None:
    claimed = Job.objects.filter(
        pk=job_id, task_id=task_id, state__in=UNFINISHED
    ).update(
        state=Job.State.RUNNING,
        attempts=F("attempts") + 1,
        started_at=timezone.now(),
    )
    return Job.objects.get(pk=job_id) if claimed else None


def _claim_chunk(
    job_id: int, index: int, task_id: uuid.UUID
) -> tuple[Job, JobChunk] | None:
    with transaction.atomic():
        claimed = JobChunk.objects.filter(
            job_id=job_id,
            index=index,
            task_id=task_id,
            state__in=(JobChunk.State.QUEUED, JobChunk.State.RUNNING),
            job__state__in=UNFINISHED,
        ).update(state=JobChunk.State.RUNNING, attempts=F("attempts") + 1, done=0)
        if not claimed:
            return None
        Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
            state=Job.State.RUNNING, started_at=timezone.now()
        )
    return Job.objects.get(pk=job_id), JobChunk.objects.get(job_id=job_id, index=index)


def _finish_chunk(job: Job, chunk: JobChunk, output, outcome: Output) -> None:
    name = _store(chunk_file_path, chunk, output, outcome)
    with transaction.atomic():
        # The job's row lock makes chunks that finish at once take turns, so
        # exactly one of them sees that all are done and queues the last step.
        job = Job.objects.select_for_update().get(pk=job.pk)
        recorded = JobChunk.objects.filter(
            pk=chunk.pk, task_id=chunk.task_id, state=JobChunk.State.RUNNING
        ).update(
            state=JobChunk.State.DONE,
            result=name,
            done=outcome.done,
            details=outcome.details,
            finished_at=timezone.now(),
        )
        if not recorded:
            # Another run of this chunk is the current one: keep only its file.
            if name:
                transaction.on_commit(lambda: delete_private_file(name))
            return
        count_chunks(job)
        if (
            job.state == Job.State.RUNNING
            and not job.chunks.exclude(state=JobChunk.State.DONE).exists()
        ):
            Job.objects.filter(pk=job.pk).update(task_id=run_job.enqueue(job.pk).id)


def _finish_job(job: Job, task_id: uuid.UUID, output, outcome: Output) -> bool:
    name = _store(job_file_path, job, output, outcome)
    recorded = Job.objects.filter(
        pk=job.pk, task_id=task_id, state=Job.State.RUNNING
    ).update(
        state=Job.State.DONE,
        result=name,
        done=outcome.done or F("total"),
        details=outcome.details,
        phase="",
        finished_at=timezone.now(),
    )
    if not recorded and name:
        delete_private_file(name)
    return bool(recorded)


def _store(file_path, unit: Job | JobChunk, output, outcome: Output) -> str:
    if not outcome.file_name:
        return ""
    output.seek(0)
    return default_storage.save(file_path(unit, outcome.file_name), File(output))


def delete_chunk_files(job: Job) -> None:
    """The chunks' files, once the job's own file holds what they made."""
    folder = f"jobs/{job.pk}/chunks"
    if not default_storage.exists(folder):
        return
    for token in default_storage.listdir(folder)[0]:
        for name in default_storage.listdir(f"{folder}/{token}")[1]:
            delete_private_file(f"{folder}/{token}/{name}")


def fail_job(job: Job, message: str, *, links: list | None = None) -> None:
    """Stop an unfinished job with the message its owner reads (and links)."""
    Job.objects.filter(pk=job.pk, state__in=UNFINISHED).update(
        state=Job.State.FAILED,
        error=message,
        finished_at=timezone.now(),
        **({"details": {"links": links}} if links else {}),
    )
    JobChunk.objects.filter(
        job_id=job.pk, state__in=(JobChunk.State.QUEUED, JobChunk.State.RUNNING)
    ).update(state=JobChunk.State.FAILED)


@contextmanager
def _failing(job: Job):
    """Record an error on the job: a JobError's message as it is; anything else as a
    general message, re-raised so that the task row keeps the traceback. A worker
    that is stopped (SystemExit) leaves the work to the reaper."""
    try:
        yield
    except JobError as error:
        fail_job(job, str(error), links=error.links)
    except Exception:
        logger.exception("Job %s failed", job.pk)
        fail_job(
            job,
            _(
                "The job stopped on an unexpected error. Try again, or tell your "
                "administrator (job %(number)s)."
            )
            % {"number": job.pk},
        )
        raise
