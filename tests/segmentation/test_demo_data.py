import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from interactions.models import LoggedSegment, WordDocument
from segmentation.models import CriteriaStep, SavedCriteria, Segment

pytestmark = pytest.mark.django_db


def test_demo_data_has_segments_built_by_steps_and_saved_criteria():
    call_command("load_demo_data", verbosity=0)

    invitation = Segment.objects.get(description="Spring product event invitation")
    assert invitation.template.code == "INVIT"
    assert invitation.campaign.code == "SPRING26"
    assert list(invitation.steps.values_list("action", flat=True)) == ["add", "reduce"]
    assert invitation.lines.exists()
    assert not invitation.lines.filter(contact__type="company").exists()
    assert not invitation.lines.filter(contact__privacy_blocked=True).exists()
    assert invitation.lines.exclude(personal_comment="").count() == 1
    assert SavedCriteria.objects.get().steps.count() == 2


def test_demo_data_has_a_logged_segment_with_its_follow_up():
    call_command("load_demo_data", verbosity=0)

    logged = LoggedSegment.objects.get(description="Autumn customer days")
    assert logged.entry_count == logged.entries.count() > 0
    assert logged.campaign.code == "AUTUMN26"
    follow_up = Segment.objects.get(
        description=f"Follow-up on segment {logged.segment_number}"
    )
    assert follow_up.lines.exists()


def test_demo_data_is_by_the_demo_user_who_cannot_log_in_without_demo_login():
    call_command("load_demo_data", verbosity=0)

    demo = get_user_model().objects.get(username="demo")
    assert not demo.has_usable_password()
    logged = LoggedSegment.objects.get(description="Autumn customer days")
    assert logged.created_by == demo
    assert set(logged.entries.values_list("created_by", flat=True)) == {demo.pk}
    assert not Segment.objects.exclude(created_by=demo).exists()
    assert not CriteriaStep.objects.exclude(created_by=demo).exists()
    assert not SavedCriteria.objects.exclude(created_by=demo).exists()
    assert not WordDocument.objects.exclude(uploaded_by=demo).exists()
