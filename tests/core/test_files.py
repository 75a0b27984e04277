"""Stored files: unguessable names, sent only by views that check who asks."""

import importlib
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import clear_url_caches, reverse

import config.urls
from core.models import Job, job_file_path
from interactions.services import store_word_document
from tests.factories import UserFactory, demo_letter

pytestmark = pytest.mark.django_db

TOKEN = r"[A-Za-z0-9_-]{22}"
ZIP_BYTES = b"PK\x05\x06" + b"\0" * 18


@pytest.fixture
def finished_job(marketing_user):
    """Marta's letters job, done, with its zip stored as the worker stores it."""
    job = Job.objects.create(
        owner=marketing_user,
        kind="letters",
        title="Letters for SM00001",
        language="en",
        state=Job.State.DONE,
    )
    job.result = default_storage.save(
        job_file_path(job, "SM00001 letters.zip"), ContentFile(ZIP_BYTES)
    )
    job.save()
    return job


@pytest.fixture
def debug_urls(settings):
    """The URLs as `make run` has them: built with DEBUG on."""
    settings.DEBUG = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


def test_stored_files_are_in_a_random_folder_each(marketing_user, finished_job):
    first = store_word_document(
        demo_letter(), file_name="letter.docx", user=marketing_user
    )
    second = store_word_document(
        demo_letter(), file_name="letter.docx", user=marketing_user
    )

    assert re.fullmatch(rf"word-documents/{TOKEN}/letter\.docx", first.file.name)
    assert first.file.name.split("/")[1] != second.file.name.split("/")[1]
    assert re.fullmatch(
        rf"jobs/{finished_job.pk}/{TOKEN}/SM00001 letters\.zip",
        finished_job.result.name,
    )
    assert finished_job.result_name == "SM00001 letters.zip"


def test_media_is_not_served_even_with_debug_on(
    debug_urls, marketing_client, marketing_user, finished_job
):
    document = store_word_document(
        demo_letter(), file_name="letter.docx", user=marketing_user
    )

    for name in [document.file.name, finished_job.result.name]:
        assert marketing_client.get(f"/media/{name}").status_code == 404


def test_a_jobs_file_is_only_its_owners(client, finished_job, outsider):
    url = reverse("core:job_download", args=[finished_job.pk])
    client.force_login(UserFactory(username="mia", groups=["Marketing"]))
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404

    client.force_login(finished_job.owner)
    response = client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == ZIP_BYTES
    assert 'filename="SM00001 letters.zip"' in response["Content-Disposition"]
    client.force_login(UserFactory(username="root", is_superuser=True))
    assert client.get(url).status_code == 200


def test_a_word_document_needs_the_permission(
    client, marketing_user, outsider, finished_job
):
    document = store_word_document(
        demo_letter(), file_name="letter.docx", user=marketing_user
    )
    url = document.get_absolute_url()
    client.force_login(outsider)
    assert client.get(url).status_code == 403

    client.force_login(marketing_user)

    assert client.get(url).status_code == 200


def test_nginx_sends_the_file_when_sendfile_is_on(
    settings, marketing_client, finished_job
):
    settings.SENDFILE_HEADER = "X-Accel-Redirect"
    settings.SENDFILE_URL_PREFIX = "/protected-files/"

    response = marketing_client.get(
        reverse("core:job_download", args=[finished_job.pk])
    )

    assert response.status_code == 200
    assert response.content == b""
    folder = finished_job.result.name.rsplit("/", 1)[0]
    assert response["X-Accel-Redirect"] == (
        f"/protected-files/{folder}/SM00001%20letters.zip"
    )
    assert response["Content-Type"] == "application/zip"
    assert 'filename="SM00001 letters.zip"' in response["Content-Disposition"]


def test_apache_gets_the_files_path_when_sendfile_is_on(
    settings, marketing_client, finished_job
):
    settings.SENDFILE_HEADER = "X-Sendfile"

    response = marketing_client.get(
        reverse("core:job_download", args=[finished_job.pk])
    )

    assert response.content == b""
    assert response["X-Sendfile"] == str(settings.MEDIA_ROOT / finished_job.result.name)


def test_a_file_gone_from_storage_is_not_found(marketing_client, finished_job):
    default_storage.delete(finished_job.result.name)

    response = marketing_client.get(
        reverse("core:job_download", args=[finished_job.pk])
    )

    assert response.status_code == 404


def test_the_job_admin_links_the_checked_download(admin_client, finished_job):
    page = admin_client.get(
        reverse("admin:core_job_change", args=[finished_job.pk])
    ).content.decode()

    assert reverse("core:job_download", args=[finished_job.pk]) in page
    assert "/media/" not in page
