"""Conditions over contacts that the criteria (in segmentation) are built from."""

from django.db.models import Exists, OuterRef, Q

from contacts.models import Contact
from core.text_search import OneOf


def linked_through(relation: str, values, *, via_company: bool) -> Q:
    """Contacts linked to any of `values` through an M2M, directly or through their company."""
    field = Contact._meta.get_field(relation)
    linked = field.remote_field.through.objects.filter(
        **{f"{field.m2m_reverse_field_name()}__in": values}
    )
    contact = field.m2m_field_name()
    condition = Exists(linked.filter(**{contact: OuterRef("pk")}))
    if via_company:
        condition |= Exists(linked.filter(**{contact: OuterRef("company_id")}))
    return condition


# filter name: (the Contact M2M field, whether persons inherit it from their company)
LINKED_FILTERS = {
    "mailing_group": ("mailing_groups", False),
    "job_responsibility": ("job_responsibilities", False),
    "industry_group": ("industry_groups", True),
    "business_relation": ("business_relations", True),
}


def search_condition(term: str) -> Q:
    """Contacts with `term` in their number, name, company name, city or e-mail.

    Every part is a condition on the contact's own row, so on PostgreSQL each is
    answered by its trigram index (contacts migration 0002) and the OR by a
    BitmapOr. The company's name is not joined but looked up first (OneOf): an OR
    across a join would read every contact.
    """
    companies = Contact.objects.filter(
        type=Contact.Type.COMPANY, name__unicode_icontains=term
    ).values("pk")
    return (
        Q(number__unicode_icontains=term)
        | Q(name__unicode_icontains=term)
        | Q(OneOf("company_id", companies))
        | Q(city__unicode_icontains=term)
        | Q(email__unicode_icontains=term)
    )
