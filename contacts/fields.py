"""The contact fields people fill in, in one order, grouped as the pages show them.

The contact form, Django admin and the import/export columns all take their
fields from here, so a new contact field is added in one place.
"""

from django.utils.translation import gettext_lazy as _

CONTACT_FIELDSETS = [
    (_("General"), ["type", "name", "name_2", "company", "job_title"]),
    (
        _("Address"),
        ["address", "address_2", "post_code", "city", "county", "country"],
    ),
    (
        _("Communication"),
        ["phone", "mobile", "fax", "email", "website", "vat_registration_number"],
    ),
    (
        _("Segmentation"),
        [
            "language",
            "correspondence_type",
            "salesperson",
            "territory",
            "formal_salutation",
            "informal_salutation",
            "exclude_from_segments",
            "privacy_blocked",
            "mailing_groups",
            "job_responsibilities",
            "industry_groups",
            "business_relations",
        ],
    ),
]
CONTACT_FIELDS = [name for _title, names in CONTACT_FIELDSETS for name in names]
