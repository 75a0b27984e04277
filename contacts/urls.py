"""Contact create, edit, delete, search and import.

The list, its export and the contact page are segmentation's (they filter by the
segment criteria); config/urls.py adds them to this namespace.
"""

from django.urls import path

from contacts import import_views, unsubscribe, views

app_name = "contacts"

urlpatterns = [
    path("new/", views.ContactCreateView.as_view(), name="contact_create"),
    path("search/", views.contact_search, name="contact_search"),
    path("<int:pk>/edit/", views.ContactUpdateView.as_view(), name="contact_update"),
    path("<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("unsubscribe/<str:token>/", unsubscribe.unsubscribe, name="unsubscribe"),
    path(
        "imports/new/", import_views.contact_import_upload, name="contact_import_upload"
    ),
    path(
        "imports/<int:pk>/",
        import_views.contact_import_detail,
        name="contact_import_detail",
    ),
    path(
        "imports/<int:pk>/file/",
        import_views.contact_import_file,
        name="contact_import_file",
    ),
    path(
        "imports/<int:pk>/run/",
        import_views.contact_import_run,
        name="contact_import_run",
    ),
]
