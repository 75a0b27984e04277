"""`make scale-test` runs only against PostgreSQL: PgBouncer has nothing to pool on SQLite."""

import os
import subprocess
import sys

from tests.test_settings import PROJECT_ROOT, TEST_ONLY_VARIABLES


def test_the_scale_test_refuses_sqlite_before_starting_anything(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'scale.sqlite3'}"

    result = subprocess.run(
        [sys.executable, "-m", "scaletest"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 2
    assert "The scale test needs PostgreSQL" in result.stderr
    assert not (tmp_path / "scale.sqlite3").exists()
