from django.contrib.auth.management import create_permissions
from django.db import migrations

MARKETING = "Marketing"
MARKETING_ADMIN = "Marketing admin"

# Marketing staff work with contacts and read the reference data.
MARKETING_PERMISSIONS = [
    "add_contact",
    "change_contact",
    "delete_contact",
    "view_contact",
    "add_contactimport",
    "view_contactimport",
    "view_salesperson",
    "view_territory",
    "view_industrygroup",
    "view_mailinggroup",
    "view_businessrelation",
    "view_jobresponsibility",
]
REFERENCE_MODELS = [
    "salesperson",
    "territory",
    "industrygroup",
    "mailinggroup",
    "businessrelation",
    "jobresponsibility",
]
# Marketing admins also maintain the reference data in Django admin.
MARKETING_ADMIN_PERMISSIONS = MARKETING_PERMISSIONS + [
    f"{action}_{model}"
    for model in REFERENCE_MODELS
    for action in ("add", "change", "delete")
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make them now so
    # the groups can be given them. create_permissions() skips app configs
    # without a models module, which the migration state's stubs never have.
    app_config = apps.get_app_config("contacts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in [
        (MARKETING, MARKETING_PERMISSIONS),
        (MARKETING_ADMIN, MARKETING_ADMIN_PERMISSIONS),
    ]:
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="contacts", codename__in=codenames
            )
        )


def create_contact_number_series(apps, schema_editor):
    NumberSeries = apps.get_model("contacts", "NumberSeries")
    NumberSeries.objects.get_or_create(
        code="contact", defaults={"prefix": "CT", "width": 6}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("contacts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_groups, migrations.RunPython.noop),
        migrations.RunPython(create_contact_number_series, migrations.RunPython.noop),
    ]
