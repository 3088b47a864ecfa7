"""In Chromium: the service worker controls the root scope and the manifest parses."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_service_worker_registers_at_root_scope(page, live_server):
    page.goto("/")
    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    assert scope == f"{live_server}/"
    manifest = page.evaluate(
        "fetch(document.querySelector('link[rel=manifest]').href).then((r) => r.json())")
    assert manifest["display"] == "standalone"


def test_french_by_default_and_english_for_an_english_browser(browser, live_server):
    for locale, label in (("fr-FR", "Mot de passe"), ("en-GB", "Password")):
        context = browser.new_context(base_url=live_server, locale=locale)
        page = context.new_page()
        page.goto("/")
        page.get_by_label(label).wait_for()
        assert page.evaluate("document.documentElement.lang") == locale[:2]
        context.close()
