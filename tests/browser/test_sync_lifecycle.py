"""Session loss and app updates never cost the outbox anything."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

import app.pwa as pwa
from tests.browser.offline import log_call, login, wait_synced
from tests.factories import PASSWORD, CompanyFactory, UserFactory

pytestmark = pytest.mark.browser


def test_a_401_on_return_asks_to_log_in_and_keeps_the_outbox(page, live_server):
    user = UserFactory(email="vendeur@example.fr")
    company = CompanyFactory(name="Dupont SARL")
    page.goto("/")
    login(page, user.email)
    wait_synced(page)
    page.context.set_offline(True)
    page.goto(f"/#/companies/{company.id}")
    log_call(page, subject="Appel hors ligne")
    log_call(page, subject="Deuxième appel")
    expect(page.get_by_test_id("sync-indicator")).to_have_text("Hors ligne · 2 en attente")

    page.context.clear_cookies()  # the session expired while the phone was offline
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_label("Adresse e-mail")).to_be_visible()  # asked to log in again
    assert page.request.get(f"/api/companies/{company.id}/timeline").status == 401

    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()  # back where the user was
    wait_synced(page)
    items = page.request.get(f"/api/companies/{company.id}/timeline").json()["items"]
    assert sorted(e["subject"] for e in items) == ["Appel hors ligne", "Deuxième appel"]


def test_a_new_version_is_offered_then_taken_with_one_reload(page, live_server, monkeypatch):
    user = UserFactory(email="vendeur@example.fr")
    page.goto("/")
    login(page, user.email)
    wait_synced(page)
    expect(page.get_by_test_id("update-toast")).to_have_count(0)

    real = pwa.precache_manifest
    monkeypatch.setattr(pwa, "precache_manifest",
                        lambda: {**real(), "version": real()["version"] + "-next"})
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    expect(page.get_by_test_id("update-toast")).to_contain_text("Nouvelle version disponible")

    with page.expect_event("load"):
        page.get_by_test_id("update-apply").tap()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    cache_names = page.evaluate("caches.keys()")
    assert cache_names == [f"tournee-shell-{real()['version']}-next"]
    expect(page.get_by_test_id("update-toast")).to_have_count(0)
