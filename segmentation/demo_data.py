"""Demo segments built with the same services the pages use.

Called by `load_demo_data` after the contacts' and interactions' demo data.
"""

from django.db import transaction

from contacts.numbering import take_numbers
from interactions.models import Campaign, InteractionTemplate
from segmentation.models import Segment
from segmentation.services import (
    add_contacts,
    log_segment,
    reduce_contacts,
    save_criteria,
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
    with transaction.atomic():
        for description, template, campaign, steps in SEGMENTS:
            segment = Segment(
                number=take_numbers("segment")[0],
                description=description,
                template=InteractionTemplate.objects.get(code=template),
            )
            for name, value in Segment.template_defaults(segment.template).items():
                setattr(segment, name, value)
            segment.campaign = Campaign.objects.filter(code=campaign).first()
            segment.save()
            for service, criteria, options in steps:
                service(segment, criteria=criteria, user=None, **options)
            created.append(segment)
        invitation = created[0]
        line = invitation.lines.order_by("pk").first()
        line.personal_comment = "Looking forward to seeing you again at our stand!"
        line.save(update_fields=["personal_comment"])
        save_criteria(
            invitation,
            code=f"EVENTS-{invitation.number}",
            description="Persons on the event mailing list",
            user=None,
        )
        for segment in created[-LOGGED:]:
            log_segment(segment, user=None, create_follow_up=True)
    stdout.write(f"Created {len(SEGMENTS)} demo segments and logged {LOGGED} of them.")
