"""The app's URLs plus one view that fails, for the error page tests."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


@login_not_required
def failing_view(request):
    raise RuntimeError("A bug the error page must not show")


urlpatterns = [*app_urlpatterns, path("failing/", failing_view)]
