from django.contrib import admin

from core.admin_ids import IdsModelAdmin, IdsTabularInline
from segmentation.models import SavedCriteria, SavedCriteriaStep


class SavedCriteriaStepInline(IdsTabularInline):
    model = SavedCriteriaStep
    extra = 0
    fields = [
        "number",
        "action",
        "parameters",
        "allow_existing_contacts",
        "expand_companies",
        "allow_related_companies",
        "ignore_exclusion",
        "entire_companies",
    ]


@admin.register(SavedCriteria)
class SavedCriteriaAdmin(IdsModelAdmin):
    """Saved criteria are made with Save Criteria on a segment; here they are tidied."""

    list_display = ["code", "description", "created_by", "created_at"]
    search_fields = ["code", "description"]
    readonly_fields = ["created_by", "created_at"]
    inlines = [SavedCriteriaStepInline]
