from django.urls import path

from segmentation import letter_views, views
from segmentation.models import StepDefinition

app_name = "segmentation"

Action = StepDefinition.Action

urlpatterns = [
    path("", views.SegmentListView.as_view(), name="segment_list"),
    path("new/", views.SegmentCreateView.as_view(), name="segment_create"),
    path("<int:pk>/", views.segment_detail, name="segment_detail"),
    path("<int:pk>/edit/", views.SegmentUpdateView.as_view(), name="segment_update"),
    path("<int:pk>/delete/", views.segment_delete, name="segment_delete"),
    path(
        "<int:pk>/add-contacts/",
        views.segment_step,
        {"action": Action.ADD},
        name="segment_add_contacts",
    ),
    path(
        "<int:pk>/reduce-contacts/",
        views.segment_step,
        {"action": Action.REDUCE},
        name="segment_reduce_contacts",
    ),
    path(
        "<int:pk>/refine-contacts/",
        views.segment_step,
        {"action": Action.REFINE},
        name="segment_refine_contacts",
    ),
    path("<int:pk>/add-lines/", views.segment_add_lines, name="segment_add_lines"),
    path(
        "<int:pk>/remove-lines/",
        views.segment_remove_lines,
        name="segment_remove_lines",
    ),
    path("<int:pk>/go-back/", views.segment_go_back, name="segment_go_back"),
    path("<int:pk>/criteria/", views.segment_criteria, name="segment_criteria"),
    path(
        "<int:pk>/clear-criteria/",
        views.segment_clear_criteria,
        name="segment_clear_criteria",
    ),
    path(
        "<int:pk>/reuse-criteria/",
        views.segment_reuse_criteria,
        name="segment_reuse_criteria",
    ),
    path(
        "<int:pk>/reuse-segment/",
        views.segment_reuse_segment,
        name="segment_reuse_segment",
    ),
    path("<int:pk>/log/", views.segment_log, name="segment_log"),
    path(
        "follow-up/<int:logged_pk>/",
        views.segment_follow_up,
        name="segment_follow_up",
    ),
    path(
        "<int:pk>/lines/<int:line_pk>/",
        views.segment_line_update,
        name="segment_line_update",
    ),
    path(
        "<int:pk>/letters/", letter_views.segment_letters_check, name="segment_letters"
    ),
    path(
        "<int:pk>/letters/download/",
        letter_views.segment_letters_download,
        name="segment_letters_download",
    ),
    path(
        "<int:pk>/lines/<int:line_pk>/letter/",
        letter_views.line_letter_download,
        name="line_letter_download",
    ),
    path(
        "<int:pk>/lines/<int:line_pk>/personalise/",
        letter_views.line_personalise,
        name="line_personalise",
    ),
    path(
        "logged/<int:pk>/letters/download/",
        letter_views.logged_segment_letters_download,
        name="logged_segment_letters_download",
    ),
    path(
        "letters/<int:pk>/",
        letter_views.letter_batch_detail,
        name="letter_batch_detail",
    ),
    path(
        "letters/<int:pk>/status/",
        letter_views.letter_batch_status,
        name="letter_batch_status",
    ),
    path(
        "letters/<int:pk>/download/",
        letter_views.letter_batch_download,
        name="letter_batch_download",
    ),
]
