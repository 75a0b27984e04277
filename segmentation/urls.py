from django.urls import path

from segmentation.letters import views as letters
from segmentation.models import StepDefinition
from segmentation.views import (
    campaigns,
    contacts,
    exports,
    lines,
    log,
    logged,
    logged_delete,
    mailing_groups,
    outcome,
    saved_criteria,
    segments,
    steps,
)

app_name = "segmentation"

# The contact pages that filter by the criteria: config/urls.py serves them
# under /contacts/ in the contacts namespace.
contact_pages = [
    path("", contacts.ContactListView.as_view(), name="contact_list"),
    path("export/", contacts.contact_export, name="contact_export"),
    path("<int:pk>/", contacts.ContactDetailView.as_view(), name="contact_detail"),
]

# The campaign pages: config/urls.py serves them under /campaigns/ in the
# campaigns namespace (Django admin keeps its own for admins).
campaign_pages = [
    path("", campaigns.CampaignListView.as_view(), name="campaign_list"),
    path("new/", campaigns.campaign_create, name="campaign_create"),
    path("<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("<int:pk>/edit/", campaigns.campaign_update, name="campaign_update"),
]

Action = StepDefinition.Action

urlpatterns = [
    path("", segments.SegmentListView.as_view(), name="segment_list"),
    path("new/", segments.SegmentCreateView.as_view(), name="segment_create"),
    path(
        "new-from-contacts/",
        contacts.segment_create_from_contacts,
        name="segment_create_from_contacts",
    ),
    path("<int:pk>/", segments.segment_detail, name="segment_detail"),
    path("<int:pk>/edit/", segments.SegmentUpdateView.as_view(), name="segment_update"),
    path("<int:pk>/delete/", segments.segment_delete, name="segment_delete"),
    path("<int:pk>/export/", exports.segment_export, name="segment_export"),
    path(
        "<int:pk>/add-contacts/",
        steps.segment_step,
        {"action": Action.ADD},
        name="segment_add_contacts",
    ),
    path(
        "<int:pk>/reduce-contacts/",
        steps.segment_step,
        {"action": Action.REDUCE},
        name="segment_reduce_contacts",
    ),
    path(
        "<int:pk>/refine-contacts/",
        steps.segment_step,
        {"action": Action.REFINE},
        name="segment_refine_contacts",
    ),
    path("<int:pk>/add-lines/", steps.segment_add_lines, name="segment_add_lines"),
    path(
        "<int:pk>/remove-lines/",
        steps.segment_remove_lines,
        name="segment_remove_lines",
    ),
    path("<int:pk>/edit-lines/", lines.segment_edit_lines, name="segment_edit_lines"),
    path("<int:pk>/go-back/", steps.segment_go_back, name="segment_go_back"),
    path("<int:pk>/criteria/", steps.segment_criteria, name="segment_criteria"),
    path(
        "<int:pk>/clear-criteria/",
        steps.segment_clear_criteria,
        name="segment_clear_criteria",
    ),
    path(
        "<int:pk>/reuse-criteria/",
        steps.segment_reuse_criteria,
        name="segment_reuse_criteria",
    ),
    path(
        "<int:pk>/reuse-segment/",
        steps.segment_reuse_segment,
        name="segment_reuse_segment",
    ),
    path("<int:pk>/log/", log.segment_log, name="segment_log"),
    path(
        "<int:pk>/apply-mailing-group/",
        mailing_groups.segment_apply_mailing_group,
        name="segment_apply_mailing_group",
    ),
    path("follow-up/<int:logged_pk>/", log.segment_follow_up, name="segment_follow_up"),
    path(
        "<int:pk>/lines/<int:line_pk>/",
        lines.segment_line_update,
        name="segment_line_update",
    ),
    path("logged/", logged.LoggedSegmentListView.as_view(), name="logged_segment_list"),
    path(
        "saved-criteria/",
        saved_criteria.SavedCriteriaListView.as_view(),
        name="saved_criteria_list",
    ),
    path(
        "saved-criteria/<int:pk>/",
        saved_criteria.saved_criteria_detail,
        name="saved_criteria_detail",
    ),
    path(
        "saved-criteria/<int:pk>/rename/",
        saved_criteria.saved_criteria_rename,
        name="saved_criteria_rename",
    ),
    path(
        "saved-criteria/<int:pk>/delete/",
        saved_criteria.saved_criteria_delete,
        name="saved_criteria_delete",
    ),
    path(
        "logged/delete-cancelled/",
        logged_delete.logged_segment_delete_cancelled,
        name="logged_segment_delete_cancelled",
    ),
    path(
        "logged/<int:pk>/",
        logged.LoggedSegmentDetailView.as_view(),
        name="logged_segment_detail",
    ),
    path(
        "logged/<int:pk>/outcome/",
        outcome.LoggedSegmentOutcomeView.as_view(),
        name="logged_segment_outcome",
    ),
    path(
        "logged/<int:pk>/export/",
        exports.logged_segment_export,
        name="logged_segment_export",
    ),
    path(
        "logged/<int:pk>/cancel/",
        logged.logged_segment_cancel,
        name="logged_segment_cancel",
    ),
    path(
        "logged/<int:pk>/mark-printed/",
        logged.logged_segment_mark_printed,
        name="logged_segment_mark_printed",
    ),
    path(
        "logged/<int:pk>/resend/",
        logged.logged_segment_resend,
        name="logged_segment_resend",
    ),
    path("<int:pk>/letters/", letters.segment_letters_check, name="segment_letters"),
    path(
        "<int:pk>/letters/download/",
        letters.segment_letters_download,
        name="segment_letters_download",
    ),
    path(
        "<int:pk>/lines/<int:line_pk>/letter/",
        letters.line_letter_download,
        name="line_letter_download",
    ),
    path(
        "<int:pk>/lines/<int:line_pk>/personalise/",
        letters.line_personalise,
        name="line_personalise",
    ),
    path(
        "entries/<int:pk>/letter/",
        letters.entry_letter_download,
        name="entry_letter_download",
    ),
    path(
        "logged/<int:pk>/letters/download/",
        letters.logged_segment_letters_download,
        name="logged_segment_letters_download",
    ),
    path(
        "logged/<int:pk>/letters/print/",
        letters.logged_segment_print_letters,
        name="logged_segment_print_letters",
    ),
    # Letter batches are jobs now; their old addresses lead to the job's.
]
