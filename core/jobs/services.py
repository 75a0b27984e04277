"""Start a job, retry a failed one: the writes behind those buttons."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.jobs.registry import job_kind
from core.jobs.running import run_job, run_job_chunk
from core.models import Job, JobChunk


def start_job(
    *,
    kind: str,
    owner,
    title: str,
    parameters: dict,
    total: int,
    language: str,
    chunks: int | None = None,
) -> Job:
    """Queue a job for the workers: one task, or one task per chunk for a kind that splits.

    The database task backend writes the tasks in this same transaction, so a
    job exists exactly when its tasks do.
    """
    splits = job_kind(kind).splits
    if splits != (chunks is not None):
        raise ValueError(
            f"Job kind {kind!r} {'needs' if splits else 'takes no'} chunks."
        )
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            owner=owner,
            title=title,
            parameters=parameters,
            total=total,
            language=language,
        )
        _queue(job, range(chunks or 0))
    return job


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
        job.save(update_fields=["state", "error", "phase", "attempts", "finished_at"])
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
