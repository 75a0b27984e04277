"""Trigram indexes for the Logged Segments search (segment number and description).

PostgreSQL only (core.trigram).
"""

from django.db import migrations

from core.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("interactions", "0002_log_keyset_index")]

    operations = [
        trigram_indexes(
            "interactions_loggedsegment",
            {
                "loggedsegment_number_trgm": "segment_number",
                "loggedsegment_description_trgm": "description",
            },
        )
    ]
