"""Demo interaction groups, templates with Word letters in four languages, and history.

Called by `load_demo_data` after the contacts' demo data.
"""

import datetime
import random
from collections.abc import Iterator
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from contacts.bulk import db_timestamp, insert_rows
from contacts.models import Contact, Salesperson
from core.users import User
from interactions.demo_letters import build_demo_letter
from interactions.models import (
    AttachmentFormat,
    Campaign,
    CompanyInformation,
    Evaluation,
    InformationFlow,
    InitiatedBy,
    InteractionGroup,
    InteractionLogEntry,
    InteractionTemplate,
    TemplateDocument,
    TemplateEmail,
)
from interactions.services import store_word_document

LETTER_LANGUAGES = ["en", "sv", "fr", "cs"]
GROUPS = [
    ("LETTER", "Letters"),
    ("EMAIL", "E-mails"),
    ("MEETING", "Meetings"),
    ("PHONE", "Phone calls"),
]
CAMPAIGNS = [
    ("SPRING26", "Spring product event 2026", (3, 1), (5, 31)),
    ("AUTUMN26", "Autumn customer days 2026", (9, 1), (11, 30)),
]
# code, group, description, cost, minutes, flow, initiated by, type, ignore contact, letter
TEMPLATES = [
    (
        "BUS",
        "LETTER",
        "Business letter",
        "1.20",
        5,
        "outbound",
        "us",
        "hard_copy",
        False,
        True,
    ),
    (
        "INVIT",
        "LETTER",
        "Event invitation",
        "1.50",
        5,
        "outbound",
        "us",
        "hard_copy",
        False,
        True,
    ),
    (
        "NEWS",
        "EMAIL",
        "Newsletter e-mail",
        "0.05",
        1,
        "outbound",
        "us",
        "email",
        True,
        True,
    ),
    ("EMAIL", "EMAIL", "E-mail", "0", 10, "outbound", "us", "email", False, False),
    (
        "EMAILIN",
        "EMAIL",
        "E-mail received",
        "0",
        5,
        "inbound",
        "them",
        "email",
        True,
        False,
    ),
    (
        "MEETINV",
        "MEETING",
        "Meeting invitation",
        "0",
        15,
        "outbound",
        "us",
        "",
        False,
        False,
    ),
    ("MEETING", "MEETING", "Meeting", "40", 60, "", "us", "", False, False),
    ("OUTCALL", "PHONE", "Outgoing call", "2", 10, "outbound", "us", "", False, False),
    ("INCALL", "PHONE", "Incoming call", "0", 10, "inbound", "them", "", False, False),
]
SUBJECTS = {
    "BUS": "Our new price list",
    "INVIT": "Invitation to our spring product event",
    "NEWS": "Segmenta newsletter",
    "MEETINV": "Meeting about your order",
}
# The e-mail text of the e-mail templates, per language: {…} are merge fields.
EMAIL_TEXTS = {
    "en": "{Formal_Salutation}\n\n{Subject}: please find our letter attached.\n\n"
    "Kind regards\n{Salesperson_Name}\n{Company_Name}",
    "sv": "{Formal_Salutation}\n\n{Subject}: vårt brev finns som bilaga.\n\n"
    "Med vänliga hälsningar\n{Salesperson_Name}\n{Company_Name}",
    "fr": "{Formal_Salutation}\n\n{Subject} : veuillez trouver notre lettre ci-jointe.\n\n"
    "Cordialement\n{Salesperson_Name}\n{Company_Name}",
    "cs": "{Formal_Salutation}\n\n{Subject}: v příloze najdete náš dopis.\n\n"
    "S pozdravem\n{Salesperson_Name}\n{Company_Name}",
}
DEMO_ENTRIES = 3_000
HISTORY_DAYS = 730
ENTRY_COLUMNS = [
    "contact_id",
    "contact_company_id",
    "date",
    "time",
    "description",
    "subject",
    "template_id",
    "group_id",
    "language",
    "information_flow",
    "initiated_by",
    "correspondence_type",
    "cost",
    "duration",
    "salesperson_id",
    "campaign_id",
    "evaluation",
    "attempt_failed",
    "cancelled",
    "document_id",
    "document_is_personalised",
    "personal_comment",
    "segment_number",
    "created_at",
]


def load(*, contacts: int | None, seed: int, stdout, user: User) -> None:
    """Create the templates and their letters; with demo contacts, some history too."""
    templates = _create_templates(user=user)
    if contacts:
        return
    count = generate_log_entries(
        DEMO_ENTRIES, templates=templates, randomness=random.Random(seed)
    )
    stdout.write(
        f"Created {len(templates)} interaction templates and {count:,} interactions."
    )


@transaction.atomic
def _create_templates(*, user: User) -> list[InteractionTemplate]:
    CompanyInformation.objects.get_or_create(
        defaults={
            "name": "Segmenta Demo AB",
            "address": "Drottninggatan 12",
            "post_code": "111 51",
            "city": "Stockholm",
            "country": "SE",
            "phone": "+46 8 555 010 00",
            "email": "hello@segmenta.example",
            "website": "https://segmenta.example",
            "vat_registration_number": "SE556000000001",
        }
    )
    groups = {
        code: InteractionGroup.objects.get_or_create(
            code=code, defaults={"description": text}
        )[0]
        for code, text in GROUPS
    }
    year = timezone.localdate().year
    for code, text, start, end in CAMPAIGNS:
        Campaign.objects.get_or_create(
            code=code,
            defaults={
                "description": text,
                "starting_date": datetime.date(year, *start),
                "ending_date": datetime.date(year, *end),
            },
        )
    templates = []
    for code, group, text, cost, minutes, flow, by, kind, ignore, letter in TEMPLATES:
        template, created = InteractionTemplate.objects.get_or_create(
            code=code,
            defaults={
                "group": groups[group],
                "description": text,
                "unit_cost": Decimal(cost),
                "unit_duration": minutes,
                "information_flow": flow,
                "initiated_by": by,
                "correspondence_type": kind,
                "ignore_contact_correspondence_type": ignore,
                "default_language": "en" if letter else "",
                # The demo runs without LibreOffice: letters go as Word files.
                "attachment_format": AttachmentFormat.DOCX,
            },
        )
        if created and kind == "email" and flow == "outbound":
            TemplateEmail.objects.bulk_create(
                TemplateEmail(template=template, language=language, body_text=text)
                for language, text in EMAIL_TEXTS.items()
            )
        if created and letter:
            for language in LETTER_LANGUAGES:
                TemplateDocument.objects.create(
                    template=template,
                    language=language,
                    description=f"{text} ({language})",
                    document=store_word_document(
                        build_demo_letter(language),
                        file_name=f"{code.lower()}-{language}.docx",
                        user=user,
                    ),
                )
        templates.append(template)
    return templates


@transaction.atomic
def generate_log_entries(
    count: int,
    *,
    templates: list[InteractionTemplate],
    randomness: random.Random,
) -> int:
    """Insert `count` plausible interactions with random contacts, set-based."""
    contacts = list(
        Contact.objects.filter(privacy_blocked=False).values_list(
            "pk", "company_id", "type", "language", "correspondence_type"
        )
    )
    salesperson_ids = list(Salesperson.objects.values_list("pk", flat=True))
    documents = {
        (document.template_id, document.language): document.document_id
        for document in TemplateDocument.objects.all()
    }
    today = timezone.localdate()
    now = db_timestamp(timezone.now())
    evaluations = Evaluation.values

    def rows() -> Iterator[tuple]:
        for _ in range(count):
            contact_id, company_id, kind, language, preferred = randomness.choice(
                contacts
            )
            template = randomness.choice(templates)
            language = language if (template.pk, language) in documents else "en"
            letter_language = language if template.default_language else ""
            yield (
                contact_id,
                contact_id if kind == Contact.Type.COMPANY else company_id,
                (
                    today - datetime.timedelta(days=randomness.randrange(HISTORY_DAYS))
                ).isoformat(),
                f"{randomness.randint(8, 17):02d}:{randomness.choice((0, 30)):02d}:00",
                template.description,
                SUBJECTS.get(template.code, ""),
                template.pk,
                template.group_id,
                letter_language,
                template.information_flow or InformationFlow.BLANK,
                template.initiated_by or InitiatedBy.BLANK,
                template.correspondence_type
                if template.ignore_contact_correspondence_type or not preferred
                else preferred,
                template.unit_cost,
                template.unit_duration,
                randomness.choice(salesperson_ids),
                template.campaign_id,
                randomness.choice(evaluations),
                randomness.random() < 0.05,
                randomness.random() < 0.03,
                documents.get((template.pk, letter_language)),
                False,
                "",
                "",
                now,
            )

    return insert_rows(InteractionLogEntry._meta.db_table, ENTRY_COLUMNS, rows())
