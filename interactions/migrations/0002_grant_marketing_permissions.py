from django.contrib.auth.management import create_permissions
from django.db import migrations

# Marketing staff read and write the interaction log and the logged segments,
# and download the Word documents their letters use.
MARKETING_PERMISSIONS = [
    "view_interactionlogentry",
    "add_interactionlogentry",
    "change_interactionlogentry",
    "view_loggedsegment",
    "change_loggedsegment",
    "view_worddocument",
]
# Marketing admins also maintain groups, templates, their documents and campaigns
# in Django admin.
MARKETING_ADMIN_PERMISSIONS = MARKETING_PERMISSIONS + [
    f"{action}_{model}"
    for model in ("interactiongroup", "interactiontemplate", "templatedocument", "campaign")
    for action in ("view", "add", "change", "delete")
]


def grant_permissions(apps, schema_editor):
    # As in contacts 0002: permissions are normally created after all migrations.
    app_config = apps.get_app_config("interactions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in [
        ("Marketing", MARKETING_PERMISSIONS),
        ("Marketing admin", MARKETING_ADMIN_PERMISSIONS),
    ]:
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="interactions", codename__in=codenames
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0002_create_marketing_groups"),
        ("interactions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
    ]
