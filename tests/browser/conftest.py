"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

No browser is downloaded: Chromium comes from the system (`apt install chromium`).
Without it these tests are skipped, unless REQUIRE_BROWSER=1 (as in CI) makes
that an error.
"""

import os
import shutil

import pytest

# The data of the page-wide checks (axe, words), shared by their modules.
from tests.browser.main_pages import workflow  # noqa: F401 - a fixture

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

# Playwright's sync API runs an event loop in the test thread; the tests' own ORM
# calls (and the database teardown) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.environ.get("REQUIRE_BROWSER") == "1":
        return
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}")
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Nothing may reach the network from here; Playwright adds most of these
    # itself, the list documents it.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def logged_in_page(page, live_server, marketing_user):
    """A browser page logged in as Marta, through the login form."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", marketing_user.username)
    page.fill("input[name=password]", "secret-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/contacts/")
    return page
