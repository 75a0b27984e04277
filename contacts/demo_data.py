"""Demo contacts in English, Swedish, French and Czech, and fast bulk generation.

`load_demo_data` calls `load()` of each app's demo_data module in app order.
"""

import random
import re
import time
import unicodedata

from django.db import transaction
from django.utils import timezone
from faker import Faker

from contacts.bulk import db_timestamp
from contacts.generated_contacts import SALTED, ContactPlan, generate
from contacts.models import (
    BusinessRelation,
    Contact,
    CorrespondenceType,
    IndustryGroup,
    JobResponsibility,
    MailingGroup,
    Salesperson,
    Territory,
)
from contacts.numbering import take_numbers
from contacts.salutations import salutations
from core.database import refresh_statistics_on_commit

LOCALES = {
    # language: (Faker locale, country); salutations come from contacts.salutations.
    "en": ("en_GB", "GB"),
    "sv": ("sv_SE", "SE"),
    "fr": ("fr_FR", "FR"),
    "cs": ("cs_CZ", "CZ"),
}
SALESPEOPLE = [
    ("AH", "Annette Hill", "Account manager"),
    ("JO", "Jim Olive", "Sales director"),
    ("EK", "Eva Karlsson", "Key account manager"),
    ("ML", "Marie Laurent", "Account manager"),
    ("PN", "Petr Novotný", "Sales representative"),
    ("BD", "Bernard Durand", "Purchaser"),
]
TERRITORIES = [
    ("UK", "United Kingdom"),
    ("NORDIC", "Nordic countries"),
    ("FRANCE", "France"),
    ("CENTRAL", "Central Europe"),
]
TERRITORY_BY_LANGUAGE = {"en": "UK", "sv": "NORDIC", "fr": "FRANCE", "cs": "CENTRAL"}
INDUSTRY_GROUPS = [
    ("RETAIL", "Retail"),
    ("MANUFACT", "Manufacturing"),
    ("SERVICES", "Professional services"),
    ("IT", "Information technology"),
    ("WHOLESALE", "Wholesale"),
    ("PUBLIC", "Public sector"),
]
MAILING_GROUPS = [
    ("NEWSLETTER", "Monthly newsletter"),
    ("XMAS-CARD", "Christmas card"),
    ("EVENTS", "Event invitations"),
    ("WEBINARS", "Webinar invitations"),
    ("PRESS", "Press releases"),
]
BUSINESS_RELATIONS = [
    ("CUST", "Customer"),
    ("VEND", "Vendor"),
    ("PARTNER", "Partner"),
    ("PROSPECT", "Prospect"),
    ("PRESS", "Press"),
]
JOB_RESPONSIBILITIES = [
    ("CEO", "Managing director"),
    ("PURCHASE", "Purchasing"),
    ("IT", "IT"),
    ("MARKETING", "Marketing"),
    ("SALES", "Sales"),
    ("FINANCE", "Finance"),
]
DEMO_COMPANIES_PER_LANGUAGE = 14
POOL_SIZE = 300


def load(*, contacts: int | None, seed: int, stdout) -> None:
    """Create the reference data, then realistic demo contacts or `contacts` generated ones."""
    randomness = random.Random(seed)
    references = _create_reference_data()
    if contacts:
        started = time.perf_counter()
        generate_contacts(contacts, references=references, randomness=randomness)
        stdout.write(
            f"Generated {contacts:,} contacts in {time.perf_counter() - started:.1f} s."
        )
    else:
        created = _create_demo_contacts(references=references, randomness=randomness)
        stdout.write(f"Created {created} demo contacts with their reference data.")


def _create_reference_data() -> dict[str, list]:
    def ensure(model, rows):
        return [
            model.objects.get_or_create(code=code, defaults={"description": text})[0]
            for code, text in rows
        ]

    salespeople = [
        Salesperson.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "job_title": title,
                "email": f"{code.lower()}@segmenta.example",
                "phone": f"+46 8 555 01{index:02d}",
            },
        )[0]
        for index, (code, name, title) in enumerate(SALESPEOPLE)
    ]
    return {
        "salespeople": salespeople,
        "territories": ensure(Territory, TERRITORIES),
        "industry_groups": ensure(IndustryGroup, INDUSTRY_GROUPS),
        "mailing_groups": ensure(MailingGroup, MAILING_GROUPS),
        "business_relations": ensure(BusinessRelation, BUSINESS_RELATIONS),
        "job_responsibilities": ensure(JobResponsibility, JOB_RESPONSIBILITIES),
    }


@transaction.atomic
def _create_demo_contacts(
    *, references: dict[str, list], randomness: random.Random
) -> int:
    territories = {territory.code: territory for territory in references["territories"]}
    created = 0
    for language, (locale, country) in LOCALES.items():
        fake = _faker(locale, randomness)
        for _ in range(DEMO_COMPANIES_PER_LANGUAGE):
            company = _new_contact(
                type=Contact.Type.COMPANY,
                name=fake.company()[:100],
                address=fake.street_address()[:100],
                post_code=fake.postcode(),
                city=fake.city()[:50],
                country=country,
                phone=fake.phone_number()[:30],
                email=f"info@{fake.domain_name()}",
                website=f"https://www.{fake.domain_name()}",
                language=language,
                correspondence_type=randomness.choice(CorrespondenceType.values),
                salesperson=randomness.choice(references["salespeople"]),
                territory=territories[TERRITORY_BY_LANGUAGE[language]],
            )
            company.industry_groups.set(
                randomness.sample(references["industry_groups"], 1)
            )
            company.business_relations.set(
                randomness.sample(
                    references["business_relations"], randomness.randint(1, 2)
                )
            )
            if randomness.random() < 0.4:
                company.mailing_groups.set(
                    randomness.sample(references["mailing_groups"], 1)
                )
            created += 1
            for _ in range(randomness.randint(2, 6)):
                _new_person(fake, company, language, references, randomness)
                created += 1
        for _ in range(DEMO_COMPANIES_PER_LANGUAGE // 3):
            loner = _new_person(fake, None, language, references, randomness)
            loner.territory = territories[TERRITORY_BY_LANGUAGE[language]]
            loner.save(update_fields=["territory"])
            created += 1
    return created


def _new_person(fake, company, language, references, randomness) -> Contact:
    # First name and surname of one gender: Czech surnames have a female form.
    female = randomness.random() < 0.5
    if female:
        first, last = fake.first_name_female(), fake.last_name_female()
    else:
        first, last = fake.first_name_male(), fake.last_name_male()
    formal, informal = salutations(language, female=female, first=first, last=last)
    person = _new_contact(
        type=Contact.Type.PERSON,
        name=f"{first} {last}"[:100],
        company=company,
        job_title=fake.job()[:100],
        address=company.address if company else fake.street_address()[:100],
        post_code=company.post_code if company else fake.postcode(),
        city=company.city if company else fake.city()[:50],
        country=LOCALES[language][1],
        phone=fake.phone_number()[:30],
        mobile=fake.phone_number()[:30],
        email=f"{_ascii(first)}.{_ascii(last)}@{fake.free_email_domain()}".lower(),
        language=language,
        correspondence_type=randomness.choice(CorrespondenceType.values),
        salesperson=company.salesperson
        if company
        else randomness.choice(references["salespeople"]),
        territory=company.territory if company else None,
        formal_salutation=formal[:100],
        informal_salutation=informal[:100],
        exclude_from_segments=randomness.random() < 0.04,
        privacy_blocked=randomness.random() < 0.02,
    )
    person.mailing_groups.set(
        randomness.sample(references["mailing_groups"], randomness.randint(0, 2))
    )
    person.job_responsibilities.set(
        randomness.sample(references["job_responsibilities"], randomness.randint(1, 2))
    )
    return person


def _new_contact(**fields) -> Contact:
    return Contact.objects.create(number=take_numbers("contact")[0], **fields)


@transaction.atomic
def generate_contacts(
    count: int, *, references: dict[str, list], randomness: random.Random
) -> None:
    """Insert `count` plausible contacts set-based (contacts.generated_contacts)."""
    territory_ids = {
        territory.code: territory.pk for territory in references["territories"]
    }
    pools = [
        _name_pool(_faker(locale, randomness))
        for _language, (locale, _country) in LOCALES.items()
    ]
    plan = ContactPlan(
        languages=list(LOCALES),
        countries=[country for _locale, country in LOCALES.values()],
        territory_ids=[territory_ids[TERRITORY_BY_LANGUAGE[code]] for code in LOCALES],
        pools={kind: [pool[kind] for pool in pools] for kind in pools[0]},
        correspondence_types=list(CorrespondenceType.values),
        salesperson_ids=[person.pk for person in references["salespeople"]],
        mailing_group_ids=[group.pk for group in references["mailing_groups"]],
        industry_group_ids=[group.pk for group in references["industry_groups"]],
        responsibility_ids=[item.pk for item in references["job_responsibilities"]],
        salts={column: randomness.getrandbits(30) for column in SALTED},
        created_at=db_timestamp(timezone.now()),
    )
    generate(count, plan)
    refresh_statistics_on_commit(Contact)


def _faker(locale: str, randomness: random.Random) -> Faker:
    """A Faker seeded from the demo seed: its own generator, not Faker's shared one,
    so the demo data does not depend on (or disturb) anyone else's use of Faker."""
    fake = Faker(locale)
    fake.seed_instance(randomness.getrandbits(64))
    return fake


def _name_pool(fake: Faker) -> dict[str, list[str]]:
    names = {
        "first_male": [fake.first_name_male() for _ in range(POOL_SIZE)],
        "last_male": [fake.last_name_male() for _ in range(POOL_SIZE)],
        "first_female": [fake.first_name_female() for _ in range(POOL_SIZE)],
        "last_female": [fake.last_name_female() for _ in range(POOL_SIZE)],
    }
    return {
        **names,
        # Names as e-mail addresses spell them: ASCII, lower case, no spaces.
        **{
            f"email_{kind}": [_ascii(name).lower() for name in items]
            for kind, items in names.items()
        },
        "company": [fake.company()[:100] for _ in range(POOL_SIZE)],
        "street": [fake.street_address()[:100] for _ in range(POOL_SIZE)],
        "post_code": [fake.postcode() for _ in range(POOL_SIZE)],
        "city": [fake.city()[:50] for _ in range(POOL_SIZE)],
    }


def _ascii(name: str) -> str:
    """A name as the part of an e-mail address before the @: plain ASCII, no spaces
    (most mail servers take no other; Ström becomes Strom)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9.-]", "", folded)
