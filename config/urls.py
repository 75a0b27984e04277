from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

import contacts.urls
import segmentation.urls
from core.health import health
from core.login import LoginForm

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="contacts:contact_list"), name="home"),
    # The contact list, export and page filter by the segment criteria, so they
    # live in segmentation; they keep their /contacts/ paths and contacts: names.
    path(
        "contacts/",
        include(
            (
                contacts.urls.urlpatterns + segmentation.urls.contact_pages,
                contacts.urls.app_name,
            )
        ),
    ),
    path("segments/", include("segmentation.urls")),
    path("campaigns/", include((segmentation.urls.campaign_pages, "campaigns"))),
    path("interactions/", include("interactions.urls")),
    path("jobs/", include("core.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("health/", health, name="health"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
# MEDIA_ROOT is never served as it is, not even with DEBUG on: each stored file
# is sent by a view that checks who asks (core/files.py).
