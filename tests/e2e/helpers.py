"""What every journey does: log in through the real form, and check a page.

`check_page` runs axe-core (WCAG 2.1 AA rules) on the page as it stands and
fails on any serious or critical violation, then saves a full-page screenshot
under `test-artifacts/` for people to look at (CI keeps that folder).
"""

import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import Locator, Page, expect

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "e2e"
PASSWORD = "correct horse battery staple"  # tests.factories.tcm.UserFactory's password
BLOCKING_IMPACTS = {"serious", "critical"}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}

_axe = Axe()


def login_as(page: Page, user, password: str = PASSWORD) -> None:
    """Log in with the keyboard, as a person would, and wait for the landing page."""
    page.goto("/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Password").press("Enter")
    expect(page).not_to_have_url(re.compile(r"/login/"))


def tab_to(page: Page, target: Locator, *, limit: int = 60) -> None:
    """Press Tab until `target` has the focus: proves it is reachable by keyboard, in order."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} is not reachable with Tab within {limit} presses")


def check_page(page: Page, name: str) -> None:
    """Fail on serious or critical accessibility violations; save a screenshot as `name`.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    results = _axe.run(page, options=AXE_OPTIONS)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"{name}: {page.url}\n" + "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(", ".join(node["target"]) for node in v["nodes"][:5])
        for v in blocking
    )
