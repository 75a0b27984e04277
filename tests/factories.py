"""factory_boy factories for every model the tests create."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from contacts.models import (
    BusinessRelation,
    Contact,
    IndustryGroup,
    JobResponsibility,
    MailingGroup,
    Salesperson,
    Territory,
)
from contacts.numbering import take_numbers


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


class SalespersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Salesperson
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"SP{n:02d}")
    name = factory.Faker("name")
    email = factory.Faker("email")


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"TER{n}")
    description = factory.Faker("city")


class MailingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MailingGroup
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"MAIL{n}")
    description = factory.Faker("bs")


class IndustryGroupFactory(MailingGroupFactory):
    class Meta:
        model = IndustryGroup
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"IND{n}")


class BusinessRelationFactory(MailingGroupFactory):
    class Meta:
        model = BusinessRelation
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"REL{n}")


class JobResponsibilityFactory(MailingGroupFactory):
    class Meta:
        model = JobResponsibility
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"JOB{n}")


class ContactFactory(factory.django.DjangoModelFactory):
    """A person without a company; see CompanyFactory and PersonFactory."""

    class Meta:
        model = Contact

    number = factory.LazyFunction(lambda: take_numbers("contact")[0])
    type = Contact.Type.PERSON
    name = factory.Faker("name")
    address = factory.Faker("street_address")
    post_code = factory.Faker("postcode")
    city = factory.Faker("city")
    country = "SE"
    email = factory.Faker("email")
    language = "sv"


class CompanyFactory(ContactFactory):
    type = Contact.Type.COMPANY
    name = factory.Faker("company")


class PersonFactory(ContactFactory):
    company = factory.SubFactory(CompanyFactory)
