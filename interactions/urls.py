from django.urls import path

from interactions import views

app_name = "interactions"

urlpatterns = [
    path("", views.InteractionLogView.as_view(), name="interaction_log"),
    path(
        "<int:pk>/", views.InteractionLogEntryDetailView.as_view(), name="entry_detail"
    ),
    path("new/", views.interaction_create, name="interaction_create"),
    path("export/", views.interaction_log_export, name="interaction_log_export"),
    path("actions/", views.interaction_log_action, name="interaction_log_action"),
    path(
        "documents/<int:pk>/download/",
        views.word_document_download,
        name="word_document_download",
    ),
]
