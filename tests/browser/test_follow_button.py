"""Following a record from its page: "Suivre" / "Suivi" toggles the follow on the server, a
colleague's exchange then reaches my inbox (and no longer once I stop); a deal followed for
some kinds only tells of those; offline the button waits for the network."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.offline import log_exchange, login, wait_synced
from tests.factories import CompanyFactory, DealFactory

pytestmark = pytest.mark.browser


def inbox(auth) -> list[dict]:
    response = auth.get("/api/notifications")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def follow_of(auth, record_type: str, record) -> dict:
    response = auth.get(f"/api/follows/{record_type}/{record.id}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def open_record(page, path: str, title: str) -> None:
    page.goto(f"/#/{path}")
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()


def test_follow_then_a_colleague_s_exchange_reaches_my_inbox_and_unfollow_stops_it(
        page, people, make_auth):
    alice, bruno = make_auth(people.a), make_auth(people.b)
    company = CompanyFactory(name="Dupont SARL", owner=people.c)  # Chloé's, not Bruno's
    page.goto("/")
    login(page, people.b.email)
    open_record(page, f"companies/{company.id}", "Dupont SARL")
    button = page.get_by_test_id("follow-toggle")
    expect(button).to_have_text("Suivre")
    expect(button).to_have_attribute("aria-pressed", "false")

    button.tap()
    expect(button).to_have_text("Suivi")
    expect(button).to_have_attribute("aria-pressed", "true")
    assert follow_of(bruno, "company", company)["following"] is True

    log_exchange(alice, company, "Relance devis")
    [notice] = inbox(bruno)
    assert notice["kind"] == "exchange_logged"
    page.get_by_test_id("back").tap()
    expect(page.get_by_test_id("home-search")).to_be_visible()
    page.get_by_test_id("open-inbox").tap()
    item = page.get_by_test_id("inbox-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Dupont SARL")
    expect(item).to_contain_text("Relance devis")

    item.tap()  # the inbox leads back to the record: stop following it there
    expect(page.get_by_role("heading", name="Dupont SARL", level=1)).to_be_visible()
    expect(button).to_have_text("Suivi")
    button.tap()
    expect(button).to_have_text("Suivre")
    assert follow_of(bruno, "company", company)["following"] is False
    log_exchange(alice, company, "Deuxième relance")
    assert [n["body"] for n in inbox(bruno) if "Deuxième relance" in (n["body"] or "")] == []
    page.reload()  # the choice is the server's
    expect(page.get_by_test_id("follow-toggle")).to_have_text("Suivre")


def test_a_deal_followed_for_some_kinds_tells_only_of_those(page, people, make_auth):
    alice, bruno = make_auth(people.a), make_auth(people.b)
    deal = DealFactory(name="Copieurs 2027", company=CompanyFactory(name="Dupont SARL"),
                       stage="proposal", owner=people.a)
    page.goto("/")
    login(page, people.b.email)
    open_record(page, f"deals/{deal.id}", "Copieurs 2027")
    page.get_by_role("button", name="Choisir les notifications de cette fiche").tap()
    sheet = page.get_by_test_id("follow-sheet")
    expect(sheet.get_by_role("radio", name="Tout")).to_be_checked()
    sheet.get_by_role("radio", name="Seulement…").check()
    for label in ("Un nouvel échange", "Un changement d\u2019étape", "L\u2019affaire perdue"):
        sheet.get_by_role("checkbox", name=label).uncheck()
    expect(sheet.get_by_role("checkbox", name="L\u2019affaire gagnée")).to_be_checked()
    sheet.get_by_role("button", name="Enregistrer").tap()
    expect(page.get_by_test_id("follow-sheet")).to_have_count(0)
    expect(page.get_by_test_id("follow-toggle")).to_have_text("Suivi")
    expect(page.get_by_test_id("follow-some")).to_have_text("1 type(s) de notification choisi(s)")
    saved = follow_of(bruno, "deal", deal)
    assert (saved["following"], saved["kinds"]) == (True, ["deal_won"])

    version = alice.get(f"/api/deals/{deal.id}").get_json()["version"]
    moved = alice.patch(f"/api/deals/{deal.id}", json={"stage": "negotiation", "version": version})
    assert moved.status_code == 200, moved.get_json()
    assert inbox(bruno) == []  # a stage change: not chosen
    won = alice.patch(f"/api/deals/{deal.id}", json={"stage": "won", "version": version + 1})
    assert won.status_code == 200, won.get_json()
    assert [n["kind"] for n in inbox(bruno)] == ["deal_won"]

    page.reload()  # the sheet opens on what the server holds
    page.get_by_role("button", name="Choisir les notifications de cette fiche").tap()
    sheet = page.get_by_test_id("follow-sheet")
    expect(sheet.get_by_role("radio", name="Seulement…")).to_be_checked()
    expect(sheet.get_by_role("checkbox", name="Un changement d\u2019étape")).not_to_be_checked()
    sheet.get_by_role("button", name="Ne plus suivre").tap()
    expect(page.get_by_test_id("follow-toggle")).to_have_text("Suivre")
    assert follow_of(bruno, "deal", deal)["following"] is False


def test_offline_the_follow_button_waits_for_the_network(page, people):
    company = CompanyFactory(name="Dupont SARL", owner=people.b)  # his own: followed already
    page.goto("/")
    login(page, people.b.email)
    wait_synced(page)
    open_record(page, f"companies/{company.id}", "Dupont SARL")
    button = page.get_by_test_id("follow-toggle")
    expect(button).to_have_text("Suivi")
    page.context.set_offline(True)
    expect(button).to_be_disabled()
    expect(button).to_have_text("Suivi")  # what the server said stays shown
    expect(page.get_by_test_id("follow-offline")).to_have_text(
        "Hors ligne : le suivi a besoin du réseau.")
    page.context.set_offline(False)
    expect(button).to_be_enabled()
    expect(page.get_by_test_id("follow-offline")).to_have_count(0)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_screenshots(browser, live_server, people, make_auth, tmp_path, scheme):
    """A deal page with its follow button and timeline events at 390x844 (kept in
    $TOURNEE_SHOTS when set, to look at)."""
    shots = Path(os.environ.get("TOURNEE_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    alice = make_auth(people.a)
    company = CompanyFactory(name="Dupont SARL", owner=people.b)
    deal = DealFactory(name="Copieurs 2027", company=company, stage="proposal", owner=people.b,
                       amount=12500)
    log_exchange(alice, company, "Relance devis", deal_ids=[str(deal.id)])
    version = alice.get(f"/api/deals/{deal.id}").get_json()["version"]
    assert alice.patch(f"/api/deals/{deal.id}",
                       json={"stage": "negotiation", "version": version}).status_code == 200
    context = browser.new_context(base_url=live_server, locale="fr-FR", color_scheme=scheme,
                                  **PHONE)
    page = context.new_page()
    try:
        page.goto("/")
        login(page, people.b.email)
        wait_synced(page)
        open_record(page, f"deals/{deal.id}", "Copieurs 2027")
        expect(page.get_by_test_id("follow-toggle")).to_have_text("Suivi")
        expect(page.get_by_test_id("timeline-event")).to_have_count(1)
        expect(page.get_by_test_id("timeline-item")).to_have_count(1)
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.screenshot(path=shots / f"h5-deal-bottom-{scheme}.png", animations="disabled")
        page.screenshot(path=shots / f"h5-deal-{scheme}.png", full_page=True,
                        animations="disabled")
        page.get_by_role("button", name="Choisir les notifications de cette fiche").tap()
        page.get_by_test_id("follow-sheet").get_by_role("radio", name="Seulement…").check()
        page.screenshot(path=shots / f"h5-follow-sheet-{scheme}.png", animations="disabled")
        page.get_by_test_id("sheet-close").tap()
        page.set_viewport_size({"width": 360, "height": 740})
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], "the deal page scrolls sideways at 360 px"
    finally:
        context.close()
