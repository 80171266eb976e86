"""Take the README's screenshots from the demo data: `make screenshots`.

Seeds a throw-away SQLite database in its own TCM_VAR_DIR (your `var/` is not
touched), runs the nightly compliance sweep and last month's bill run the way
beat would, serves the site with runserver, and walks the pages as the demo
users do, in Debian's Chromium (Playwright downloads no browser). Writes
docs/screenshots/*.png.
"""

import os
import socket
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from tcm.probe import wait_for_healthz

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PYTHON = sys.executable
PASSWORD = "tcm-demo-2026"  # noqa: S105 - tcm.demo.organisation.DEMO_PASSWORD, demo data only
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 900}


def manage(env, *args, check=True):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=check)  # noqa: S603


def prepare(env):
    """Demo data plus what the scheduled jobs would have produced by now."""
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed_demo", "--persons", os.environ.get("DEMO_PERSONS", "60"))
    manage(env, "evaluate_compliance")
    today = date.today()
    last_month = date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)
    # Billing may not be installed in every checkout that runs this; its screen is then skipped.
    manage(
        env,
        "generate_bills",
        "--month",
        last_month.strftime("%Y-%m"),
        "--region",
        "HRC",
        check=False,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(env, port):
    server = subprocess.Popen(  # noqa: S603
        [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_healthz(server, port)
    return server


def login(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def shoot(page: Page, name: str, height: int = VIEWPORT["height"]) -> None:
    """The top `height` pixels of the page: enough to show what the page is for."""
    clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height}
    page.screenshot(path=OUT / f"{name}.png", clip=clip, full_page=True)
    print(f"docs/screenshots/{name}.png: {page.url}")


def take(page: Page) -> None:
    login(page, "cm1.hrc")
    shoot(page, "worklist")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Caseload").click()
    page.locator("#person-results tbody a").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shoot(page, "person-record", height=1500)  # down to the timeline

    login(page, "sup.hrc")
    shoot(page, "dashboard")

    login(page, "ro.hrc")
    runs = page.locator("main a[href*='/billing/runs/']")
    if runs.count():
        runs.first.click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    shoot(page, "billing-run")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tcm-screenshots-") as var_dir:
        env = {**os.environ, "TCM_VAR_DIR": var_dir, "DJANGO_ENV": "development"}
        for name in ("DATABASE_URL", "REDIS_URL"):
            env.pop(name, None)
        prepare(env)
        port = free_port()
        server = serve(env, port)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
                )
                context = browser.new_context(
                    base_url=f"http://127.0.0.1:{port}",
                    viewport=VIEWPORT,
                    timezone_id="America/Chicago",
                )
                take(context.new_page())
                browser.close()
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
