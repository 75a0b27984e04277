"""A value provider for every criterion of ContactCriteria.

Each creates a contact the criterion selects and at least one it leaves out,
and returns the query (as a form or a URL of the contact list sends it) and the
selected contact. The criteria matrix and the contact list tests use them.
"""

import datetime

from contacts.models import Contact, CorrespondenceType
from interactions.models import Evaluation
from tests.factories import (
    BusinessRelationFactory,
    CampaignFactory,
    CompanyFactory,
    ContactFactory,
    IndustryGroupFactory,
    InteractionLogEntryFactory,
    InteractionTemplateFactory,
    JobResponsibilityFactory,
    LoggedSegmentFactory,
    MailingGroupFactory,
    PersonFactory,
    SalespersonFactory,
    TerritoryFactory,
)


def _search():
    ContactFactory(name="Ann Berg", city="Lund", email="ann@example.se")
    return {"q": "quixote"}, ContactFactory(name="Zebulon Quixote")


def _type():
    ContactFactory()
    return {"type": "company"}, CompanyFactory()


def _number():
    ContactFactory()
    wanted = ContactFactory()
    return {"number": wanted.number.lower()}, wanted


def _company():
    company = CompanyFactory()
    return {"company": company.number}, PersonFactory(company=company)


def _name():
    ContactFactory(name="Ann Berg")
    return {"name": "zebul"}, ContactFactory(name="Zebulon Quixote")


def _post_code_from():
    ContactFactory(post_code="10000")
    return {"post_code_from": "90000"}, ContactFactory(post_code="99999")


def _post_code_to():
    ContactFactory(post_code="50000")
    return {"post_code_to": "00005"}, ContactFactory(post_code="00001")


def _city():
    ContactFactory(city="Lund")
    return {"city": "brno"}, ContactFactory(city="Brno")


def _country():
    ContactFactory(country="SE")
    return {"country": ["CZ", "FR"]}, ContactFactory(country="CZ")


def _language():
    ContactFactory(language="sv")
    return {"language": "cs, fr"}, ContactFactory(language="cs")


def _salesperson():
    ContactFactory(salesperson=SalespersonFactory(code="JO"))
    return {"salesperson": "AH"}, ContactFactory(
        salesperson=SalespersonFactory(code="AH")
    )


def _territory():
    ContactFactory(territory=TerritoryFactory(code="SOUTH"))
    return {"territory": "NORTH"}, ContactFactory(
        territory=TerritoryFactory(code="NORTH")
    )


def _correspondence_type():
    ContactFactory(correspondence_type=CorrespondenceType.HARD_COPY)
    return {"correspondence_type": "email"}, ContactFactory(
        correspondence_type=CorrespondenceType.EMAIL
    )


def _created():
    ContactFactory()
    wanted = ContactFactory()
    Contact.objects.filter(pk=wanted.pk).update(
        created_at=datetime.datetime(2020, 1, 10, 12, tzinfo=datetime.UTC)
    )
    return {"created_after": "2020-01-01", "created_before": "2020-01-31"}, wanted


def _mailing_group():
    ContactFactory(mailing_groups=[MailingGroupFactory(code="EVENTS")])
    newsletter = MailingGroupFactory(code="NEWSLETTER")
    return {"mailing_group": "NEWSLETTER"}, ContactFactory(mailing_groups=[newsletter])


def _industry_group():
    ContactFactory()
    retail = IndustryGroupFactory(code="RETAIL")
    return {"industry_group": "RETAIL"}, CompanyFactory(industry_groups=[retail])


def _business_relation():
    ContactFactory()
    wanted = CompanyFactory()
    wanted.business_relations.add(BusinessRelationFactory(code="SUPPLIER"))
    return {"business_relation": "SUPPLIER"}, wanted


def _job_responsibility():
    ContactFactory()
    buyer = JobResponsibilityFactory(code="BUYER")
    return {"job_responsibility": "BUYER"}, ContactFactory(job_responsibilities=[buyer])


def _interaction():
    ContactFactory()
    wanted = ContactFactory()
    InteractionLogEntryFactory(contact=wanted)
    return {"interaction": "has"}, wanted


def _with_entries(wanted_entry: dict, other_entry: dict) -> Contact:
    """A contact with an interaction, and another with a different one."""
    InteractionLogEntryFactory(contact=ContactFactory(), **other_entry)
    wanted = ContactFactory()
    InteractionLogEntryFactory(contact=wanted, **wanted_entry)
    return wanted


def _interaction_template():
    webinar = InteractionTemplateFactory(code="WEBINAR")
    return {"interaction_template": "WEBINAR"}, _with_entries({"template": webinar}, {})


def _interaction_group():
    template = InteractionTemplateFactory(group__code="EVENTS")
    return {"interaction_group": "EVENTS"}, _with_entries({"template": template}, {})


def _interaction_evaluation():
    return {"interaction_evaluation": "positive"}, _with_entries(
        {"evaluation": Evaluation.POSITIVE}, {"evaluation": Evaluation.NEGATIVE}
    )


def _interaction_campaign():
    spring = CampaignFactory(code="SPRING")
    return {"interaction_campaign": "SPRING"}, _with_entries({"campaign": spring}, {})


def _interaction_date():
    return {
        "interaction_date_after": "2020-01-01",
        "interaction_date_before": "2020-01-31",
    }, _with_entries({"date": datetime.date(2020, 1, 10)}, {})


def _interaction_include_cancelled():
    ContactFactory()
    wanted = ContactFactory()
    InteractionLogEntryFactory(contact=wanted, cancelled=True)
    return {"interaction": "has", "interaction_include_cancelled": "on"}, wanted


def _logged(wanted_entry: dict, other_entry: dict) -> tuple[str, Contact]:
    """Two contacts logged in one segment, with different entries."""
    logged = LoggedSegmentFactory()
    InteractionLogEntryFactory(
        contact=ContactFactory(), logged_segment=logged, **other_entry
    )
    wanted = ContactFactory()
    InteractionLogEntryFactory(contact=wanted, logged_segment=logged, **wanted_entry)
    return str(logged.pk), wanted


def _logged_segment():
    InteractionLogEntryFactory(contact=ContactFactory())
    logged = LoggedSegmentFactory()
    wanted = ContactFactory()
    InteractionLogEntryFactory(contact=wanted, logged_segment=logged)
    return {"logged_segment": str(logged.pk)}, wanted


def _logged_correspondence_type():
    logged, wanted = _logged(
        {"correspondence_type": CorrespondenceType.EMAIL},
        {"correspondence_type": CorrespondenceType.HARD_COPY},
    )
    return {"logged_segment": logged, "logged_correspondence_type": "email"}, wanted


def _logged_language():
    logged, wanted = _logged({"language": "cs"}, {"language": "en"})
    return {"logged_segment": logged, "logged_language": "cs"}, wanted


VALUE_PROVIDERS = {
    "q": _search,
    "type": _type,
    "number": _number,
    "company": _company,
    "name": _name,
    "post_code_from": _post_code_from,
    "post_code_to": _post_code_to,
    "city": _city,
    "country": _country,
    "language": _language,
    "salesperson": _salesperson,
    "territory": _territory,
    "correspondence_type": _correspondence_type,
    "created": _created,
    "mailing_group": _mailing_group,
    "industry_group": _industry_group,
    "business_relation": _business_relation,
    "job_responsibility": _job_responsibility,
    "interaction": _interaction,
    "interaction_template": _interaction_template,
    "interaction_group": _interaction_group,
    "interaction_evaluation": _interaction_evaluation,
    "interaction_campaign": _interaction_campaign,
    "interaction_date": _interaction_date,
    "interaction_include_cancelled": _interaction_include_cancelled,
    "logged_segment": _logged_segment,
    "logged_correspondence_type": _logged_correspondence_type,
    "logged_language": _logged_language,
}
