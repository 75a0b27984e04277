"""The health check a load balancer asks each app server: can it reach the database?

No login, no session, no cookie, no CSRF token, no rate limit: HAProxy asks
every second or so and takes the server out of rotation on anything but 200.
One trivial query answers whether this process can reach the database (through
PgBouncer, when that is in front of it); anything that goes wrong is a 503.
"""

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@login_not_required
@never_cache
@require_safe
def health(request):
    """200 "ok" when the database answers, else 503 (and the reason in the log)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        # Whatever the cause (database down, pool full, settings wrong), this
        # server cannot serve pages: the proxy should send users elsewhere.
        logger.exception("Health check: the database did not answer")
        return HttpResponse(
            "database unavailable", status=503, content_type="text/plain"
        )
    return HttpResponse("ok", content_type="text/plain")
