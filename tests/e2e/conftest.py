"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Every test in this folder is marked `e2e` and runs after the rest of the suite:
its live server needs `transactional_db`, which empties the tables after each
test, and Playwright's sync API keeps an asyncio loop in the main thread, so
Django's async-safety check is switched off while a browser is open.

No browser is ever downloaded: Chromium comes from Debian (`apt-get install
chromium fonts-inter`, which `.ci/run` does when it is missing). On a laptop
without it the tests are skipped; in CI (`CI` set) a missing Chromium fails.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
E2E_DIR = Path(__file__).parent

# The flags STYLE.md names: headless in a container, nothing phoning home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    """Mark this folder's tests `e2e` and move them to the end of the run."""
    in_browser = [E2E_DIR in Path(item.path).parents for item in items]
    for item, browser in zip(items, in_browser, strict=True):
        if browser:
            item.add_marker(pytest.mark.e2e)
    ordered = sorted(zip(in_browser, range(len(items)), items, strict=True))
    items[:] = [item for _, _, item in ordered]


@pytest.fixture(scope="session", autouse=True)
def _chromium_present():
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: .ci/run should have installed Debian's chromium")
    pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-inter")


@pytest.fixture(scope="session", autouse=True)
def _allow_async_unsafe():
    """Playwright's sync API runs an event loop in this thread; Django would refuse the ORM."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A laptop-sized window in the offices' time zone, so dates on screen match the server's."""
    return {
        **browser_context_args,
        "viewport": {"width": 1280, "height": 860},
        "locale": "en-US",
        "timezone_id": "America/Chicago",
    }


@pytest.fixture(autouse=True)
def _short_timeouts(page):
    """Fail in seconds, not Playwright's default 30, when an element never appears."""
    page.set_default_timeout(10_000)
