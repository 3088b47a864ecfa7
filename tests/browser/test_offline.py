"""Offline first: the shell from the worker's cache, data from IndexedDB, an outbox that survives
reloads and a browser restart, and sends everything exactly once when the network is back."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE
from tests.browser.offline import BLOB_HASHES, log_call, login, png, wait_synced
from tests.factories import AgencyFactory, CompanyFactory, ExchangeFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture()
def field(app):
    """A salesperson, their company and one exchange on it from three days ago."""
    agency = AgencyFactory(name="Lyon")
    user = UserFactory(email="vendeur@example.fr", name="Véronique Vendeur", agency_id=agency.id)
    company = CompanyFactory(name="Dupont SARL", owner_id=user.id, agency_id=agency.id)
    older = ExchangeFactory(company=company, created_by=user, kind="visit",
                            subject="Première visite",
                            starts_at=datetime.now(UTC) - timedelta(days=3))
    return user, company, older


@pytest.fixture()
def errors():
    return []


def watch(page, errors: list[str]):
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def test_cold_start_offline_after_one_visit(browser, switchable_server, field, errors):
    user, company, older = field
    context = browser.new_context(base_url=switchable_server.url, locale="fr-FR", **PHONE)
    page = watch(context.new_page(), errors)
    page.goto("/")
    login(page, user.email)
    wait_synced(page)

    context.set_offline(True)
    switchable_server.down()  # the worker's own fetches fail too
    page.goto("about:blank")
    response = page.goto(f"/#/companies/{company.id}")
    assert response.from_service_worker

    expect(page.get_by_role("heading", level=1, name="Dupont SARL")).to_be_visible()
    expect(page.get_by_test_id("sync-indicator")).to_have_text("Hors ligne")
    item = page.get_by_test_id("timeline").get_by_test_id("timeline-item")
    expect(item).to_have_count(1)
    expect(item.first).to_have_attribute("data-id", str(older.id))
    expect(item.first).to_contain_text("Première visite")
    context.close()
    assert not errors


def test_offline_outbox_survives_reloads_and_a_restart(browser, switchable_server, field,
                                                       tmp_path, errors):
    user, company, older = field
    options = dict(executable_path=CHROMIUM, args=CHROMIUM_ARGS, base_url=switchable_server.url,
                   locale="fr-FR", bypass_csp=True, **PHONE)
    profile = tmp_path / "profile"
    context = browser.browser_type.launch_persistent_context(profile, **options)
    context.set_default_timeout(15_000)
    page = watch(context.pages[0], errors)
    page.goto("/")
    login(page, user.email)
    wait_synced(page)

    context.set_offline(True)
    switchable_server.down()
    page.goto(f"/#/companies/{company.id}")
    expect(page.get_by_role("heading", level=1, name="Dupont SARL")).to_be_visible()
    photos = {4: png(2400, 1600, 40), 17: png(1200, 3000, 200)}
    for n in range(25):
        log_call(page, subject=f"Appel hors ligne {n + 1}", photo=photos.get(n))
    indicator = page.get_by_test_id("sync-indicator")
    expect(indicator).to_have_text("Hors ligne · 27 en attente")
    expect(page.get_by_test_id("timeline-item")).to_have_count(26)
    expect(page.locator("[data-testid=timeline-item][data-pending=true]")).to_have_count(25)
    expect(page.get_by_test_id("exchange-photo")).to_have_count(2)

    for _ in range(2):
        page.reload()
        expect(indicator).to_have_text("Hors ligne · 27 en attente")
    stored = page.evaluate(BLOB_HASHES)
    assert len(stored) == 2
    assert sorted((b["width"], b["height"]) for b in stored.values()) == [(640, 1600),
                                                                          (1600, 1067)]
    assert {b["type"] for b in stored.values()} == {"image/jpeg"}
    context.close()

    context = browser.browser_type.launch_persistent_context(profile, **options)
    context.set_default_timeout(15_000)
    context.set_offline(True)
    page = watch(context.pages[0], errors)
    page.goto(f"/#/companies/{company.id}")
    expect(page.get_by_test_id("sync-indicator")).to_have_text("Hors ligne · 27 en attente")
    expect(page.get_by_test_id("timeline-item")).to_have_count(26)

    switchable_server.up()
    context.set_offline(False)
    # The session cookie may not outlive the browser: then the app asks for a login, and the
    # outbox waits for it untouched.
    home_or_login = page.get_by_test_id("login-form").or_(page.get_by_test_id("sync-indicator"))
    expect(home_or_login.first).to_be_visible()
    if page.get_by_test_id("login-form").is_visible():
        login(page, user.email)
    expect(page.get_by_test_id("sync-indicator")).to_contain_text("Synchronisé", timeout=30_000)

    timeline = page.request.get(f"/api/companies/{company.id}/timeline?limit=100").json()
    subjects = sorted(e["subject"] for e in timeline["items"] if e["id"] != str(older.id))
    assert subjects == sorted(f"Appel hors ligne {n + 1}" for n in range(25))
    for attachment_id, blob in stored.items():
        meta = page.request.get(f"/api/attachments/{attachment_id}").json()
        assert meta["sha256"] == blob["sha256"]
        content = page.request.get(f"/api/attachments/{attachment_id}/content").body()
        assert hashlib.sha256(content).hexdigest() == blob["sha256"]
    expect(page.locator("[data-pending=true]")).to_have_count(0)
    context.close()
    assert not errors


def test_background_sync_drains_from_the_worker(page, live_server, field):
    """No page left to send it: the worker's `sync` event (tag "outbox") does."""
    user, company, _ = field
    page.goto("/")
    login(page, user.email)
    wait_synced(page)
    page.context.set_offline(True)
    page.goto(f"/#/companies/{company.id}")
    log_call(page, subject="Envoyé par le service worker")
    expect(page.get_by_test_id("sync-indicator")).to_have_text("Hors ligne · 1 en attente")

    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated",
           lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # evaluate awaits it
    page.goto("about:blank")  # the app is closed: only the worker can send now
    page.context.set_offline(False)
    registration = next(r for r in registrations if r["scopeURL"] == f"{live_server}/")
    cdp.send("ServiceWorker.dispatchSyncEvent", {
        "origin": live_server, "registrationId": registration["registrationId"],
        "tag": "outbox", "lastChance": False})

    def subjects() -> list[str]:
        items = page.request.get(f"/api/companies/{company.id}/timeline").json()["items"]
        return [e["subject"] for e in items]

    deadline = datetime.now(UTC) + timedelta(seconds=15)
    while "Envoyé par le service worker" not in subjects() and datetime.now(UTC) < deadline:
        pass
    assert subjects().count("Envoyé par le service worker") == 1
