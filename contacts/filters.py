"""Conditions over contacts that the criteria (in segmentation) are built from."""

from django.db.models import Exists, OuterRef, Q

from contacts.models import Contact


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
    """Contacts with `term` in their number, name, company name, city or e-mail."""
    return (
        Q(number__icontains=term)
        | Q(name__icontains=term)
        | Q(company__name__icontains=term)
        | Q(city__icontains=term)
        | Q(email__icontains=term)
    )
