"""Browser fixtures: the real app on a free local port, Debian's Chromium through Playwright.

The app comes from the `app` fixture of tests/conftest.py: create_app() with a TestConfig subclass
on a temporary SQLite *file* or the run's PostgreSQL database (so the server threads and the test
share it), tables created (or emptied) and defaults seeded by
app.services.setup.prepare_database(). Test data is made with tests/factories.py in the test
thread and committed, so the server sees it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app_server import AppServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


@pytest.fixture()
def live_server(app) -> Iterator[str]:
    """Serve the app on 127.0.0.1:<free port> from background threads; yield the base URL.
    Stopped before the `app` fixture ends: no request of it outlives the app's engine."""
    server = AppServer(app)
    try:
        yield server.url
    finally:
        server.stop()


class SwitchableServer:
    """The live app on a fixed port that can go down and come back (a real network failure
    for the page AND its service worker, which Playwright's offline mode may not cover).

    Going down also cuts the connections already open (keep-alive requests, the live
    WebSocket), as a crashed server would, and waits for the requests still running."""

    def __init__(self, app) -> None:
        self.app = app
        self.server: AppServer | None = AppServer(app)
        self.port = self.server.server_port
        self.url = self.server.url

    def up(self) -> None:
        if self.server is None:
            self.server = AppServer(self.app, self.port)

    def down(self) -> None:
        self.server.stop()
        self.server = None

    def close(self) -> None:
        if self.server is not None:
            self.down()


@pytest.fixture()
def switchable_server(app) -> Iterator[SwitchableServer]:
    server = SwitchableServer(app)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":  # .ci/run installs it: missing there is a failure
            pytest.fail(f"{CHROMIUM} is not installed")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield CspBypassing(browser)
        browser.close()


class CspBypassing:
    """The browser, whose contexts bypass the app's Content-Security-Policy unless asked not
    to: Playwright's wait_for_function evaluates strings, which a policy without
    'unsafe-eval' refuses. tests/browser/test_csp.py checks the screens under the policy."""

    def __init__(self, browser) -> None:
        self._browser = browser

    def new_context(self, **options):
        options.setdefault("bypass_csp", True)
        return self._browser.new_context(**options)

    def __getattr__(self, name: str):
        return getattr(self._browser, name)


@pytest.fixture()
def page(browser, live_server):
    """A French phone (390x844, touch) on the live server; fails on uncaught page errors."""
    context = browser.new_context(base_url=live_server, locale="fr-FR", **PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


class Taps:
    """Tap controls like a thumb would, counting every tap."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, locator) -> None:
        self.count += 1
        locator.tap()


@pytest.fixture()
def taps() -> Taps:
    return Taps()


@pytest.fixture()
def log_in(page):
    """log_in(email, password): fill the French login form and wait for the home screen."""
    from playwright.sync_api import expect

    def log_in(email: str, password: str) -> None:
        page.goto("/")
        page.get_by_label("Adresse e-mail").fill(email)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_test_id("home-search")).to_be_visible()

    return log_in
