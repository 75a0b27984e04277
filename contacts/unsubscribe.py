"""The one-click unsubscribe link of every e-mail (RFC 8058), and its page.

The link carries the contact's id, signed and timestamped, so it needs no login
and cannot be made up for another contact. Using it sets "exclude from
segments" and records when; nothing else changes.
"""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from contacts.models import Contact
from contacts.services import unsubscribe_contact
from core.proxies import client_address
from core.ratelimit import allow

SALT = "segmenta.contacts.unsubscribe"


def unsubscribe_token(contact_id: int) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(contact_id))


def unsubscribe_url(contact_id: int) -> str:
    """The absolute link for a message's List-Unsubscribe header."""
    path = reverse("contacts:unsubscribe", args=[unsubscribe_token(contact_id)])
    return f"{settings.SITE_URL}{path}"


def contact_of_token(token: str) -> int:
    """The contact id of a valid token; raises signing.BadSignature (or its
    subclass SignatureExpired) for a tampered or expired one."""
    max_age = datetime.timedelta(days=settings.UNSUBSCRIBE_LINK_MAX_AGE_DAYS)
    value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=max_age)
    return int(value)


# Mail providers POST the one-click request without a CSRF token; the signed
# token is what proves the request comes from the message.
@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET: a page with a confirm button. POST (one click, or that button): unsubscribe."""
    client = client_address(request)
    if not allow(f"unsubscribe:{client}", limit=settings.UNSUBSCRIBE_RATE_PER_MINUTE):
        return _page(request, "too_many", status=429)
    try:
        contact_id = contact_of_token(token)
    except signing.SignatureExpired:
        return _page(request, "expired", status=410)
    except (signing.BadSignature, ValueError):
        return _page(request, "invalid", status=404)
    contact = Contact.objects.filter(pk=contact_id).only("pk", "email").first()
    if contact is None:
        return _page(request, "invalid", status=404)
    if request.method == "POST":
        unsubscribe_contact(contact.pk)
        return _page(request, "done", email=contact.email)
    return _page(request, "confirm", email=contact.email)


def _page(request, state: str, *, status: int = 200, email: str = ""):
    return render(
        request,
        "contacts/unsubscribe.html",
        {"state": state, "email": email},
        status=status,
    )
