"""Real worker processes (`manage.py run_worker`): kill -9, SIGTERM, a late finisher.

Workers are stopped with SIGSTOP at the moment a test needs (a chunk running,
another done) so that what they hold when killed is known, not a race. The
stale time is 2 s here (30 s in production).
"""

import signal
import subprocess
import zipfile

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django_tasks_db.models import DBTaskResult

from core.models import Job, JobChunk
from segmentation.letters.jobs import start_letters_job
from tests.factories import segment_with_letters
from tests.workers import start_worker, wait_for, worker_environment

pytestmark = pytest.mark.django_db(transaction=True)

LETTERS = 48
STALE_SECONDS = 2


@pytest.fixture
def job(transactional_db, settings, marketing_user):
    settings.LETTERS_PER_CHUNK = 6
    segment = segment_with_letters(LETTERS)
    return start_letters_job(user=marketing_user, format="zip", segment=segment)


@pytest.fixture
def workers():
    """Start worker processes; each is killed at the end if still running."""
    started = []

    def start() -> subprocess.Popen:
        process = start_worker(
            env=worker_environment(
                JOB_STALE_SECONDS=str(STALE_SECONDS),
                JOB_REAP_SECONDS="0.5",
                WORKER_UNOSERVER="false",
            )
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def freeze_mid_chunk(worker: subprocess.Popen, job: Job) -> JobChunk:
    """Stop the worker (SIGSTOP) while it runs a chunk after one is done; that chunk."""

    def frozen_while_running():
        chunks = JobChunk.objects.filter(job=job)
        if not (
            chunks.filter(state="done").exists()
            and chunks.filter(state="running").exists()
        ):
            return False
        worker.send_signal(signal.SIGSTOP)
        running = chunks.filter(state="running").first()
        if running is None:
            worker.send_signal(signal.SIGCONT)
            return False
        frozen_while_running.chunk = running
        return True

    wait_for(frozen_while_running, what="a chunk running after one is done")
    return frozen_while_running.chunk


def finished(job: Job) -> bool:
    job.refresh_from_db()
    return job.is_finished


def contact_numbers(job: Job) -> list[str]:
    with job.result.open("rb") as file, zipfile.ZipFile(file) as archive:
        return [name.split()[1] for name in archive.namelist()]


def test_after_kill_9_another_worker_resumes_the_job_from_its_last_chunk(job, workers):
    first = workers()
    held = freeze_mid_chunk(first, job)
    done_before = set(job.chunks.filter(state="done").values_list("index", "task_id"))
    first.kill()
    first.wait()

    workers()
    wait_for(lambda: finished(job), what="the job to finish")

    assert job.state == "done", job.error
    numbers = contact_numbers(job)
    assert len(numbers) == len(set(numbers)) == LETTERS
    held.refresh_from_db()
    assert (held.state, held.attempts) == ("done", 2)
    # The chunks done before the kill were not made again.
    assert done_before <= set(job.chunks.values_list("index", "task_id"))
    assert DBTaskResult.objects.filter(
        exception_class_path="core.jobs.workers.WorkerLost"
    ).exists()
    assert default_storage.listdir(f"jobs/{job.pk}/chunks")[1] == []


def test_sigterm_stops_the_worker_after_its_current_chunk(job, workers):
    worker = workers()
    held = freeze_mid_chunk(worker, job)

    worker.send_signal(signal.SIGTERM)
    worker.send_signal(signal.SIGCONT)

    assert worker.wait(timeout=30) == 0
    held.refresh_from_db()
    assert held.state == "done"
    assert not job.chunks.filter(state="running").exists()
    assert job.chunks.filter(state="queued").exists()
    job.refresh_from_db()
    assert job.state == "running"
    assert list(settings.JOB_HEARTBEAT_DIR.glob("*.alive")) == []


def test_a_worker_taken_for_dead_that_finishes_late_leaves_one_result(job, workers):
    late = workers()
    held = freeze_mid_chunk(late, job)
    first_task = held.task_id

    workers()
    wait_for(lambda: finished(job), what="the job to finish")
    late.send_signal(signal.SIGCONT)
    wait_for(
        lambda: DBTaskResult.objects.get(pk=first_task).status == "SUCCESSFUL",
        what="the late worker to finish its chunk",
    )

    assert job.state == "done", job.error
    numbers = contact_numbers(job)
    assert len(numbers) == len(set(numbers)) == LETTERS
    held.refresh_from_db()
    assert held.task_id != first_task
    assert default_storage.listdir(f"jobs/{job.pk}/chunks")[1] == []
