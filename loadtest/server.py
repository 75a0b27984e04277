"""gunicorn with 4 workers on 127.0.0.1, against the load test's database."""

import logging
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(database_url: str, media: Path) -> dict[str, str]:
    """A production-like environment: DEBUG off, this database, local host only."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "loadtest-only-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "MEDIA_ROOT": str(media),
        # Plain HTTP on 127.0.0.1: no TLS in front of it to redirect to.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
    }


def manage(*arguments: str, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True
    )


def prepare(env: dict[str, str]) -> None:
    """Point this process at env's database and media folder, bring the database
    up to date, collect the static files and set Django up."""
    os.environ.update({key: env[key] for key in ("DATABASE_URL", "MEDIA_ROOT")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    manage("migrate", "--noinput", "-v0", env=env)
    manage("createcachetable", "-v0", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)

    import django

    django.setup()


@contextmanager
def gunicorn(*, env: dict[str, str], workers: int, log: Path):
    """Run gunicorn until the block ends; yields its base URL."""
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "config.wsgi",
                f"--workers={workers}",
                f"--bind=127.0.0.1:{port}",
                "--timeout=120",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(port, process)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited; see its log")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start listening")
