"""Which workers are alive, and what to do with the work of those that are not.

A worker's heartbeat is a file, `<JOB_HEARTBEAT_DIR>/<worker id>.alive`, touched
every few seconds by a thread of its own. It is a file, not a row, so that no
transaction can hold it up: on SQLite a job's long transaction holds the one
write lock, and a heartbeat row could not be written until it ends. Workers on
several machines therefore need the folder shared between them (as they share
MEDIA_ROOT).

The reaper (every worker runs it, at start and every few seconds) takes the
task rows of workers whose heartbeat is older than JOB_STALE_SECONDS as lost,
and queues again every unfinished job or chunk whose current task is no longer
waiting or running (lost, or ended by a worker that was stopped). A job or
chunk that has already been started JOB_MAX_ATTEMPTS times fails instead,
with a message, and its owner can try it again.

Each worker also keeps its own LibreOffice warm for PDF letters (WorkerConverter).
"""

import logging
import re
import threading
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks_db.models import DBTaskResult

from core.jobs.running import UNFINISHED, fail_job, run_job, run_job_chunk
from core.models import Job, JobChunk
from core.office import PdfError, UnoServer, libreoffice_available

logger = logging.getLogger(__name__)

JOB_TASKS = [run_job.module_path, run_job_chunk.module_path]
LIVE_TASK = [TaskResultStatus.READY, TaskResultStatus.RUNNING]


def heartbeat_file(worker_id: str) -> Path:
    return Path(settings.JOB_HEARTBEAT_DIR) / (
        re.sub(r"[^\w-]", "_", worker_id) + ".alive"
    )


def is_alive(worker_id: str) -> bool:
    try:
        beat = heartbeat_file(worker_id).stat().st_mtime
    except FileNotFoundError:
        return False
    return time.time() - beat < settings.JOB_STALE_SECONDS


class Heartbeat:
    """Touch this worker's heartbeat file until stopped; remove it then."""

    def __init__(self, worker_id: str):
        self.file = heartbeat_file(worker_id)
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._beat, daemon=True, name="heartbeat"
        )

    def __enter__(self):
        self.file.parent.mkdir(parents=True, exist_ok=True)
        self.file.touch()
        self._thread.start()
        return self

    def __exit__(self, *exception):
        self._stopped.set()
        self._thread.join()
        self.file.unlink(missing_ok=True)

    def _beat(self) -> None:
        interval = settings.JOB_STALE_SECONDS / 6
        while not self._stopped.wait(interval):
            self.file.touch()


class Reaper:
    """Run `reap_lost_work` now and every JOB_REAP_SECONDS, on a thread of its own."""

    def __init__(self):
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._reap, daemon=True, name="reaper")

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exception):
        self._stopped.set()
        self._thread.join()

    def _reap(self) -> None:
        try:
            while True:
                try:
                    reap_lost_work()
                except Exception:
                    # A locked or unreachable database: try again next time.
                    logger.exception("The reaper could not look for lost work")
                if self._stopped.wait(settings.JOB_REAP_SECONDS):
                    return
        finally:
            connection.close()


class WorkerConverter:
    """This worker's own unoserver, which job code finds with core.office.converter_port().

    Started where LibreOffice is installed, WORKER_UNOSERVER allows it and
    UNOSERVER_PORT names none; stopped when the worker stops (SIGTERM, Ctrl+C,
    the end of a batch). A `kill -9` of the worker ends it too: UnoServer
    starts it to die with the thread that started it, so `__enter__` and
    `ensure_running` must run on the worker's main thread. unoserver exits
    after a conversion that timed out, so it is started again before the
    next task. If it cannot start, the worker runs without it and PDF jobs
    fail with a message.
    """

    def __init__(self):
        self.wanted = (
            settings.WORKER_UNOSERVER
            and not settings.UNOSERVER_PORT
            and libreoffice_available()
        )
        self.server: UnoServer | None = None

    def __enter__(self):
        self.ensure_running()
        return self

    def __exit__(self, *exception):
        if self.server is not None:
            self.server.stop()
            self.server = None

    def ensure_running(self) -> None:
        if not self.wanted or (self.server is not None and self.server.running):
            return
        self.__exit__()
        try:
            self.server = UnoServer().start()
        except PdfError:
            logger.exception("LibreOffice (unoserver) did not start; no PDF here")
            # Not tried again before every task: a start can take a minute.
            self.wanted = False
        else:
            logger.info("LibreOffice (unoserver) runs on port %s", self.server.port)


def reap_lost_work() -> int:
    """Give up the tasks of dead workers and queue their work again; how many were queued."""
    for result in DBTaskResult.objects.running().filter(task_path__in=JOB_TASKS):
        worker_id = result.worker_ids[-1] if result.worker_ids else ""
        if not is_alive(worker_id):
            _give_up(result, worker_id)
    live = DBTaskResult.objects.filter(status__in=LIVE_TASK).values("id")
    unfinished = Q(task_id__isnull=False) & ~Q(task_id__in=live)
    chunks = JobChunk.objects.filter(
        unfinished,
        state__in=(JobChunk.State.QUEUED, JobChunk.State.RUNNING),
        job__state__in=UNFINISHED,
    ).select_related("job")
    jobs = Job.objects.filter(unfinished, state__in=UNFINISHED)
    queued = 0
    for unit in [*chunks, *jobs]:
        queued += _queue_again(unit)
    return queued


def _give_up(result: DBTaskResult, worker_id: str) -> None:
    DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="core.jobs.workers.WorkerLost",
        traceback=f"Worker {worker_id} stopped beating; its work is queued again.",
    )


def _queue_again(unit: Job | JobChunk) -> int:
    job = unit.job if isinstance(unit, JobChunk) else unit
    with transaction.atomic():
        # Only the reaper that moves the unit off its old task queues it again.
        moved = (
            type(unit)
            .objects.filter(pk=unit.pk, task_id=unit.task_id)
            .update(task_id=None)
        )
        if not moved:
            return 0
        if unit.attempts >= settings.JOB_MAX_ATTEMPTS:
            with override(job.language):
                fail_job(
                    job,
                    _(
                        "The job was interrupted %(count)d times, each time because "
                        "the worker running it stopped. Try again."
                    )
                    % {"count": unit.attempts},
                )
            return 0
        if isinstance(unit, JobChunk):
            task_id = run_job_chunk.enqueue(job.pk, unit.index).id
        else:
            task_id = run_job.enqueue(job.pk).id
        type(unit).objects.filter(pk=unit.pk).update(
            task_id=uuid.UUID(str(task_id)), state=unit.State.QUEUED
        )
    logger.warning("Queued %s again (its worker stopped)", unit)
    return 1
