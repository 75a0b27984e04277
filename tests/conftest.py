import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import serializers
from django.utils import translation

from contacts.models import NumberSeries
from tests.factories import UserFactory


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


@pytest.fixture(scope="session")
def _migration_data(django_db_setup, django_db_blocker) -> str:
    """The rows our data migrations made: the groups with their permissions, the
    number series. Read when the first committing test starts, before any flush."""
    with django_db_blocker.unblock():
        return serializers.serialize(
            "json",
            [*Group.objects.all(), *NumberSeries.objects.all()],
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )


@pytest.fixture
def migration_data(transactional_db, _migration_data):
    """For tests that commit: our migrations' rows, back after an earlier test's flush.

    Django's serialized_rollback would do this, but it keeps the data on the
    thread's connection object, which Playwright's event loop swaps for another.
    """
    if not NumberSeries.objects.exists():
        for row in serializers.deserialize("json", _migration_data):
            row.save()


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
