"""The Marketing groups and the number series, made after every migrate (post_migrate)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from contacts.models import NumberSeries
from segmentation.access import (
    GROUPS,
    MARKETING,
    MARKETING_ADMIN,
    create_groups,
)

pytestmark = pytest.mark.django_db


def _groups():
    return {
        group.name: sorted(
            f"{permission.content_type.app_label}.{permission.codename}"
            for permission in group.permissions.select_related("content_type")
        )
        for group in Group.objects.all()
    }


def test_both_groups_have_exactly_every_listed_permission():
    assert _groups() == {name: sorted(set(codes)) for name, codes in GROUPS.items()}


def test_running_the_handler_twice_changes_nothing():
    before = _groups()
    group_ids = sorted(Group.objects.values_list("pk", flat=True))

    create_groups()
    create_groups()

    assert _groups() == before
    assert sorted(Group.objects.values_list("pk", flat=True)) == group_ids


def test_migrate_gives_back_a_removed_permission_and_takes_an_extra_one(
    marketing_user,
):
    marketing = Group.objects.get(name=MARKETING)
    marketing.permissions.remove(
        Permission.objects.get(
            content_type__app_label="segmentation", codename="add_segment"
        )
    )
    marketing.permissions.add(Permission.objects.get(codename="delete_campaign"))
    Group.objects.get(name=MARKETING_ADMIN).delete()

    call_command("migrate", verbosity=0)

    assert _groups() == {name: sorted(set(codes)) for name, codes in GROUPS.items()}
    marketing_user = type(marketing_user).objects.get(pk=marketing_user.pk)
    assert marketing_user.has_perm("segmentation.add_segment")
    assert not marketing_user.has_perm("interactions.delete_campaign")


def test_migrate_makes_missing_number_series_and_keeps_counters():
    NumberSeries.objects.filter(code="contact").update(last_number=41)
    NumberSeries.objects.filter(code="segment").delete()

    call_command("migrate", verbosity=0)

    series = {
        s.code: (s.prefix, s.width, s.last_number) for s in NumberSeries.objects.all()
    }
    assert series == {"contact": ("CT", 6, 41), "segment": ("SM", 5, 0)}
