from django.contrib.auth.management import create_permissions
from django.db import migrations

# Marketing staff build, edit, log and delete segments and keep saved criteria.
PERMISSIONS = [
    f"{action}_{model}"
    for model in ("segment", "savedcriteria")
    for action in ("view", "add", "change", "delete")
]


def create_segment_number_series(apps, schema_editor):
    NumberSeries = apps.get_model("contacts", "NumberSeries")
    NumberSeries.objects.get_or_create(
        code="segment", defaults={"prefix": "SM", "width": 5}
    )


def grant_permissions(apps, schema_editor):
    # As in contacts 0002: permissions are normally created after all migrations.
    app_config = apps.get_app_config("segmentation")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name in ("Marketing", "Marketing admin"):
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="segmentation", codename__in=PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0002_create_marketing_groups"),
        ("segmentation", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_segment_number_series, migrations.RunPython.noop),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
    ]
