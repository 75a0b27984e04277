"""Trigram indexes for the contact search (contacts.filters.search_condition).

PostgreSQL only (core.trigram). The company-name part of the search looks for
companies first: a partial index of companies' names answers it without
visiting the persons whose names hold the term too (in the demo data, 'berg'
is in 4,720 company names and 26,080 person names).
"""

from django.db import migrations

from core.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]

    operations = [
        trigram_indexes(
            "contacts_contact",
            {
                "contact_number_trgm": "number",
                "contact_name_trgm": "name",
                "contact_city_trgm": "city",
                "contact_email_trgm": "email",
            },
        ),
        trigram_indexes(
            "contacts_contact",
            {"contact_company_name_trgm": "name"},
            where="type = 'company'",
        ),
    ]
