"""Réglages > Notifications: its sections in French, preferences saved to the server, my
devices listed and removed, the test send, the error when this browser cannot subscribe (headless
Chromium has no push service), and offline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.offline import login, wait_synced

pytestmark = pytest.mark.browser


def subscribe_device(auth, peer, label: str) -> dict:
    """A device of this user, subscribed through the API as its browser would."""
    _device, info = peer.new_device()
    response = auth.post("/api/push/subscriptions", json={**info, "label": label})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def push_switch(page):
    """The push column's switch for exchanges (the channel table's middle one)."""
    return page.get_by_role("switch", name="Push : Échanges sur les fiches suivies")


def open_screen(page, email: str) -> None:
    page.goto("/")
    login(page, email)
    wait_synced(page)
    page.get_by_test_id("open-settings").tap()
    page.get_by_test_id("open-notifications").tap()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()


def test_the_screen_shows_its_sections_in_french(page, people):
    open_screen(page, people.b.email)
    for name in ("Cet appareil", "Mes appareils"):
        expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_role("group", name="Me prévenir pour")).to_be_visible()
    expect(page.get_by_role("group", name="Heures calmes")).to_be_visible()
    expect(page.get_by_test_id("push-status")).to_have_text(
        "Notifications désactivées sur cet appareil.")
    expect(page.get_by_role("button", name="Activer les notifications")).to_be_enabled()
    expect(push_switch(page)).to_be_checked()
    expect(page.get_by_text("Aucun appareil ne reçoit vos notifications.")).to_be_visible()
    # Nothing asked on load: the permission prompt only ever follows a tap.
    assert page.evaluate("Notification.permission") == "default"


def test_kinds_and_quiet_hours_are_saved(page, people, make_auth):
    bruno = make_auth(people.b)
    open_screen(page, people.b.email)
    push_switch(page).tap()
    expect(page.get_by_label("De", exact=True)).to_be_disabled()  # quiet hours off: greyed out
    page.get_by_role("switch", name="Pas de notification la nuit").tap()
    page.get_by_label("De", exact=True).fill("21:30")
    page.get_by_label("À", exact=True).fill("06:45")
    page.get_by_role("button", name="Enregistrer").tap()
    expect(page.get_by_test_id("prefs-saved")).to_have_text("Réglages enregistrés.")

    zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
    saved = bruno.get("/api/push/preferences").get_json()
    assert saved["kinds"]["exchange_logged"] is False
    assert all(on for kind, on in saved["kinds"].items() if kind != "exchange_logged")
    assert saved["inapp"]["exchange_logged"] is True  # only the push switch was turned off
    assert (saved["quiet_hours"], saved["timezone"]) == ({"start": "21:30", "end": "06:45"}, zone)

    page.reload()  # what the screen shows comes from the server
    expect(push_switch(page)).not_to_be_checked()
    expect(page.get_by_label("De", exact=True)).to_have_value("21:30")
    page.get_by_role("switch", name="Pas de notification la nuit").tap()
    page.get_by_role("button", name="Enregistrer").tap()
    expect(page.get_by_test_id("prefs-saved")).to_have_text("Réglages enregistrés.")
    assert bruno.get("/api/push/preferences").get_json()["quiet_hours"] is None


def test_my_devices_are_listed_and_removed_and_the_test_reaches_them(page, people, make_auth,
                                                                     push_peer, worker):
    peer = push_peer  # tests/conftest.py: a push service on 127.0.0.1, the job consumer running
    bruno = make_auth(people.b)
    phone = subscribe_device(bruno, peer, "Firefox · Android")
    subscribe_device(make_auth(people.a), peer, "Chrome · Windows")  # Alice's: not listed
    open_screen(page, people.b.email)
    devices = page.get_by_test_id("device")
    expect(devices).to_have_count(1)
    expect(devices).to_contain_text("Firefox · Android")
    expect(devices).to_contain_text("Ajouté le")
    expect(devices).to_contain_text("Aucun envoi pour l\u2019instant")
    expect(page.get_by_test_id("device-current")).to_have_count(0)  # not this browser's

    page.get_by_role("button", name="Envoyer une notification de test").tap()
    expect(page.get_by_test_id("push-message")).to_have_text("Envoyée à 1 appareil(s).")
    [delivery] = peer.wait_for(1)
    assert delivery.payload["kind"] == "test"

    page.get_by_role("button", name="Retirer Firefox · Android").tap()
    expect(devices).to_have_count(0)
    expect(page.get_by_text("Aucun appareil ne reçoit vos notifications.")).to_be_visible()
    assert bruno.get("/api/push/subscriptions").get_json()["items"] == []
    assert phone["id"]
    page.get_by_role("button", name="Envoyer une notification de test").tap()
    expect(page.get_by_test_id("push-message")).to_have_text(
        "Aucun appareil abonné : activez d\u2019abord les notifications.")


def test_enabling_without_a_push_service_says_so(page, people, make_auth, live_server):
    """The permission is granted, but Chromium refuses to subscribe (a Playwright context is
    off the record, where Chromium has no push: "Registration failed - permission denied"; and
    these tests never let it reach a real push service): the screen says what failed, and
    nothing half-made is left on the server."""
    page.context.grant_permissions(["notifications"], origin=live_server)
    open_screen(page, people.b.email)
    page.get_by_role("button", name="Activer les notifications").tap()
    expect(page.get_by_test_id("push-message")).to_have_text(
        "Le navigateur n\u2019a pas pu s\u2019abonner aux notifications (navigation privée, ou "
        "service de notification du navigateur indisponible). Réessayez plus tard, hors "
        "navigation privée ou avec un autre navigateur.",
        timeout=20_000)
    expect(page.get_by_test_id("push-status")).to_have_text(
        "Notifications désactivées sur cet appareil.")
    assert make_auth(people.b).get("/api/push/subscriptions").get_json()["items"] == []


def test_offline_the_screen_says_it_needs_the_network(page, people):
    open_screen(page, people.b.email)
    expect(push_switch(page)).to_be_visible()
    page.context.set_offline(True)
    expect(page.get_by_test_id("notify-offline")).to_contain_text(
        "ces réglages ont besoin du réseau")
    for name in ("Activer les notifications", "Envoyer une notification de test", "Enregistrer"):
        expect(page.get_by_role("button", name=name)).to_be_disabled()
    page.context.set_offline(False)
    expect(page.get_by_role("button", name="Enregistrer")).to_be_enabled()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_screenshots(browser, live_server, people, make_auth, push_peer, tmp_path, scheme):
    """The screen at 390x844 in both themes (kept in $TOURNEE_SHOTS when set, to look at)."""
    shots = Path(os.environ.get("TOURNEE_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    subscribe_device(make_auth(people.b), push_peer, "Safari · iPhone")
    context = browser.new_context(base_url=live_server, locale="fr-FR", color_scheme=scheme,
                                  **PHONE)
    page = context.new_page()
    try:
        open_screen(page, people.b.email)
        expect(page.get_by_test_id("device")).to_have_count(1)
        page.screenshot(path=shots / f"notifications-{scheme}.png", full_page=True)
        page.set_viewport_size({"width": 360, "height": 740})
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], "the screen scrolls sideways at 360 px"
        page.screenshot(path=shots / f"notifications-{scheme}-360.png", full_page=True)
    finally:
        context.close()


IPHONE_SAFARI = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
                 "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")


def test_on_an_iphone_outside_the_home_screen_it_explains_how(browser, live_server, people):
    context = browser.new_context(base_url=live_server, locale="fr-FR", user_agent=IPHONE_SAFARI,
                                  **PHONE)
    page = context.new_page()
    try:
        open_screen(page, people.b.email)
        expect(page.get_by_test_id("push-status")).to_have_text(
            "Pas encore de notifications sur cet iPhone ou iPad.")
        explanation = page.get_by_test_id("push-ios")
        expect(explanation).to_contain_text("Sur l\u2019écran d\u2019accueil")
        expect(explanation).to_contain_text("iOS ou iPadOS 16.4 ou plus récent")
        expect(page.get_by_role("button", name="Activer les notifications")).to_have_count(0)
    finally:
        context.close()


REMEMBER_SUBSCRIPTION = """async (id) => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open('tournee');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  await new Promise((resolve) => {
    const tx = db.transaction('meta', 'readwrite');
    tx.objectStore('meta').put({ key: 'push_subscription_id', value: id });
    tx.oncomplete = resolve;
  });
  db.close();
}"""


def test_this_device_is_marked_and_removing_it_forgets_it(page, people, make_auth, push_peer):
    """What enablePush() leaves behind (the server's id for this browser's subscription) is
    written by hand here: headless Chromium cannot subscribe."""
    bruno = make_auth(people.b)
    this = subscribe_device(bruno, push_peer, "Chrome · Linux")
    subscribe_device(bruno, push_peer, "Safari · iPhone")
    open_screen(page, people.b.email)
    page.evaluate(REMEMBER_SUBSCRIPTION, this["id"])
    page.reload()
    current = page.get_by_test_id("device").filter(has=page.get_by_test_id("device-current"))
    expect(current).to_contain_text("Chrome · Linux")
    expect(page.get_by_test_id("device-current")).to_have_count(1)

    page.get_by_role("button", name="Retirer Chrome · Linux").tap()
    expect(page.get_by_test_id("device")).to_have_count(1)
    expect(page.get_by_test_id("device")).to_contain_text("Safari · iPhone")
    labels = [item["label"] for item in bruno.get("/api/push/subscriptions").get_json()["items"]]
    assert labels == ["Safari · iPhone"]


def test_logging_out_takes_this_device_off_the_list(page, people, make_auth, push_peer):
    """The next person on this phone must not get Bruno's notifications."""
    bruno = make_auth(people.b)
    this = subscribe_device(bruno, push_peer, "Chrome · Linux")
    subscribe_device(bruno, push_peer, "Safari · iPhone")  # another of his devices: kept
    page.goto("/")
    login(page, people.b.email)
    wait_synced(page)
    page.evaluate(REMEMBER_SUBSCRIPTION, this["id"])
    page.goto("/#/settings")
    page.get_by_test_id("logout").tap()
    expect(page.get_by_label("Adresse e-mail")).to_be_visible()
    labels = [item["label"] for item in bruno.get("/api/push/subscriptions").get_json()["items"]]
    assert labels == ["Safari · iPhone"]
