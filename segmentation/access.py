"""Who may do what: the Marketing and Marketing admin groups and their permissions.

The groups name permissions of every app, so they live in the top layer. A
post_migrate handler (connected in SegmentationConfig.ready) makes them after
every migrate, and again after a test flush: each group ends up with exactly
the permissions listed here, whatever was added or removed by hand.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

MARKETING = "Marketing"
MARKETING_ADMIN = "Marketing admin"
ALL_ACTIONS = ("view", "add", "change", "delete")
REFERENCE_DATA = [
    "salesperson",
    "territory",
    "industrygroup",
    "mailinggroup",
    "businessrelation",
    "jobresponsibility",
]


def _permissions(app_label: str, models: list[str], actions=ALL_ACTIONS) -> list[str]:
    return [f"{app_label}.{action}_{model}" for model in models for action in actions]


MARKETING_PERMISSIONS = [
    # Contacts and their imports; the reference data only to read.
    *_permissions("contacts", ["contact"]),
    "contacts.add_contactimport",
    "contacts.view_contactimport",
    *_permissions("contacts", REFERENCE_DATA, ["view"]),
    # The interaction log, the logged segments and the Word documents letters use.
    *_permissions("interactions", ["interactionlogentry"], ["view", "add", "change"]),
    *_permissions("interactions", ["loggedsegment"], ["view", "change"]),
    "interactions.view_worddocument",
    # Campaigns: their pages, and making or editing one there.
    *_permissions("interactions", ["campaign"], ["view", "add", "change"]),
    # Segments, and saved criteria to reuse.
    *_permissions("segmentation", ["segment", "savedcriteria"]),
]
MARKETING_ADMIN_PERMISSIONS = [
    *MARKETING_PERMISSIONS,
    # Everyone's contact imports (their rows and files), not only their own.
    "contacts.view_every_contactimport",
    # In Django admin: the reference data, templates, campaigns and our company.
    *_permissions("contacts", REFERENCE_DATA, ["add", "change", "delete"]),
    # Delete Cancelled Segments: archives go for good, so only the admins.
    "interactions.delete_loggedsegment",
    *_permissions(
        "interactions",
        [
            "interactiongroup",
            "interactiontemplate",
            "templatedocument",
            "templateemail",
            "campaign",
            "companyinformation",
        ],
    ),
]
GROUPS = {
    MARKETING: MARKETING_PERMISSIONS,
    MARKETING_ADMIN: MARKETING_ADMIN_PERMISSIONS,
}


def create_groups(
    sender=None, *, using: str = DEFAULT_DB_ALIAS, apps=global_apps, **kwargs
) -> None:
    """post_migrate: make or correct both groups, each with exactly its permissions.

    Runs after Django has made the permissions of every app (this app is
    migrated last), so every listed permission exists.
    """
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:  # auth is not migrated (yet)
        return
    existing = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for name, permissions in GROUPS.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(
            [
                existing[permission]
                for permission in permissions
                if permission in existing
            ]
        )
