"""Réglages > Notifications, beyond push: one switch per kind and channel (in the app, push,
e-mail), automatic follows, appointment reminders, all saved on the server; and the secret
calendar address: shown, copied, subscribed to with webcal://, revoked for a new one."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.offline import login, wait_synced

pytestmark = pytest.mark.browser


def open_screen(page, email: str) -> None:
    page.goto("/")
    login(page, email)
    wait_synced(page)
    page.get_by_test_id("open-settings").tap()
    page.get_by_test_id("open-notifications").tap()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()


def feed_status(page, url: str) -> int:
    """What a calendar app gets from this address (only its path: the test's own server)."""
    return page.request.get(urlsplit(url).path).status


def test_the_calendar_address_is_copied_subscribed_and_revoked(page, people, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    open_screen(page, people.b.email)
    feed = page.get_by_test_id("calendar-feed")
    expect(feed.get_by_role("heading", name="Mes rendez-vous dans mon calendrier")).to_be_visible()
    address = feed.get_by_label("Adresse secrète (iCal)")
    expect(address).not_to_have_value("")
    url = address.input_value()
    assert url.endswith(".ics") and "/calendar/" in url
    assert feed_status(page, url) == 200
    webcal = feed.get_by_role("link", name="S\u2019abonner")
    assert webcal.get_attribute("href") == "webcal://" + url.split("://", 1)[1]

    feed.get_by_role("button", name="Copier").tap()
    expect(page.get_by_test_id("calendar-message")).to_have_text("Adresse copiée.")
    assert page.evaluate("navigator.clipboard.readText()") == url

    feed.get_by_role("button", name="Révoquer et créer une nouvelle adresse").tap()
    confirm = page.get_by_test_id("calendar-confirm")
    expect(confirm).to_contain_text("cessera de fonctionner")
    confirm.get_by_role("button", name="Annuler").tap()  # changed my mind: nothing happens
    expect(confirm).to_have_count(0)
    expect(address).to_have_value(url)
    assert feed_status(page, url) == 200

    feed.get_by_role("button", name="Révoquer et créer une nouvelle adresse").tap()
    page.get_by_test_id("calendar-confirm").get_by_role("button", name="Révoquer").tap()
    expect(page.get_by_test_id("calendar-message")).to_contain_text("Nouvelle adresse créée")
    expect(address).not_to_have_value(url)
    fresh = address.input_value()
    assert feed_status(page, url) == 404
    assert feed_status(page, fresh) == 200
    page.reload()  # what the screen shows comes from the server
    address = page.get_by_test_id("calendar-feed").get_by_label("Adresse secrète (iCal)")
    expect(address).to_have_value(fresh)


def test_offline_the_calendar_address_stays_and_cannot_be_revoked(page, people):
    open_screen(page, people.b.email)
    address = page.get_by_test_id("calendar-url")
    expect(address).not_to_have_value("")
    url = address.input_value()
    revoke = page.get_by_role("button", name="Révoquer et créer une nouvelle adresse")
    page.context.set_offline(True)
    expect(page.get_by_test_id("notify-offline")).to_be_visible()
    expect(address).to_have_value(url)
    expect(revoke).to_be_disabled()
    page.context.set_offline(False)
    expect(revoke).to_be_enabled()


def test_channels_auto_follow_and_reminders_are_saved(page, people, make_auth):
    bruno = make_auth(people.b)
    before = bruno.get("/api/push/preferences").get_json()
    open_screen(page, people.b.email)
    table = page.get_by_test_id("channel-table")
    for column in ("Appli", "Push", "E-mail"):
        expect(table.get_by_role("columnheader", name=column)).to_be_visible()
    email = page.get_by_role("switch", name="E-mail : Échanges sur les fiches suivies")
    inapp = page.get_by_role("switch", name="Appli : Affaires suivies qui changent d\u2019étape")
    was_email = before["email"]["exchange_logged"]
    was_inapp = before["inapp"]["deal_stage_changed"]
    expect(email).to_be_checked(checked=was_email)
    email.tap()
    inapp.tap()
    page.get_by_role("switch", name="Chaque nouvelle affaire").tap()
    page.get_by_label("Rappel avant un rendez-vous").select_option(label="15 min avant")
    page.get_by_role("button", name="Enregistrer").tap()
    expect(page.get_by_test_id("prefs-saved")).to_have_text("Réglages enregistrés.")

    after = bruno.get("/api/push/preferences").get_json()
    assert after["email"]["exchange_logged"] is (not was_email)
    assert after["inapp"]["deal_stage_changed"] is (not was_inapp)
    assert {k: v for k, v in after["email"].items() if k != "exchange_logged"} == {
        k: v for k, v in before["email"].items() if k != "exchange_logged"}
    assert after["kinds"] == before["kinds"]  # push untouched
    assert set(after["auto_follow"]) == {*before["auto_follow"], "deal"}
    assert after["reminder_minutes"] == 15

    page.reload()  # what the screen shows comes from the server
    expect(email).to_be_checked(checked=not was_email)
    expect(page.get_by_role("switch", name="Chaque nouvelle affaire")).to_be_checked()
    expect(page.get_by_label("Rappel avant un rendez-vous")).to_have_value("15")
    page.get_by_label("Rappel avant un rendez-vous").select_option(label="Pas de rappel")
    page.get_by_role("button", name="Enregistrer").tap()
    expect(page.get_by_test_id("prefs-saved")).to_have_text("Réglages enregistrés.")
    assert bruno.get("/api/push/preferences").get_json()["reminder_minutes"] is None


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_screenshots(browser, live_server, people, tmp_path, scheme):
    """The settings at 390x844 (kept in $TOURNEE_SHOTS when set, to look at) and 360 px wide."""
    shots = Path(os.environ.get("TOURNEE_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(base_url=live_server, locale="fr-FR", color_scheme=scheme,
                                  **PHONE)
    page = context.new_page()
    try:
        open_screen(page, people.b.email)
        expect(page.get_by_test_id("calendar-url")).not_to_have_value("")
        page.screenshot(path=shots / f"h5-settings-{scheme}.png", full_page=True,
                        animations="disabled")
        page.set_viewport_size({"width": 360, "height": 740})
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], "the settings scroll sideways at 360 px"
        page.screenshot(path=shots / f"h5-settings-{scheme}-360.png", full_page=True,
                        animations="disabled")
        for part in ("channel-table", "calendar-feed"):
            page.get_by_test_id(part).screenshot(path=shots / f"h5-{part}-{scheme}-360.png",
                                                 animations="disabled")
    finally:
        context.close()
