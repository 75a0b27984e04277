from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import private_file_name


def job_file_path(job: "Job", file_name: str) -> str:
    """One folder per job (its result, its chunks' files), each file in a random folder."""
    return private_file_name(f"jobs/{job.pk}", file_name)


def chunk_file_path(chunk: "JobChunk", file_name: str) -> str:
    return private_file_name(
        f"jobs/{chunk.job_id}/chunks", f"{chunk.index}-{file_name}"
    )


class CreatedBy(models.Model):
    """Who made a record and when; the user is kept even when the record outlives them."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        abstract = True


class Job(models.Model):
    """Long work done by the worker for one user: its state, progress and result file.

    A job is one task (its kind's `run`), or, when it splits, one task per
    `JobChunk` and a last task that puts the chunks' files together.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="jobs",
    )
    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    phase = models.CharField(_("phase"), max_length=200, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    attempts = models.PositiveSmallIntegerField(
        _("attempts"),
        default=0,
        help_text=_("Runs of the job's own task (one task, or the last step)."),
    )
    task_id = models.UUIDField(
        _("task"), null=True, blank=True, help_text=_("The job's current task.")
    )
    result = models.FileField(
        _("result"), upload_to=job_file_path, max_length=300, blank=True
    )
    details = models.JSONField(
        _("details"),
        default=dict,
        blank=True,
        help_text=_("What the kind reports besides the file, e.g. failed items."),
    )
    error = models.TextField(_("error"), blank=True)
    key = models.CharField(
        _("works on"),
        max_length=100,
        blank=True,
        help_text=_(
            "What the job changes, e.g. “segment:12”: one unfinished job at a time each."
        ),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [models.Index(fields=["owner", "-created_at"])]
        constraints = [
            # A second Log (or Cancel, or import) of the same thing waits for the
            # first instead of queuing behind it.
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(state__in=["queued", "running"]) & ~models.Q(key=""),
                name="one_unfinished_job_per_key",
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("core:job_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED, self.State.CANCELLED)

    @property
    def result_name(self) -> str:
        return self.result.name.rsplit("/", 1)[-1] if self.result else ""


class JobChunk(models.Model):
    """One piece of a job that splits: its own task, attempts and result file.

    Chunk k always covers the same items, so a chunk run twice (a worker lost
    after writing its file) leaves one result: the run that finishes while it is
    the chunk's current task records its file, any other deletes its own.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    job = models.ForeignKey(
        Job, verbose_name=_("job"), on_delete=models.CASCADE, related_name="chunks"
    )
    index = models.PositiveIntegerField(_("index"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_id = models.UUIDField(_("task"), null=True, blank=True)
    result = models.FileField(
        _("result"), upload_to=chunk_file_path, max_length=300, blank=True
    )
    details = models.JSONField(_("details"), default=dict, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["job", "index"]
        verbose_name = _("job chunk")
        verbose_name_plural = _("job chunks")
        constraints = [
            models.UniqueConstraint(
                fields=["job", "index"], name="one_chunk_per_job_index"
            )
        ]

    def __str__(self):
        return f"{self.job_id}/{self.index} ({self.get_state_display()})"


# The audit's model lives beside its record_event(); Django finds models here.
from core.audit import AuditEvent  # noqa: E402

__all__ = ["AuditEvent", "Job", "JobChunk"]
