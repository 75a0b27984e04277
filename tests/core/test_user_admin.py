"""A user who has done something is deactivated, not deleted: history keeps the name."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.urls import reverse

from contacts.models import ContactImport
from core.models import Job
from segmentation.models import SavedCriteria
from tests.factories import (
    InteractionLogEntryFactory,
    LoggedSegmentFactory,
    SalespersonFactory,
    SegmentFactory,
    UserFactory,
    WordDocumentFactory,
)

pytestmark = pytest.mark.django_db

User = get_user_model()

HISTORY = {
    "segment": lambda user: SegmentFactory(created_by=user),
    "saved criteria": lambda user: SavedCriteria.objects.create(
        code="NEWS", created_by=user
    ),
    "logged segment": lambda user: LoggedSegmentFactory(created_by=user),
    "printed logged segment": lambda user: LoggedSegmentFactory(printed_by=user),
    "interaction log entry": lambda user: InteractionLogEntryFactory(created_by=user),
    "Word document": lambda user: WordDocumentFactory(uploaded_by=user),
    "contact import": lambda user: ContactImport.objects.create(
        file=SimpleUploadedFile("x.csv", b"name\nX\n"),
        original_name="x.csv",
        uploaded_by=user,
    ),
    "job": lambda user: Job.objects.create(
        owner=user, kind="letters", title="Letters", language="en"
    ),
}


@pytest.fixture
def marta_with_history(marketing_user):
    HISTORY["interaction log entry"](marketing_user)
    HISTORY["segment"](marketing_user)
    return marketing_user


def _delete_url(user) -> str:
    return reverse("admin:auth_user_delete", args=[user.pk])


@pytest.mark.parametrize("kind", HISTORY)
def test_a_user_with_history_cannot_be_deleted_at_all(marketing_user, kind):
    HISTORY[kind](marketing_user)

    with pytest.raises(ProtectedError):
        marketing_user.delete()

    assert User.objects.filter(pk=marketing_user.pk).exists()


def test_the_admin_refuses_and_suggests_deactivating(admin_client, marta_with_history):
    page = admin_client.get(_delete_url(marta_with_history)).content.decode()
    response = admin_client.post(_delete_url(marta_with_history), {"post": "yes"})

    assert "Cannot delete user" in page
    assert "Deactivate the user instead" in page
    assert "interaction log entries: 1" in page
    assert "segments: 1" in page
    assert response.status_code == 200
    assert User.objects.filter(pk=marta_with_history.pk).exists()


def test_delete_selected_refuses_users_with_history(admin_client, marta_with_history):
    newcomer = UserFactory(username="nils")

    response = admin_client.post(
        reverse("admin:auth_user_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [marta_with_history.pk, newcomer.pk],
            "post": "yes",
        },
    )

    assert "Deactivate the user instead" in response.content.decode()
    assert User.objects.filter(pk__in=[marta_with_history.pk, newcomer.pk]).count() == 2


def test_a_user_with_history_can_be_deactivated(admin_client, marta_with_history, rf):
    login = rf.post("/accounts/login/")
    assert authenticate(login, username="marta", password="secret-password")

    response = admin_client.post(
        reverse("admin:auth_user_change", args=[marta_with_history.pk]),
        {
            "username": marta_with_history.username,
            "email": marta_with_history.email,
            "groups": [Group.objects.get(name="Marketing").pk],
            "date_joined_0": "2026-01-05",
            "date_joined_1": "09:00:00",
        },
    )

    assert response.status_code == 302
    marta_with_history.refresh_from_db()
    assert not marta_with_history.is_active
    assert authenticate(login, username="marta", password="secret-password") is None


def test_a_user_without_history_can_be_deleted(admin_client):
    newcomer = UserFactory(username="nils", groups=["Marketing"])
    salesperson = SalespersonFactory(user=newcomer)

    response = admin_client.post(_delete_url(newcomer), {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=newcomer.pk).exists()
    salesperson.refresh_from_db()
    assert salesperson.user is None
