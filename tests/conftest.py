import os

import factory.random
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from core.office import UnoServer
from tests.factories import FAKE_DATA_SEED, UserFactory
from tests.smtp import SmtpServer

# Property tests (Hypothesis) try a bounded number of inputs on every run and
# database, with no deadline (a page on a busy CI machine is slow, not wrong).
# Their tests take function-scoped fixtures (the database, a logged-in client) on
# purpose: every example only reads, so one setup serves them all.
hypothesis_settings.register_profile(
    "segmenta",
    max_examples=40,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# `HYPOTHESIS_PROFILE=thorough` searches longer, and differently on every run.
hypothesis_settings.register_profile(
    "thorough",
    parent=hypothesis_settings.get_profile("segmenta"),
    max_examples=500,
    derandomize=False,
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "segmenta"))


@pytest.fixture(autouse=True)
def _same_fake_data_every_run():
    # Factories draw names and addresses from Faker: the same values in every
    # run and whatever ran before, so a failure can be repeated.
    factory.random.reseed_random(FAKE_DATA_SEED)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix, tmp_path_factory
):
    """On SQLite the test database is a file: worker processes the tests start
    (manage.py run_worker) must reach the same database."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tmp_path_factory.mktemp("database")
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_unless_asked(settings):
    # A request in another language leaves that language active in the thread.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _temporary_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JOB_HEARTBEAT_DIR = tmp_path / "workers"


@pytest.fixture(autouse=True)
def _no_unoserver_per_worker(settings):
    # A test that converts to PDF says which unoserver (UNOSERVER_PORT); workers
    # run in the test process (run_jobs) must not start LibreOffice each time.
    settings.WORKER_UNOSERVER = False


@pytest.fixture
def run_jobs(transactional_db):
    """Run every queued job here and now, as a worker (`run_worker --batch`) does.

    The worker closes connections it finds inside a transaction, so the test commits.
    """
    return lambda: call_command(
        "run_worker", batch=True, startup_delay=False, verbosity=0
    )


@pytest.fixture
def marketing_user(db):
    """Marta works in marketing: contacts, segments, interactions."""
    return UserFactory(username="marta", groups=["Marketing"])


@pytest.fixture
def marketing_admin(db):
    """Adam is a marketing admin: also templates and reference data in Django admin."""
    return UserFactory(username="adam", is_staff=True, groups=["Marketing admin"])


@pytest.fixture
def outsider(db):
    """Olga has a login but belongs to no group, so she may see nothing."""
    return UserFactory(username="olga")


@pytest.fixture
def marketing_client(client, marketing_user):
    client.force_login(marketing_user)
    return client


@pytest.fixture
def admin_client_for_marketing(client, marketing_admin):
    client.force_login(marketing_admin)
    return client


@pytest.fixture
def outsider_client(client, outsider):
    client.force_login(outsider)
    return client


@pytest.fixture(scope="session")
def unoserver():
    """One warm LibreOffice (unoserver) for every test that converts to PDF."""
    with UnoServer() as server:
        yield server


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server the app sends to, with retries that do not wait."""
    server = SmtpServer()
    server.start()
    settings.MAILERS = server.mailer()
    settings.EMAIL_RETRY_DELAYS = [0, 0]
    settings.DEFAULT_FROM_EMAIL = "Segmenta <news@segmenta.example>"
    settings.SITE_URL = "https://segmenta.example"
    yield server
    server.stop()
