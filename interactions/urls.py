from django.urls import path

from interactions import views

app_name = "interactions"

urlpatterns = [
    path("", views.InteractionLogView.as_view(), name="interaction_log"),
    path("new/", views.interaction_create, name="interaction_create"),
    path("actions/", views.interaction_log_action, name="interaction_log_action"),
    path(
        "logged-segments/",
        views.LoggedSegmentListView.as_view(),
        name="logged_segment_list",
    ),
    path(
        "logged-segments/<int:pk>/",
        views.LoggedSegmentDetailView.as_view(),
        name="logged_segment_detail",
    ),
    path(
        "logged-segments/<int:pk>/cancel/",
        views.logged_segment_cancel,
        name="logged_segment_cancel",
    ),
    path(
        "documents/<int:pk>/download/",
        views.word_document_download,
        name="word_document_download",
    ),
]
