"""How a running job tells its page how far it got.

A chunk's progress is its own row (a chunk holds no transaction), summed into
the job. A one-task job may run inside one long transaction; what it reports
there must not wait for that transaction, so on PostgreSQL it is written by a
short-lived thread, which has a connection of its own. On SQLite no other
connection can write while the transaction holds the write lock, so progress
reported inside a transaction is dropped there (the page shows the last phase
reported before it).
"""

import threading
import time

from django.db import close_old_connections, connection
from django.db.models import Subquery, Sum
from django.db.models.functions import Coalesce

from core.models import Job, JobChunk

# Seconds between two progress writes: a bar needs no more.
PROGRESS_INTERVAL = 0.5


class Progress:
    """Given to a kind's run / run_chunk: `progress(done, total=…, phase=…)`."""

    def __init__(self, job: Job, chunk: JobChunk | None = None):
        self.job = job
        self.chunk = chunk
        self._written_at = 0.0

    def __call__(
        self, done: int, *, total: int | None = None, phase: str | None = None
    ) -> None:
        now = time.monotonic()
        if phase is None and now - self._written_at < PROGRESS_INTERVAL:
            return
        self._written_at = now
        if self.chunk is not None:
            self._write_chunk(done, phase)
        else:
            fields = {"done": done}
            if total is not None:
                fields["total"] = total
            if phase is not None:
                fields["phase"] = phase
            _outside_transaction(
                lambda: Job.objects.filter(pk=self.job.pk).update(**fields)
            )

    def _write_chunk(self, done: int, phase: str | None) -> None:
        JobChunk.objects.filter(
            pk=self.chunk.pk, task_id=self.chunk.task_id, state=JobChunk.State.RUNNING
        ).update(done=done)
        count_chunks(self.job, **({"phase": phase} if phase is not None else {}))


def count_chunks(job: Job, **fields) -> None:
    """The job's progress: what its chunks did (one statement, no lock)."""
    Job.objects.filter(pk=job.pk).update(
        done=Coalesce(
            Subquery(
                JobChunk.objects.filter(job_id=job.pk)
                .values("job_id")
                .annotate(total=Sum("done"))
                .values("total")
            ),
            0,
        ),
        **fields,
    )


def _outside_transaction(write) -> None:
    if not connection.in_atomic_block:
        write()
    elif connection.vendor != "sqlite":
        thread = threading.Thread(target=_on_own_connection, args=[write])
        thread.start()
        thread.join()


def _on_own_connection(write) -> None:
    try:
        write()
    finally:
        close_old_connections()
        connection.close()
