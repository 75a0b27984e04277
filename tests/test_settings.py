import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Set by the test run itself (the database, the browser tests), not by a deployment.
TEST_ONLY_VARIABLES = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _manage(*args: str, **environment: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in TEST_ONLY_VARIABLES
    }
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_deploy_check_is_clean_with_production_values():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="k3y-" + "x7Q!p9Z#m2" * 6,
        ALLOWED_HOSTS="segmenta.example.com",
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="false", SECRET_KEY="")

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_sqlite_uses_immediate_transactions_and_a_busy_timeout(tmp_path):
    result = _manage(
        "shell",
        "-c",
        "from django.db import connection; print(connection.settings_dict['OPTIONS'])",
        DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}",
    )

    assert "'transaction_mode': 'IMMEDIATE'" in result.stdout
    assert "'timeout': 20" in result.stdout
