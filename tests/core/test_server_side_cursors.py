"""Behind PgBouncer (transaction pooling) QuerySet.iterator() must not open server-side cursors."""

import pytest
from django.db import connection

from contacts.models import Contact
from tests.factories import ContactFactory
from tests.test_settings import _manage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("environment", "disabled"),
    [({"DISABLE_SERVER_SIDE_CURSORS": "true"}, "True"), ({}, "False")],
)
def test_the_setting_turns_server_side_cursors_off_and_they_stay_on_by_default(
    environment, disabled
):
    result = _manage(
        "shell",
        "-c",
        "from django.db import connection; "
        "print(connection.settings_dict['DISABLE_SERVER_SIDE_CURSORS'])",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/unused",
        **environment,
    )

    assert result.stdout.splitlines()[-1] == disabled, result.stderr


def _open_cursors_while_iterating() -> int:
    rows = Contact.objects.order_by("pk").iterator(chunk_size=1)
    next(rows)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_cursors")
        count = cursor.fetchone()[0]
    rows.close()
    return count


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="server-side cursors are PostgreSQL's"
)
@pytest.mark.parametrize("disabled, cursors", [(False, 1), (True, 0)])
def test_iterating_opens_a_server_side_cursor_only_when_allowed(
    disabled, cursors, monkeypatch
):
    ContactFactory.create_batch(3)
    monkeypatch.setitem(
        connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", disabled
    )

    assert _open_cursors_while_iterating() == cursors
