"""Start a job, retry a failed one: the writes behind those buttons."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.jobs.registry import job_kind
from core.jobs.running import UNFINISHED, run_job, run_job_chunk
from core.models import Job, JobChunk


class JobAlreadyRunning(Exception):
    """Another unfinished job works on the same thing (the same `key`)."""

    def __init__(self, job: Job):
        self.job = job
        super().__init__(
            _("The job “%(title)s” is working on this already; wait for it to end.")
            % {"title": job.title}
        )


def start_job(
    *,
    kind: str,
    owner,
    title: str,
    parameters: dict,
    total: int,
    language: str,
    chunks: int | None = None,
    key: str = "",
) -> Job:
    """Queue a job for the workers: one task, or one task per chunk for a kind that splits.

    The database task backend writes the tasks in this same transaction, so a
    job exists exactly when its tasks do. A `key` names what the job changes
    (e.g. "segment:12"): while a queued or running job has it, no other job
    with that key starts (JobAlreadyRunning, which names that job). The database
    enforces it, so two requests at once cannot both start one.
    """
    splits = job_kind(kind).splits
    if splits != (chunks is not None):
        raise ValueError(
            f"Job kind {kind!r} {'needs' if splits else 'takes no'} chunks."
        )
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                owner=owner,
                title=title,
                parameters=parameters,
                total=total,
                language=language,
                key=key,
            )
            _queue(job, range(chunks or 0))
    except IntegrityError:
        running = Job.objects.filter(key=key, state__in=UNFINISHED).first()
        if not key or running is None:
            raise
        raise JobAlreadyRunning(running) from None
    return job


def unfinished_job(key: str) -> Job | None:
    """The queued or running job that works on `key`, if any."""
    return Job.objects.filter(key=key, state__in=UNFINISHED).first() if key else None


def retry_job(job: Job, *, user) -> Job:
    """Run a failed job again, from its last finished chunk."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.owner_id != user.pk and not user.is_superuser:
            raise ValidationError(_("Only the person who started a job can retry it."))
        if job.state != Job.State.FAILED:
            raise ValidationError(_("Only a failed job can be tried again."))
        unfinished = list(
            job.chunks.exclude(state=JobChunk.State.DONE).values_list(
                "index", flat=True
            )
        )
        job.state = Job.State.QUEUED
        job.error = job.phase = ""
        job.attempts = 0
        job.finished_at = None
        try:
            with transaction.atomic():
                job.save(
                    update_fields=["state", "error", "phase", "attempts", "finished_at"]
                )
        except IntegrityError:
            raise ValidationError(
                _("Another job is working on the same thing; try again once it ends.")
            ) from None
        JobChunk.objects.filter(job=job, index__in=unfinished).delete()
        _queue(job, unfinished)
    return job


def _queue(job: Job, chunk_indexes) -> None:
    """One task per chunk, or the job's own task when no chunk is left to do."""
    chunks = [
        JobChunk(job=job, index=index, task_id=run_job_chunk.enqueue(job.pk, index).id)
        for index in chunk_indexes
    ]
    if chunks:
        JobChunk.objects.bulk_create(chunks)
        Job.objects.filter(pk=job.pk).update(task_id=None)
    else:
        Job.objects.filter(pk=job.pk).update(task_id=run_job.enqueue(job.pk).id)
