"""The notification inbox: the home screen's bell lights up live when a colleague logs an
exchange on my record, the inbox lists it in bold, a tap opens the record and reads it; "Tout
marquer comme lu"; pages with "Charger plus"; a private exchange reaches nobody; offline keeps
the last list; phone screenshots in both themes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.offline import log_exchange, login, wait_live
from tests.factories import CompanyFactory

pytestmark = pytest.mark.browser

BOLD, REGULAR = "700", "400"


def unread_count(auth) -> int:
    response = auth.get("/api/notifications/unread-count")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["count"]


def log_in_and_wait_for_the_count(page, email: str) -> None:
    """Log in, and wait for the app's first answer about the unread count."""
    page.goto("/")
    with page.expect_response(lambda r: r.url.endswith("/api/notifications/unread-count")):
        login(page, email)


def open_inbox(page) -> None:
    page.get_by_test_id("open-inbox").tap()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Chargement")).to_have_count(0)


def dismiss_notice(page) -> None:
    """Close the live notice, which sits over the top bar for a few seconds."""
    page.get_by_test_id("notice").get_by_role("button", name="Fermer").tap()
    expect(page.get_by_test_id("notice")).to_have_count(0)


def title_of(item):
    return item.locator(".inbox-title")


def test_a_colleague_s_exchange_lights_the_bell_and_the_inbox_opens_it(page, people, make_auth):
    company = CompanyFactory(name="Dupont SARL", owner=people.b)
    alice, bruno = make_auth(people.a), make_auth(people.b)
    log_in_and_wait_for_the_count(page, people.b.email)
    bell = page.get_by_test_id("open-inbox")
    expect(bell).to_have_attribute("aria-label", "Notifications")
    expect(page.get_by_test_id("inbox-badge")).to_have_count(0)
    wait_live(page)

    log_exchange(alice, company, "Relance devis")  # no reload: the live message does it
    expect(page.get_by_test_id("inbox-badge")).to_have_text("1")
    expect(bell).to_have_attribute("aria-label", "Notifications, 1 non lue")
    dismiss_notice(page)

    open_inbox(page)
    item = page.get_by_test_id("inbox-item")
    expect(item).to_have_count(1)
    expect(title_of(item)).to_have_text("Non lue : Dupont SARL")
    expect(title_of(item)).to_have_css("font-weight", BOLD)
    expect(item).to_contain_text("Alice Sales · Appel : Relance devis")
    expect(item.locator("time")).to_have_text("maintenant")

    item.tap()
    expect(page.get_by_role("heading", name="Dupont SARL", level=1)).to_be_visible()
    expect(page.get_by_test_id("timeline").get_by_text("Relance devis")).to_be_visible()
    page.get_by_test_id("back").tap()  # back in the inbox: read now
    expect(page.get_by_test_id("inbox-item")).to_have_attribute("data-unread", "false")
    expect(title_of(page.get_by_test_id("inbox-item"))).to_have_css("font-weight", REGULAR)
    page.get_by_test_id("back").tap()
    expect(page.get_by_test_id("home-search")).to_be_visible()
    expect(page.get_by_test_id("inbox-badge")).to_have_count(0)
    expect(bell).to_have_attribute("aria-label", "Notifications")
    assert unread_count(bruno) == 0


def test_mark_all_read_clears_the_badge_and_the_bold(page, people, make_auth):
    alice, bruno = make_auth(people.a), make_auth(people.b)
    for name in ("Leroy Bâtiment", "Garage Moreau", "Boulangerie Petit"):
        log_exchange(alice, CompanyFactory(name=name, owner=people.b), f"Visite chez {name}")
    log_in_and_wait_for_the_count(page, people.b.email)  # counted on login
    expect(page.get_by_test_id("inbox-badge")).to_have_text("3")

    open_inbox(page)
    items = page.get_by_test_id("inbox-item")
    expect(items).to_have_count(3)
    expect(title_of(items.first)).to_have_text("Non lue : Boulangerie Petit")  # newest first
    for index in range(3):
        expect(title_of(items.nth(index))).to_have_css("font-weight", BOLD)

    page.get_by_role("button", name="Tout marquer comme lu").tap()
    for index in range(3):
        expect(items.nth(index)).to_have_attribute("data-unread", "false")
        expect(title_of(items.nth(index))).to_have_css("font-weight", REGULAR)
    expect(page.get_by_role("button", name="Tout marquer comme lu")).to_have_count(0)
    assert unread_count(bruno) == 0
    page.get_by_test_id("back").tap()
    expect(page.get_by_test_id("home-search")).to_be_visible()
    expect(page.get_by_test_id("inbox-badge")).to_have_count(0)


def test_many_show_nine_plus_and_come_in_pages(page, people, make_auth):
    alice = make_auth(people.a)
    company = CompanyFactory(name="Dupont SARL", owner=people.b)
    for n in range(22):
        log_exchange(alice, company, f"Appel n° {n + 1}")
    log_in_and_wait_for_the_count(page, people.b.email)
    expect(page.get_by_test_id("inbox-badge")).to_have_text("9+")
    expect(page.get_by_test_id("open-inbox")).to_have_attribute(
        "aria-label", "Notifications, 22 non lues")

    open_inbox(page)
    items = page.get_by_test_id("inbox-item")
    expect(items).to_have_count(20)
    expect(items.first).to_contain_text("Appel n° 22")
    page.get_by_role("button", name="Charger plus").tap()
    expect(items).to_have_count(22)
    expect(items.last).to_contain_text("Appel n° 1")
    expect(page.get_by_role("button", name="Charger plus")).to_have_count(0)


def test_a_private_exchange_reaches_no_inbox(page, people, make_auth):
    alice, bruno = make_auth(people.a), make_auth(people.b)
    mine = CompanyFactory(name="Dupont SARL", owner=people.b)
    log_exchange(alice, mine, "Appel privé d'Alice", private=True)  # Bruno takes no part
    assert unread_count(bruno) == 0
    assert bruno.get("/api/notifications").get_json()["items"] == []

    log_in_and_wait_for_the_count(page, people.b.email)
    expect(page.get_by_test_id("inbox-badge")).to_have_count(0)
    open_inbox(page)
    expect(page.get_by_text("Aucune notification")).to_be_visible()
    expect(page.get_by_test_id("inbox-item")).to_have_count(0)

    # The same path, live, with a public one after a second private one: only it arrives.
    wait_live(page)
    log_exchange(alice, mine, "Encore un appel privé", private=True)
    log_exchange(alice, CompanyFactory(name="Martin & Fils", owner=people.b), "Appel public")
    expect(page.get_by_test_id("inbox-item")).to_have_count(1)
    expect(page.get_by_test_id("inbox-item")).to_contain_text("Martin & Fils")
    expect(page.get_by_text("privé")).to_have_count(0)
    dismiss_notice(page)
    page.get_by_test_id("back").tap()
    expect(page.get_by_test_id("inbox-badge")).to_have_text("1")


def test_offline_the_inbox_keeps_its_list_and_says_it_needs_the_network(page, people, make_auth):
    log_exchange(make_auth(people.a), CompanyFactory(name="Dupont SARL", owner=people.b), "Relance")
    log_in_and_wait_for_the_count(page, people.b.email)
    open_inbox(page)
    expect(page.get_by_test_id("inbox-item")).to_have_count(1)

    page.context.set_offline(True)
    expect(page.get_by_test_id("inbox-offline")).to_contain_text(
        "voici les dernières notifications chargées")
    expect(page.get_by_test_id("inbox-item")).to_contain_text("Dupont SARL")
    expect(page.get_by_role("button", name="Tout marquer comme lu")).to_be_disabled()
    page.context.set_offline(False)
    expect(page.get_by_test_id("inbox-offline")).to_have_count(0)
    expect(page.get_by_role("button", name="Tout marquer comme lu")).to_be_enabled()


def test_the_inbox_speaks_the_app_s_language(page, people, make_auth):
    log_exchange(make_auth(people.a), CompanyFactory(name="Dupont SARL", owner=people.b), "Relance")
    log_in_and_wait_for_the_count(page, people.b.email)
    open_inbox(page)
    expect(page.get_by_test_id("inbox-item")).to_contain_text("Alice Sales · Appel : Relance")

    page.get_by_test_id("back").tap()
    page.get_by_test_id("open-settings").tap()
    page.get_by_test_id("locale-en").check()
    page.get_by_test_id("back").tap()
    bell = page.get_by_test_id("open-inbox")
    expect(bell).to_have_attribute("aria-label", "Notifications, 1 unread")
    bell.tap()
    item = page.get_by_test_id("inbox-item")
    expect(item).to_contain_text("Alice Sales · Call: Relance")  # asked in English
    expect(item.locator("time")).to_have_text("now")
    expect(page.get_by_role("button", name="Mark all as read")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_screenshots(browser, live_server, people, make_auth, tmp_path, scheme):
    """Home with its badge and the inbox at 390x844 (kept in $TOURNEE_SHOTS when set)."""
    shots = Path(os.environ.get("TOURNEE_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    alice, bruno = make_auth(people.a), make_auth(people.b)
    read = log_exchange(alice, CompanyFactory(name="Garage Moreau", owner=people.b),
                        "Point sur la flotte de véhicules utilitaires")
    for name in ("Boulangerie Petit", "Société Nouvelle des Établissements Dupont-Lefebvre"):
        log_exchange(alice, CompanyFactory(name=name, owner=people.b),
                     "Relance du devis envoyé la semaine dernière, à rappeler jeudi")
    first = bruno.get("/api/notifications?unread=true").get_json()["items"][-1]
    assert read["subject"] in first["body"]
    assert bruno.post(f"/api/notifications/{first['id']}/read").status_code == 200

    context = browser.new_context(base_url=live_server, locale="fr-FR", color_scheme=scheme,
                                  **PHONE)
    page = context.new_page()
    try:
        log_in_and_wait_for_the_count(page, people.b.email)
        expect(page.get_by_test_id("inbox-badge")).to_have_text("2")
        page.screenshot(path=shots / f"inbox-home-{scheme}.png", animations="disabled")
        open_inbox(page)
        expect(page.get_by_test_id("inbox-item")).to_have_count(3)
        page.screenshot(path=shots / f"inbox-{scheme}.png", full_page=True, animations="disabled")
        page.context.set_offline(True)
        expect(page.get_by_test_id("inbox-offline")).to_be_visible()
        page.screenshot(path=shots / f"inbox-offline-{scheme}.png", animations="disabled")
        page.context.set_offline(False)
        page.set_viewport_size({"width": 360, "height": 740})
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], "the inbox scrolls sideways at 360 px"
    finally:
        context.close()
