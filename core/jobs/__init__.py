"""Jobs: long work done by the workers (`manage.py run_worker`) for one user.

An app registers its kinds of job in its AppConfig.ready() with
`register_job_kind(JobKind(...))`, and starts one with `start_job(...)`; the
job's page (`core:job_detail`) shows its progress and offers its file.
"""

from core.jobs.progress import Progress
from core.jobs.registry import JobError, JobKind, Output, job_kind, register_job_kind
from core.jobs.services import JobAlreadyRunning, retry_job, start_job, unfinished_job
from core.jobs.stopping import JobInterrupted, stop_requested

__all__ = [
    "JobAlreadyRunning",
    "JobError",
    "JobInterrupted",
    "JobKind",
    "Output",
    "Progress",
    "job_kind",
    "register_job_kind",
    "retry_job",
    "start_job",
    "stop_requested",
    "unfinished_job",
]
