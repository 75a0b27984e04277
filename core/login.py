"""The guard against guessing passwords (django-axes): what a lockout shows.

Whose address failures are counted for is core/proxies.py::client_address.
"""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LoginForm(AuthenticationForm):
    """The login form; a refused login marks both fields invalid for screen readers."""

    def full_clean(self):
        super().full_clean()
        if self.non_field_errors():
            for field in ("username", "password"):
                self.fields[field].widget.attrs["aria-invalid"] = "true"


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials
) -> HttpResponse:
    """The login page again, saying why it refuses and for how long."""
    username = (credentials or {}).get("username", "")
    return render(
        request,
        "registration/login.html",
        {
            "form": LoginForm(request, initial={"username": username}),
            "next": request.POST.get("next", request.GET.get("next", "")),
            "locked_out_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
