"""Trigram indexes for the contact search (contacts.filters.search_condition).

PostgreSQL only (core.trigram); a company's name is a contact's name, so the
name index serves the company-name part of the search too.
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
        )
    ]
