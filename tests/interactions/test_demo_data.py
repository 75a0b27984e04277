import pytest
from django.core.management import call_command

from interactions.models import InteractionLogEntry, InteractionTemplate

pytestmark = pytest.mark.django_db


def test_demo_data_has_letter_templates_with_a_word_document_per_language():
    call_command("load_demo_data", verbosity=0)

    letters = InteractionTemplate.objects.filter(group__code="LETTER")
    assert {"BUS", "INVIT"} <= set(letters.values_list("code", flat=True))
    for template in letters:
        documents = {row.language: row.document for row in template.documents.all()}
        assert set(documents) == {"en", "sv", "fr", "cs"}
        for document in documents.values():
            assert {"Contact_Address_Block", "Formal_Salutation", "Date"} <= set(
                document.merge_fields
            )
    assert set(InteractionTemplate.objects.values_list("group__code", flat=True)) == {
        "LETTER",
        "EMAIL",
        "MEETING",
        "PHONE",
    }


def test_demo_data_has_a_few_thousand_interactions_with_resolved_values():
    call_command("load_demo_data", verbosity=0)

    entries = InteractionLogEntry.objects.all()
    assert 2_000 <= entries.count() <= 5_000
    assert not entries.filter(contact__privacy_blocked=True).exists()
    letters = entries.filter(template__code="BUS")
    assert letters.exists()
    assert not letters.filter(document__isnull=True).exists()
    assert not entries.filter(template__code="OUTCALL", document__isnull=False).exists()
