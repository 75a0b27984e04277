"""Real worker processes (`manage.py run_worker`) for the tests that need them.

On SQLite the test database is a file (tests/conftest.py), so a worker process
reaches the same rows as the test.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    return (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}"
    )


def worker_environment(**overrides: str | None) -> dict:
    """The test's settings for a worker process; an override of None removes a variable."""
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "JOB_HEARTBEAT_DIR": str(settings.JOB_HEARTBEAT_DIR),
        "DEFAULT_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL,
        "SITE_URL": settings.SITE_URL,
        "MAIL_OUTBOX": str(Path(settings.MEDIA_ROOT).parent / "outbox"),
        **overrides,
    }
    return {name: value for name, value in environment.items() if value is not None}


def start_worker(*, quiet: bool = True, **popen) -> subprocess.Popen:
    """A worker process polling often; `popen` may give env (else the test's settings)."""
    command = [
        sys.executable,
        "manage.py",
        "run_worker",
        "--no-startup-delay",
        "--interval=0.1",
        *(["--verbosity=0"] if quiet else []),
    ]
    popen.setdefault("env", worker_environment())
    return subprocess.Popen(command, cwd=PROJECT_ROOT, **popen)


def wait_for(condition, *, timeout=60.0, what="the condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {what}")
        time.sleep(0.02)
