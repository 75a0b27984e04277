"""factory_boy factories for every model the tests create."""

import functools
import hashlib
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

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
from interactions.demo_letters import build_demo_letter
from interactions.models import (
    Campaign,
    InformationFlow,
    InitiatedBy,
    InteractionGroup,
    InteractionLogEntry,
    InteractionTemplate,
    LoggedSegment,
    TemplateDocument,
    WordDocument,
)
from interactions.word_merge import read_merge_fields
from segmentation.models import Segment, SegmentLine

# tests/conftest.py reseeds factory_boy and Faker with this before every test.
FAKE_DATA_SEED = 2026


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("secret-password")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


class CodedFactory(factory.django.DjangoModelFactory):
    """A row known by its code: asking again for a code gets the same row."""

    class Meta:
        abstract = True
        django_get_or_create = ["code"]


class SalespersonFactory(CodedFactory):
    class Meta:
        model = Salesperson

    code = factory.Sequence(lambda n: f"SP{n:02d}")
    name = factory.Faker("name")
    email = factory.Faker("email")


class TerritoryFactory(CodedFactory):
    class Meta:
        model = Territory

    code = factory.Sequence(lambda n: f"TER{n}")
    description = factory.Faker("city")


class MailingGroupFactory(CodedFactory):
    class Meta:
        model = MailingGroup

    code = factory.Sequence(lambda n: f"MAIL{n}")
    description = factory.Faker("bs")


class IndustryGroupFactory(MailingGroupFactory):
    class Meta:
        model = IndustryGroup

    code = factory.Sequence(lambda n: f"IND{n}")


class BusinessRelationFactory(MailingGroupFactory):
    class Meta:
        model = BusinessRelation

    code = factory.Sequence(lambda n: f"REL{n}")


class JobResponsibilityFactory(MailingGroupFactory):
    class Meta:
        model = JobResponsibility

    code = factory.Sequence(lambda n: f"JOB{n}")


class ContactFactory(factory.django.DjangoModelFactory):
    """A person without a company; see CompanyFactory and PersonFactory."""

    class Meta:
        model = Contact
        skip_postgeneration_save = True

    number = factory.LazyFunction(lambda: take_numbers("contact")[0])
    type = Contact.Type.PERSON
    name = factory.Faker("name")
    address = factory.Faker("street_address")
    post_code = factory.Faker("postcode")
    city = factory.Faker("city")
    country = "SE"
    email = factory.Faker("email")
    language = "sv"

    @factory.post_generation
    def mailing_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.mailing_groups.add(*extracted)

    @factory.post_generation
    def job_responsibilities(self, create, extracted, **kwargs):
        if create and extracted:
            self.job_responsibilities.add(*extracted)

    @factory.post_generation
    def industry_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.industry_groups.add(*extracted)


class CompanyFactory(ContactFactory):
    type = Contact.Type.COMPANY
    name = factory.Faker("company")


class PersonFactory(ContactFactory):
    company = factory.SubFactory(CompanyFactory)


@functools.cache
def demo_letter(language: str = "en") -> bytes:
    """A real Word letter with MERGEFIELDs, built once per language."""
    return build_demo_letter(language)


class CampaignFactory(CodedFactory):
    class Meta:
        model = Campaign

    code = factory.Sequence(lambda n: f"CAMP{n}")
    description = factory.Faker("catch_phrase")


class InteractionGroupFactory(CodedFactory):
    class Meta:
        model = InteractionGroup

    code = factory.Sequence(lambda n: f"GROUP{n}")
    description = factory.Faker("bs")


class InteractionTemplateFactory(CodedFactory):
    class Meta:
        model = InteractionTemplate

    code = factory.Sequence(lambda n: f"TMPL{n}")
    group = factory.SubFactory(InteractionGroupFactory)
    description = factory.Faker("catch_phrase")
    unit_cost = Decimal("2.00")
    unit_duration = 5
    information_flow = InformationFlow.OUTBOUND
    initiated_by = InitiatedBy.US
    correspondence_type = CorrespondenceType.EMAIL
    default_language = "en"


class WordDocumentFactory(factory.django.DjangoModelFactory):
    """A stored demo letter; `language` picks which one."""

    class Meta:
        model = WordDocument
        exclude = ["language", "content"]

    language = "en"
    content = factory.LazyAttribute(lambda document: demo_letter(document.language))
    file = factory.LazyAttribute(
        lambda document: ContentFile(document.content, name=document.file_name)
    )
    file_name = factory.LazyAttribute(
        lambda document: f"letter-{document.language}.docx"
    )
    size = factory.LazyAttribute(lambda document: len(document.content))
    sha256 = factory.LazyAttribute(
        lambda document: hashlib.sha256(document.content).hexdigest()
    )
    merge_fields = factory.LazyAttribute(
        lambda document: read_merge_fields(document.content)
    )


class TemplateDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateDocument

    template = factory.SubFactory(InteractionTemplateFactory)
    language = "en"
    description = factory.LazyAttribute(lambda row: f"Letter ({row.language})")
    document = factory.SubFactory(
        WordDocumentFactory, language=factory.SelfAttribute("..language")
    )


class LoggedSegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LoggedSegment

    segment_number = factory.Sequence(lambda n: f"SM9{n:04d}")
    description = factory.Faker("catch_phrase")


class InteractionLogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InteractionLogEntry

    contact = factory.SubFactory(ContactFactory)
    contact_company = factory.LazyAttribute(lambda entry: entry.contact.company_contact)
    date = factory.LazyFunction(timezone.localdate)
    description = factory.Faker("sentence", nb_words=4)
    template = factory.SubFactory(InteractionTemplateFactory)
    group = factory.LazyAttribute(lambda entry: entry.template.group)
    language = "en"
    salesperson = factory.SubFactory(SalespersonFactory)
    cost = Decimal("2.00")
    duration = 5
    # As Log writes it: the logged segment's segment number.
    segment_number = factory.LazyAttribute(
        lambda entry: (
            entry.logged_segment.segment_number
            if getattr(entry, "logged_segment", None)
            else ""
        )
    )


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Segment

    number = factory.LazyFunction(lambda: take_numbers("segment")[0])
    description = factory.Faker("catch_phrase")


class SegmentLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SegmentLine

    segment = factory.SubFactory(SegmentFactory)
    contact = factory.SubFactory(ContactFactory)


def segment_with_letters(size: int) -> Segment:
    """A segment of `size` contacts, each to get the English demo letter."""
    template = InteractionTemplateFactory(default_language="en")
    TemplateDocumentFactory(template=template, language="en")
    segment = SegmentFactory(template=template)
    contacts = ContactFactory.create_batch(size, language="en")
    SegmentLine.objects.bulk_create(
        SegmentLine(segment=segment, contact=contact) for contact in contacts
    )
    return segment
