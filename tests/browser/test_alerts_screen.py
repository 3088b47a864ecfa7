"""Alerts in the PWA: the home badge and the alerts screen (from the device, so offline too), a
snooze that reaches the server once (online, and offline then online), the record page's badge,
the remedies that open the quick log, and a delivered push notification's button acting on the
alert (real push: the app's job -> the push peer -> Chromium's worker -> a D-Bus tap)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Alert
from tests.browser.conftest import PHONE
from tests.browser.offline import login, wait_live, wait_synced
from tests.browser.test_notifications_screen import subscribe_device
from tests.browser.test_push_sw import deliver_push, desktop, poll  # noqa: F401 (a fixture)
from tests.conftest import run_jobs
from tests.factories import CompanyFactory, DealFactory

pytestmark = pytest.mark.browser


def overdue_deal(owner, name: str = "Renouvellement 2027"):
    """A deal whose expected close date passed yesterday, and its open `deal_overdue` alert."""
    from app.services.alerts.engine import sweep

    company = CompanyFactory(name="Dupont SARL", owner_id=owner.id)
    deal = DealFactory(name=name, company=company, owner_id=owner.id,
                       expected_close_date=date.today() - timedelta(days=1))
    sweep(db.session, now=datetime.now(UTC), rules=["deal_overdue"])
    db.session.commit()
    alert = db.session.query(Alert).filter_by(record_id=deal.id).one()
    return deal, alert


def server_alert(auth, alert) -> dict:
    response = auth.get(f"/api/alerts/{alert.id}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def snoozed_for_a_week(body: dict) -> bool:
    until = datetime.fromisoformat(body["snoozed_until"].replace("Z", "+00:00"))
    return abs(until - (datetime.now(UTC) + timedelta(days=7))) < timedelta(minutes=5)


def test_snoozing_from_the_alerts_screen(page, people, make_auth):
    deal, alert = overdue_deal(people.b)
    bruno = make_auth(people.b)
    version = server_alert(bruno, alert)["version"]
    page.goto("/")
    login(page, people.b.email)
    wait_synced(page)

    entry = page.get_by_test_id("open-alerts")
    expect(entry).to_have_attribute("aria-label", "Alertes : 1 à traiter")
    expect(page.get_by_test_id("alerts-badge")).to_have_text("1")
    entry.tap()
    expect(page.get_by_role("heading", level=1, name="Alertes")).to_be_visible()
    card = page.get_by_test_id("alert-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Renouvellement 2027")
    expect(card).to_contain_text("Date de clôture prévue dépassée")
    expect(card.get_by_test_id("alert-record")).to_have_attribute("href", f"#/deals/{deal.id}")
    for name in ("Consigner un appel", "Planifier une visite", "Reporter 7 j",
                 "J\u2019ai vu", "Ignorer"):
        expect(card.get_by_role("button", name=name)).to_be_visible()

    card.get_by_role("button", name="Reporter 7 j").tap()
    expect(page.get_by_text("Alerte reportée de 7 jours.")).to_be_visible()
    expect(card).to_have_attribute("data-state", "snoozed")
    expect(card.get_by_test_id("alert-state")).to_contain_text("Reportée jusqu\u2019au")
    body = poll(lambda: server_alert(bruno, alert), lambda a: a["state"] == "snoozed")
    assert snoozed_for_a_week(body)
    assert body["version"] == version + 1
    page.goto("/")
    expect(page.get_by_test_id("alerts-badge")).to_have_count(0)  # nothing asks any more
    expect(page.get_by_test_id("open-alerts")).to_have_attribute("aria-label", "Alertes")


def test_snoozing_offline_reaches_the_server_once_back_online(page, people, make_auth):
    deal, alert = overdue_deal(people.b)
    bruno = make_auth(people.b)
    version = server_alert(bruno, alert)["version"]
    page.goto("/")
    login(page, people.b.email)
    wait_synced(page)

    # The deal's page says it has an alert; the badge lists that record's alerts.
    page.goto(f"/#/deals/{deal.id}")
    badge = page.get_by_test_id("record-alert-badge")
    expect(badge).to_have_text("1 alerte")
    page.context.set_offline(True)
    expect(page.get_by_test_id("sync-indicator")).to_have_text("Hors ligne")
    badge.tap()
    expect(page).to_have_url(f"{page.url.split('#')[0]}#/alerts?record={deal.id}")
    card = page.get_by_test_id("alert-card")
    expect(card).to_have_count(1)
    card.get_by_role("button", name="Reporter 7 j").tap()
    expect(card).to_have_attribute("data-state", "snoozed")
    expect(card.get_by_test_id("pending-mark")).to_be_visible()
    expect(page.get_by_test_id("sync-indicator")).to_have_text("Hors ligne · 1 en attente")
    page.reload()  # kept on the device
    expect(page.get_by_test_id("alert-card")).to_have_attribute("data-state", "snoozed")
    assert server_alert(bruno, alert)["state"] == "open"

    page.context.set_offline(False)
    expect(page.get_by_test_id("sync-indicator")).to_contain_text("Synchronisé", timeout=20_000)
    expect(page.get_by_test_id("alert-card").get_by_test_id("pending-mark")).to_have_count(0)
    body = server_alert(bruno, alert)
    assert body["state"] == "snoozed"
    assert snoozed_for_a_week(body)
    assert body["version"] == version + 1  # one update, applied once
    page.goto(f"/#/deals/{deal.id}")
    expect(page.get_by_role("heading", level=1, name="Renouvellement 2027")).to_be_visible()
    expect(page.get_by_test_id("record-alert-badge")).to_have_count(0)


def test_acknowledge_then_dismiss(page, people, make_auth):
    _deal, alert = overdue_deal(people.b)
    bruno = make_auth(people.b)
    page.goto("/")
    login(page, people.b.email)
    wait_synced(page)
    page.goto("/#/alerts")
    card = page.get_by_test_id("alert-card")
    card.get_by_role("button", name="J\u2019ai vu").tap()
    expect(card).to_have_attribute("data-state", "acknowledged")
    expect(card.get_by_role("button", name="J\u2019ai vu")).to_have_count(0)
    poll(lambda: server_alert(bruno, alert)["state"], "acknowledged".__eq__)
    card.get_by_role("button", name="Ignorer").tap()
    expect(page.get_by_test_id("alert-card")).to_have_count(0)  # a dismissed alert leaves
    expect(page.get_by_text("Aucune alerte : tout est à jour.")).to_be_visible()
    poll(lambda: server_alert(bruno, alert)["state"], "dismissed".__eq__)


def test_call_and_visit_remedies_open_the_quick_log(page, people, make_auth):
    deal, _alert = overdue_deal(people.b)
    bruno = make_auth(people.b)
    page.goto("/")
    login(page, people.b.email)
    wait_synced(page)
    page.goto("/#/alerts")
    card = page.get_by_test_id("alert-card")

    card.get_by_role("button", name="Consigner un appel").tap()
    sheet = page.get_by_role("dialog", name="Consigner un échange")
    expect(sheet).to_contain_text("Renouvellement 2027")
    expect(sheet.get_by_role("button", name="Appel", exact=True)).to_have_attribute(
        "aria-pressed", "true")
    sheet.get_by_label("Objet (facultatif)").fill("Point sur la date de signature")
    sheet.get_by_role("button", name="Enregistrer", exact=True).tap()
    expect(page.get_by_role("dialog")).to_have_count(0)

    card.get_by_role("button", name="Planifier une visite").tap()
    sheet = page.get_by_role("dialog", name="Planifier un rendez-vous")
    expect(sheet.get_by_role("button", name="Visite", exact=True)).to_have_attribute(
        "aria-pressed", "true")
    tomorrow = (datetime.now() + timedelta(days=1)).date()
    starts = sheet.get_by_label("Date et heure")
    expect(starts).to_have_value(f"{tomorrow.isoformat()}T09:00")
    starts.fill(f"{tomorrow.isoformat()}T10:30")  # editable
    sheet.get_by_role("button", name="Enregistrer", exact=True).tap()
    expect(page.get_by_role("dialog")).to_have_count(0)

    def exchanges() -> list[dict]:
        return bruno.get(f"/api/exchanges?deal_id={deal.id}").get_json()["items"]

    items = poll(exchanges, lambda items: len(items) >= 2)
    by_kind = {e["kind"]: e for e in items}
    assert by_kind["call"]["state"] == "done"
    assert by_kind["call"]["subject"] == "Point sur la date de signature"
    assert str(deal.id) in by_kind["call"]["deal_ids"]
    visit = by_kind["visit"]
    assert visit["state"] == "planned"
    starts_at = datetime.fromisoformat(visit["starts_at"].replace("Z", "+00:00")).astimezone()
    assert (starts_at.date(), starts_at.hour, starts_at.minute) == (tomorrow, 10, 30)


def test_reassign_hands_the_record_to_a_colleague(page, people, make_auth):
    from app.services.alerts.engine import sweep

    company = CompanyFactory(name="Boulangerie Martin", owner_id=people.b.id, status="prospect",
                             created_at=datetime.now(UTC) - timedelta(days=4))
    sweep(db.session, now=datetime.now(UTC), rules=["prospect_untouched"])
    db.session.commit()
    page.goto("/")
    login(page, people.b.email)
    wait_synced(page)
    page.goto("/#/alerts")
    card = page.get_by_test_id("alert-card")
    expect(card).to_contain_text("Prospect jamais contacté")
    card.get_by_role("button", name="Réattribuer").tap()
    sheet = page.get_by_role("dialog", name="Confier à")
    expect(sheet).to_contain_text("Boulangerie Martin")
    expect(sheet.get_by_role("button", name="Bruno Sales (moi)")).to_contain_text(
        "Responsable actuel")
    sheet.get_by_role("button", name="Alice Sales").tap()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_text("Fiche confiée à Alice Sales.")).to_be_visible()
    bruno = make_auth(people.b)
    poll(lambda: bruno.get(f"/api/companies/{company.id}").get_json()["owner_id"],
         str(people.a.id).__eq__)


def test_a_live_alert_refreshes_the_screen_and_its_notice_leads_to_it(page, people):
    page.goto("/")
    login(page, people.b.email)
    wait_synced(page)
    page.goto("/#/alerts")
    expect(page.get_by_text("Aucune alerte : tout est à jour.")).to_be_visible()
    wait_live(page)

    _deal, alert = overdue_deal(people.b)  # the server's sweep opens it: told live
    expect(page.get_by_test_id("alert-card")).to_have_count(1)
    expect(page.get_by_test_id("alert-card")).to_contain_text("Renouvellement 2027")
    notice = page.get_by_test_id("notice")
    expect(notice).to_contain_text("Date de clôture prévue dépassée")
    expect(notice.get_by_role("link", name="Voir")).to_have_attribute(
        "href", f"#/alerts/{alert.id}")
    notice.get_by_role("link", name="Voir").tap()
    expect(page.get_by_role("heading", level=1, name="Alerte")).to_be_visible()
    expect(page.get_by_test_id("alert-card")).to_have_attribute("data-id", str(alert.id))


def test_a_push_notification_button_snoozes_the_alert(desktop, live_server, app, people,  # noqa: F811
                                                      make_auth, push_peer):
    context, server = desktop
    bruno = make_auth(people.b)
    subscribe_device(bruno, push_peer, "Chrome · Linux")
    page = context.pages[0] if context.pages else context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/")
    login(page, people.b.email)
    wait_synced(page)
    page.goto("/#/settings")

    _deal, alert = overdue_deal(people.b)
    run_jobs(app)  # the push job: encrypted to the push peer, as to a real push service
    [delivery] = push_peer.wait_for(1)
    payload = delivery.payload
    assert (payload["kind"], payload["alert_id"]) == ("alert", str(alert.id))

    deliver_push(page, live_server, payload)  # what the push service hands the browser
    shown = server.wait_shown("Renouvellement 2027")
    assert "Date de clôture prévue dépassée" in shown["body"]
    assert "Reporter 7 j" in shown["actions"]
    server.click(shown, button="Reporter 7 j")
    expect(page).to_have_url(f"{live_server}/#/alerts/{alert.id}")  # ?do= done and dropped
    card = page.get_by_test_id("alert-card")
    expect(card).to_have_attribute("data-state", "snoozed")
    body = poll(lambda: server_alert(bruno, alert), lambda a: a["state"] == "snoozed")
    assert snoozed_for_a_week(body)

    # A plain tap opens the alert.
    page.goto("/#/settings")
    deliver_push(page, live_server, {**payload, "title": "Encore en retard"})
    shown = server.wait_shown("Encore en retard")
    server.click(shown)
    expect(page).to_have_url(f"{live_server}/#/alerts/{alert.id}")
    expect(page.get_by_role("heading", level=1, name="Alerte")).to_be_visible()
    assert not errors, errors


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_screenshots(browser, live_server, people, make_auth, tmp_path, scheme):
    """Alerts, home with its tasks and badges, a deal with its badge, the task sheet, at 390x844
    in both themes (kept in $TOURNEE_SHOTS when set, to look at); nothing scrolls sideways at
    360 px."""
    shots = Path(os.environ.get("TOURNEE_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    deal, _alert = overdue_deal(people.b)
    from app.services.alerts.engine import sweep

    CompanyFactory(name="Boulangerie Martin", owner_id=people.b.id, status="prospect",
                   created_at=datetime.now(UTC) - timedelta(days=4))
    sweep(db.session, now=datetime.now(UTC), rules=["prospect_untouched"])
    db.session.commit()
    alice = make_auth(people.a)
    now = datetime.now(UTC)
    for title, days, priority in (("Relancer la facture de novembre", -1, "high"),
                                  ("Envoyer le catalogue 2027", 2, "normal"),
                                  ("Préparer la visite annuelle", None, "low")):
        alice.post("/api/tasks", json={
            "title": title, "assignee_id": str(people.b.id), "priority": priority,
            "deal_id": str(deal.id),
            "due_at": (now + timedelta(days=days)).isoformat() if days is not None else None})
    context = browser.new_context(base_url=live_server, locale="fr-FR", color_scheme=scheme,
                                  **PHONE)
    page = context.new_page()
    try:
        page.goto("/")
        login(page, people.b.email)
        wait_synced(page)
        expect(page.get_by_test_id("home-tasks").get_by_test_id("task-card")).to_have_count(3)
        page.screenshot(path=shots / f"h4-home-{scheme}.png")
        page.goto("/#/alerts")
        expect(page.get_by_test_id("alert-card")).to_have_count(3)  # and the late task's
        page.screenshot(path=shots / f"h4-alerts-{scheme}.png", full_page=True)
        page.goto(f"/#/deals/{deal.id}")
        expect(page.get_by_test_id("record-alert-badge")).to_be_visible()
        page.screenshot(path=shots / f"h4-deal-{scheme}.png")
        page.get_by_role("button", name="Transmettre une consigne").tap()
        expect(page.get_by_role("dialog")).to_be_visible()
        page.screenshot(path=shots / f"h4-task-sheet-{scheme}.png")
        page.get_by_test_id("sheet-close").tap()
        page.goto("/#/tasks")
        expect(page.get_by_test_id("task-card")).to_have_count(3)
        page.screenshot(path=shots / f"h4-tasks-{scheme}.png", full_page=True)
        page.get_by_test_id("task-card").first.tap()
        expect(page.get_by_test_id("task-page")).to_be_visible()
        page.screenshot(path=shots / f"h4-task-{scheme}.png")
        page.set_viewport_size({"width": 360, "height": 740})
        for route in ("/", "/alerts", f"/deals/{deal.id}", "/tasks"):
            page.goto(f"/#{route}")
            expect(page.get_by_test_id("sync-indicator")).to_be_visible()
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], f"{route} scrolls sideways at 360 px"
        page.goto("/#/alerts")
        expect(page.get_by_test_id("alert-card")).to_have_count(3)  # and the late task's
        page.screenshot(path=shots / f"h4-alerts-{scheme}-360.png", full_page=True)
    finally:
        context.close()
