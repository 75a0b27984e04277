"""Run a job worker: django-tasks-db's worker with a heartbeat and a reaper.

Each chunk of a job is a task of its own, so SIGTERM (or Ctrl+C) stops the
worker once its current chunk is done (a mailing stops after the message being
sent and is queued again); a second one stops it at once, and the reaper of
another worker queues that chunk again. Where LibreOffice is
installed, the worker keeps its own unoserver for PDF letters while it runs.
"""

from django.core.management.base import CommandError
from django_tasks_db.management.commands import db_worker

from core.jobs.stopping import request_stop
from core.jobs.workers import Heartbeat, Reaper, WorkerConverter


class JobWorker(db_worker.Worker):
    """The database worker, beating, reaping and converting to PDF while it runs."""

    def run(self) -> None:
        with (
            Heartbeat(self.worker_id),
            Reaper(),
            WorkerConverter() as self.converter,
        ):
            super().run()

    def shutdown(self, signum, frame) -> None:
        # A long one-task job (a mailing) stops at its next safe point.
        request_stop()
        super().shutdown(signum, frame)

    def run_task(self, db_task_result) -> None:
        self.converter.ensure_running()
        super().run_task(db_task_result)


class Command(db_worker.Command):
    help = "Run a worker for jobs (letters and other long work)."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        # Reloading would restart the worker mid-chunk; a new worker is started instead.
        parser.set_defaults(reload=False)

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        if reload:
            raise CommandError("run_worker does not reload; restart it instead.")
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = JobWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        worker.run()
