"""Demo segments built with the same services the pages use.

Called by `load_demo_data` after the contacts' and interactions' demo data.
"""

from interactions.models import Campaign, InteractionTemplate
from segmentation.models import Segment
from segmentation.services import (
    add_contacts,
    log_segment,
    reduce_contacts,
    save_criteria,
    save_segment,
    update_line,
)

SEGMENTS = [
    # description, template, campaign, steps: (service, criteria, options)
    (
        "Spring product event invitation",
        "INVIT",
        "SPRING26",
        [
            (add_contacts, {"mailing_group": ["EVENTS"]}, {}),
            (reduce_contacts, {"type": ["company"]}, {}),
        ],
    ),
    (
        "Newsletter subscribers",
        "NEWS",
        None,
        [(add_contacts, {"mailing_group": ["NEWSLETTER"]}, {})],
    ),
    (
        "Autumn customer days",
        "BUS",
        "AUTUMN26",
        [(add_contacts, {"mailing_group": ["XMAS-CARD"]}, {})],
    ),
]
# The last demo segment is logged, with a follow-up, so the archive has history.
LOGGED = 1


def load(*, contacts: int | None, seed: int, stdout) -> None:
    """Two demo segments and saved criteria, unless generating bulk contacts."""
    if contacts:
        return
    created = []
    for description, code, campaign, steps in SEGMENTS:
        template = InteractionTemplate.objects.get(code=code)
        segment = save_segment(
            Segment(),
            fields={
                **template.interaction_defaults(),
                "description": description,
                "template": template,
                "campaign": Campaign.objects.filter(code=campaign).first(),
            },
            upload=None,
            user=None,
        )
        for service, criteria, options in steps:
            service(segment, criteria=criteria, user=None, **options)
        created.append(segment)
    invitation = created[0]
    update_line(
        invitation.lines.order_by("pk").first(),
        fields={
            "personal_comment": "Looking forward to seeing you again at our stand!"
        },
        user=None,
    )
    save_criteria(
        invitation,
        code=f"EVENTS-{invitation.number}",
        description="Persons on the event mailing list",
        user=None,
    )
    for segment in created[-LOGGED:]:
        log_segment(segment, user=None, create_follow_up=True)
    stdout.write(f"Created {len(SEGMENTS)} demo segments and logged {LOGGED} of them.")
