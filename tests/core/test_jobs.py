"""Jobs: pages, Retry, the reaper's resume or give-up, the requester's language.

The worker runs in this process (`run_worker --batch`); it closes the
connections it finds inside a transaction, so these tests commit.
"""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.tasks import TaskContext, TaskResultStatus
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from core.jobs import (
    JobAlreadyRunning,
    JobKind,
    Output,
    register_job_kind,
    retry_job,
    start_job,
)
from core.jobs.running import run_job_chunk
from core.jobs.workers import reap_lost_work
from core.models import Job, JobChunk
from segmentation.letters.jobs import start_letters_job
from tests.factories import UserFactory, segment_with_letters

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def letters_job(transactional_db, settings, marketing_user):
    settings.LETTERS_PER_CHUNK = 2
    segment = segment_with_letters(5)
    return start_letters_job(user=marketing_user, format="zip", segment=segment)


def _run_workers():
    call_command("run_worker", batch=True, startup_delay=False, verbosity=0)


def _contact_numbers(job: Job) -> list[str]:
    with job.result.open("rb") as file, zipfile.ZipFile(file) as archive:
        return sorted(name.split()[1] for name in archive.namelist())


def _lose_worker(chunk: JobChunk) -> DBTaskResult:
    """What a worker killed mid-chunk leaves: its task and the chunk running."""
    task = DBTaskResult.objects.get(pk=chunk.task_id)
    task.claim("killed-worker")
    JobChunk.objects.filter(pk=chunk.pk).update(
        state=JobChunk.State.RUNNING, attempts=chunk.attempts + 1
    )
    return task


def test_a_job_splits_into_chunks_and_ends_with_one_zip(letters_job):
    assert letters_job.chunks.count() == 3

    _run_workers()

    letters_job.refresh_from_db()
    assert (letters_job.state, letters_job.done, letters_job.total) == ("done", 5, 5)
    assert letters_job.result_name.endswith("letters.zip")
    assert re.fullmatch(
        rf"jobs/{letters_job.pk}/[\w-]{{22}}/.+ letters\.zip", letters_job.result.name
    )
    assert len(set(_contact_numbers(letters_job))) == 5
    # The chunks' files are gone, with their random folders.
    assert default_storage.listdir(f"jobs/{letters_job.pk}/chunks") == ([], [])


def test_the_reaper_resumes_the_chunk_of_a_lost_worker(letters_job):
    chunk = letters_job.chunks.get(index=1)
    lost = _lose_worker(chunk)

    assert reap_lost_work() == 1

    lost.refresh_from_db()
    assert lost.status == TaskResultStatus.FAILED
    assert lost.exception_class_path == "core.jobs.workers.WorkerLost"
    chunk.refresh_from_db()
    assert (chunk.state, chunk.attempts) == ("queued", 1)
    assert chunk.task_id != lost.pk
    _run_workers()
    letters_job.refresh_from_db()
    assert letters_job.state == "done"
    assert len(set(_contact_numbers(letters_job))) == 5


def test_a_live_workers_chunk_is_left_alone(letters_job, settings):
    chunk = letters_job.chunks.get(index=1)
    _lose_worker(chunk)
    settings.JOB_HEARTBEAT_DIR.mkdir(parents=True)
    (settings.JOB_HEARTBEAT_DIR / "killed-worker.alive").touch()

    assert reap_lost_work() == 0
    assert JobChunk.objects.get(pk=chunk.pk).state == "running"


def test_after_max_attempts_the_job_fails_and_retry_makes_it(
    letters_job, settings, client
):
    settings.JOB_MAX_ATTEMPTS = 1
    _lose_worker(letters_job.chunks.get(index=0))

    reap_lost_work()

    letters_job.refresh_from_db()
    assert letters_job.state == "failed"
    assert "interrupted 1 times" in letters_job.error
    client.force_login(letters_job.owner)
    page = client.get(letters_job.get_absolute_url()).content.decode()
    assert letters_job.error in page
    assert reverse("core:job_retry", args=[letters_job.pk]) in page

    response = client.post(reverse("core:job_retry", args=[letters_job.pk]))

    assert response.url == letters_job.get_absolute_url()
    letters_job.refresh_from_db()
    assert (letters_job.state, letters_job.error) == ("queued", "")
    _run_workers()
    letters_job.refresh_from_db()
    assert letters_job.state == "done"
    assert len(set(_contact_numbers(letters_job))) == 5


def test_a_chunk_task_delivered_twice_runs_once(letters_job):
    chunk = letters_job.chunks.get(index=0)
    _run_workers()
    chunk.refresh_from_db()
    task = DBTaskResult.objects.get(pk=chunk.task_id)
    # The same task delivered again: nothing runs, nothing changes.
    run_job_chunk.call(TaskContext(task_result=task.task_result), letters_job.pk, 0)

    letters_job.refresh_from_db()
    assert letters_job.done == 5
    assert _contact_numbers(letters_job) == sorted(set(_contact_numbers(letters_job)))


def test_only_a_failed_job_can_be_retried(letters_job, client):
    client.force_login(letters_job.owner)

    response = client.post(
        reverse("core:job_retry", args=[letters_job.pk]), follow=True
    )

    assert "Only a failed job can be tried again." in response.content.decode()
    assert DBTaskResult.objects.count() == 3


def test_the_job_runs_in_the_language_of_who_started_it(
    transactional_db, marketing_user
):
    segment = segment_with_letters(1)
    segment.template.documents.all().delete()
    with translation.override("sv"):
        job = start_letters_job(user=marketing_user, format="zip", segment=segment)

    _run_workers()

    job.refresh_from_db()
    assert job.language == "sv"
    [(_number, reason)] = job.details["failures"]
    assert reason == "Det finns inget Word-dokument för det här brevet."


def test_a_job_page_is_its_owners(letters_job, client, transactional_db):
    url = letters_job.get_absolute_url()
    client.force_login(UserFactory(username="mia", groups=["Marketing"]))
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("core:job_status", args=[letters_job.pk])).status_code == 404
    )
    assert (
        client.post(reverse("core:job_retry", args=[letters_job.pk])).status_code == 404
    )

    client.force_login(UserFactory(username="root", is_superuser=True))
    assert client.get(url).status_code == 200


def test_my_jobs_lists_the_users_jobs_one_click_away(
    letters_job, client, django_assert_num_queries
):
    other = start_letters_job(
        user=UserFactory(username="mia"),
        format="zip",
        segment=segment_with_letters(1),
    )
    client.force_login(letters_job.owner)

    home = client.get(reverse("segmentation:segment_list")).content.decode()
    assert f'href="{reverse("core:job_list")}"' in home
    with django_assert_num_queries(5):
        page = client.get(reverse("core:job_list")).content.decode()

    assert letters_job.title in page
    assert other.get_absolute_url() not in page


def test_the_status_follows_the_chunks(letters_job, client):
    client.force_login(letters_job.owner)
    url = reverse("core:job_status", args=[letters_job.pk])
    assert client.get(url).json()["finished"] is False

    _run_workers()

    status = client.get(url).json()
    assert (status["state"], status["done"], status["total"]) == ("done", 5, 5)
    download = client.get(reverse("core:job_download", args=[letters_job.pk]))
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        assert {entry.compress_type for entry in archive.infolist()} == {
            zipfile.ZIP_STORED
        }


def test_a_job_page_shows_progress_with_text_in_constant_queries(
    letters_job, client, django_assert_num_queries
):
    client.force_login(letters_job.owner)

    with django_assert_num_queries(5):
        page = client.get(letters_job.get_absolute_url()).content.decode()

    assert 'id="job-progress"' in page
    assert '<span id="job-done">0</span> / 5' in page
    assert "This page updates itself" in page


def _count_to_total(job, output, progress):
    """A one-task kind: counts in one transaction, reporting its phases."""
    progress(0, phase="Checking")
    with transaction.atomic():
        for number in range(1, job.total + 1):
            progress(number, phase="Counting")
    output.write(b"counted")
    return Output(file_name="count.txt", done=job.total, details={})


register_job_kind(JobKind(name="count (tests)", run=_count_to_total))


def test_a_one_task_job_runs_its_kinds_handler(transactional_db, marketing_user):
    job = start_job(
        kind="count (tests)",
        owner=marketing_user,
        title="Count",
        parameters={},
        total=3,
        language="en",
    )
    assert not job.chunks.exists()

    _run_workers()

    job.refresh_from_db()
    assert (job.state, job.done, job.phase, job.attempts) == ("done", 3, "", 1)
    with job.result.open("rb") as file:
        assert file.read() == b"counted"


def _count_job(user, key="thing:1"):
    return start_job(
        kind="count (tests)",
        owner=user,
        title="Count",
        parameters={},
        total=1,
        language="en",
        key=key,
    )


def test_one_unfinished_job_at_a_time_works_on_a_key(transactional_db, marketing_user):
    first = _count_job(marketing_user)

    with pytest.raises(JobAlreadyRunning) as running:
        _count_job(marketing_user)

    assert running.value.job == first
    assert _count_job(marketing_user, key="thing:2").state == "queued"
    assert Job.objects.count() == 2
    _run_workers()
    assert _count_job(marketing_user).pk != first.pk


def test_a_failed_job_is_not_retried_while_another_works_on_its_key(
    transactional_db, marketing_user
):
    failed = _count_job(marketing_user)
    Job.objects.filter(pk=failed.pk).update(state="failed")
    _count_job(marketing_user)

    with pytest.raises(ValidationError, match="Another job is working"):
        retry_job(failed, user=marketing_user)

    assert Job.objects.get(pk=failed.pk).state == "failed"
