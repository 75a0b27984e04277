from django.contrib.auth.management import create_permissions
from django.db import migrations

# Marketing admins write the e-mail texts of templates, as they do their documents.
CODENAMES = [
    f"{action}_templateemail" for action in ("view", "add", "change", "delete")
]


def grant_permissions(apps, schema_editor):
    # As in 0002: permissions are normally created after all migrations.
    app_config = apps.get_app_config("interactions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Marketing admin")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="interactions", codename__in=CODENAMES
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("interactions", "0004_delivery_status_and_template_emails"),
    ]

    operations = [
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
    ]
