"""Keep SQLite's query planner informed: table statistics, current after bulk writes.

SQLite never runs ANALYZE by itself. Without statistics it guesses, and with a
20,000-line segment the Add Contacts preview took 26 s instead of 0.11 s (it picked
a nested scan of the segment's lines). So each new connection analyses a database
that has no statistics yet, and every bulk write (Log, an import, a step) refreshes
the statistics of the tables it changed once it has committed. `analysis_limit`
makes ANALYZE sample each index instead of reading it whole, so this takes
milliseconds at any size.

PostgreSQL analyses by itself (autovacuum), but only some time after a bulk write:
right after a 20,000-line Add the next count preview took 27 s there, 0.54 s once
the two tables were analysed (0.76 s for both, at 200,000 contacts). So there too a
bulk write analyses the tables it changed once it has committed.
"""

import sqlite3

from django.db import connection as default_connection
from django.db import transaction
from django.db.models import Model

# Rows ANALYZE reads per index (SQLite's own suggestion is a few hundred to 1000).
ANALYSIS_LIMIT = 1000


def analyse_if_never_analysed(sender, connection, **kwargs) -> None:
    """connection_created: analyse an SQLite database that has no statistics yet.

    ANALYZE writes its results, so it needs the write lock: if another request
    holds it, this connection opens without waiting and a later one analyses.
    """
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    timeout = raw.execute("PRAGMA busy_timeout").fetchone()[0]
    raw.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        if not _has_statistics(raw):
            raw.execute("ANALYZE")
        # What SQLite asks of a long-lived connection when it opens (3.46 and
        # later; older versions ignore the flag).
        raw.execute("PRAGMA optimize = 0x10002")
    except sqlite3.OperationalError as error:
        if "locked" not in str(error) and "busy" not in str(error):
            raise
    finally:
        raw.execute(f"PRAGMA busy_timeout = {timeout}")


def _has_statistics(raw) -> bool:
    return bool(
        raw.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
        ).fetchone()
        and raw.execute("SELECT 1 FROM sqlite_stat1 LIMIT 1").fetchone()
    )


def refresh_statistics_on_commit(*models: type[Model]) -> None:
    """After the current transaction commits, refresh the statistics of these tables."""
    transaction.on_commit(lambda: refresh_statistics(*models))


def refresh_statistics(*models: type[Model]) -> None:
    """Analyse these tables (sampled, so it is quick); SQLite also optimises the rest."""
    sqlite = default_connection.vendor == "sqlite"
    with default_connection.cursor() as cursor:
        if sqlite:
            cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        for model in models:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
        if sqlite:
            cursor.execute("PRAGMA optimize")
