"""A database too busy to take a write is a 503 "try again", never a 500.

SQLite has one writer at a time: a request that waits longer than the busy timeout
(settings.py) for the write lock fails with "database is locked". PostgreSQL waits
for row locks, but a lock timeout or a serialisation failure, if configured or
hit, fails the same way. Either is worth retrying in a moment, so the user gets a
plain page saying so, with Retry-After.
"""

from django.db import OperationalError
from django.template.response import TemplateResponse

RETRY_AFTER_SECONDS = 5
# SQLSTATEs of PostgreSQL errors that a retry resolves: serialization_failure,
# deadlock_detected, lock_not_available (lock_timeout), query_canceled (statement_timeout).
RETRYABLE_PG_CODES = {"40001", "40P01", "55P03", "57014"}


def is_database_busy(error: Exception) -> bool:
    """Whether this error means the database was too busy, not that something is wrong."""
    if not isinstance(error, OperationalError):
        return False
    if "database is locked" in str(error):
        return True
    return getattr(error.__cause__, "pgcode", None) in RETRYABLE_PG_CODES


class DatabaseBusyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_busy(exception):
            return None
        response = TemplateResponse(request, "503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response.render()
