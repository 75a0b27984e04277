"""A real worker process (`manage.py run_worker`) keeps its own unoserver for PDF.

It starts one where LibreOffice is installed, converts with it, and leaves no
LibreOffice behind whether it is stopped (SIGTERM) or killed (kill -9).
"""

import signal
import subprocess
from pathlib import Path

import pytest

from core.models import Job
from segmentation.letters.jobs import start_letters_job
from tests.core.test_workers import finished
from tests.factories import segment_with_letters
from tests.office import needs_libreoffice, pdf_pages, processes_of
from tests.workers import start_worker, wait_for, worker_environment

pytestmark = [pytest.mark.django_db(transaction=True), needs_libreoffice]


@pytest.fixture
def converting_workers():
    """Start workers that keep their own unoserver (the usual test workers do not);
    each is killed at the end if still running."""
    started = []

    def start(**environment) -> subprocess.Popen:
        process = start_worker(
            env=worker_environment(
                **{"UNOSERVER_PORT": None, "WORKER_UNOSERVER": "true", **environment}
            )
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def unoserver_of(worker) -> tuple[int, int]:
    """The pid and LibreOffice port of the unoserver a worker started, once it runs."""
    found = {}

    def running() -> bool:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                command = (entry / "cmdline").read_bytes().split(b"\0")
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == worker.pid and b"--uno-port" in command:
                found["pid"] = int(entry.name)
                found["uno_port"] = int(command[command.index(b"--uno-port") + 1])
        return bool(found) and any(
            "soffice" in process
            for process in processes_of(group=found["pid"], uno_port=found["uno_port"])
        )

    wait_for(running, what="the worker's LibreOffice to start")
    return found["pid"], found["uno_port"]


def test_the_worker_converts_with_its_own_unoserver_and_stops_it_on_sigterm(
    converting_workers, marketing_user
):
    segment = segment_with_letters(3)
    job = start_letters_job(user=marketing_user, format="print", segment=segment)
    worker = converting_workers()
    group, uno_port = unoserver_of(worker)

    wait_for(lambda: finished(job), what="the job to finish")

    assert job.state == Job.State.DONE, job.error
    with job.result.open("rb") as file:
        assert len(pdf_pages(file.read())) == 3
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=30) == 0
    assert processes_of(group=group, uno_port=uno_port) == []


def test_a_worker_killed_with_kill_9_leaves_no_libreoffice_running(
    converting_workers,
):
    worker = converting_workers()
    group, uno_port = unoserver_of(worker)

    worker.kill()
    worker.wait()

    wait_for(
        lambda: processes_of(group=group, uno_port=uno_port) == [],
        timeout=20,
        what="LibreOffice to end with its worker",
    )


def test_a_worker_uses_the_unoserver_it_is_told_and_starts_none(
    converting_workers, marketing_user, unoserver
):
    segment = segment_with_letters(2)
    job = start_letters_job(user=marketing_user, format="print", segment=segment)
    worker = converting_workers(UNOSERVER_PORT=str(unoserver.port))

    wait_for(lambda: finished(job), what="the job to finish")

    assert job.state == Job.State.DONE, job.error
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text()
    assert children.split() == []
