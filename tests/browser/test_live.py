"""The live socket: a colleague's exchange reaches an open timeline without a reload, with an
in-app notification; a private one reaches nobody else; a lost socket comes back and pulls."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.offline import log_exchange, login, wait_live, wait_synced
from tests.factories import CompanyFactory

pytestmark = pytest.mark.browser

# Every notice the page shows, even one replaced by the next before the test looks.
RECORD_NOTICES = """() => {
  window.__notices = [];
  new MutationObserver(() => {
    const notice = document.querySelector('[data-testid="notice"]');
    const text = notice && notice.textContent;
    if (text && window.__notices.at(-1) !== text) window.__notices.push(text);
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
}"""


def frames_of(page) -> list[str]:
    """Every text frame the page's WebSockets receive from now on."""
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(
        payload if isinstance(payload, str) else payload.decode())))
    return frames


def test_a_colleague_s_exchange_shows_live_with_a_notification(page, people, make_auth):
    company = CompanyFactory(name="Dupont SARL", owner=people.b)
    alice = make_auth(people.a)
    frames = frames_of(page)
    page.goto("/")
    login(page, people.b.email)
    wait_synced(page)
    page.goto(f"/#/companies/{company.id}")
    expect(page.get_by_role("heading", name="Dupont SARL")).to_be_visible()
    wait_live(page)
    page.evaluate(RECORD_NOTICES)

    log_exchange(alice, company, "Appel privé d'Alice", private=True)  # Bruno takes no part
    sent = time.monotonic()
    log_exchange(alice, company, "Relance devis en direct")
    expect(page.get_by_text("Relance devis en direct")).to_be_visible(timeout=5_000)
    latency = time.monotonic() - sent
    print(f"\nlive: the colleague's exchange was on screen {latency * 1000:.0f} ms after its POST")
    assert latency < 2.0

    notice = page.get_by_test_id("notice")
    expect(notice).to_contain_text("Dupont SARL")
    expect(notice).to_contain_text("Alice Sales · Appel : Relance devis en direct")
    expect(notice.get_by_role("link", name="Voir")).to_have_attribute(
        "href", f"#/companies/{company.id}")

    # The private exchange came first on the same socket: had anything leaked, it is here.
    assert page.get_by_text("Appel privé d'Alice").count() == 0
    assert not any("privé" in text for text in page.evaluate("window.__notices"))
    assert not any("privé" in frame for frame in frames)
    kinds = [json.loads(frame)["type"] for frame in frames]
    assert kinds.count("notification") == 1, kinds


def test_the_notice_link_opens_the_record(page, people, make_auth, tmp_path):
    company = CompanyFactory(name="Martin & Fils", owner=people.b)
    alice = make_auth(people.a)
    page.goto("/")
    login(page, people.b.email)
    wait_synced(page)
    wait_live(page)
    log_exchange(alice, company, "Visite de courtoisie")
    notice = page.get_by_test_id("notice")
    expect(notice).to_contain_text("Martin & Fils")
    shots = Path(os.environ.get("TOURNEE_SHOTS") or tmp_path)  # to look at, when set
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=shots / "live-notice-light.png", animations="disabled")
    page.emulate_media(color_scheme="dark")
    page.screenshot(path=shots / "live-notice-dark.png", animations="disabled")
    notice.get_by_role("link", name="Voir").tap()
    expect(page.get_by_role("heading", name="Martin & Fils")).to_be_visible()
    expect(page.get_by_text("Visite de courtoisie")).to_be_visible()
    expect(page.get_by_test_id("notice")).to_have_count(0)


def test_a_dropped_socket_comes_back_and_pulls(browser, switchable_server, people, make_auth):
    company = CompanyFactory(name="Leroy Bâtiment", owner=people.b)
    alice = make_auth(people.a)
    context = browser.new_context(base_url=switchable_server.url, locale="fr-FR", **PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    try:
        page.goto("/")
        login(page, people.b.email)
        wait_synced(page)
        page.goto(f"/#/companies/{company.id}")
        wait_live(page)
        assert len(sockets) == 1 and sockets[0].endswith("/api/live?lang=fr")

        switchable_server.down()  # the server goes away, and its sockets with it
        wait_live(page, connected=False)
        log_exchange(alice, company, "Pendant la coupure")  # nobody is listening
        switchable_server.up()

        wait_live(page, timeout=20_000)  # backoff: 1 s, 2 s, 4 s... ceilings, full jitter
        expect(page.get_by_text("Pendant la coupure")).to_be_visible()  # pulled on open
        assert len(sockets) >= 2
    finally:
        context.close()


def wait_until(predicate, timeout: float = 10.0) -> None:
    """Poll a server-side condition (no sleep-and-hope: fail when it never comes true)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition never met"
        time.sleep(0.05)


def test_the_socket_closes_on_logout_and_stays_closed(page, app, people):
    broker = app.extensions["live"]
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.goto("/")
    login(page, people.b.email)
    wait_live(page)
    wait_until(lambda: broker.connections() == 1)

    page.goto("/#/settings")
    page.get_by_test_id("logout").tap()
    expect(page.get_by_label("Adresse e-mail")).to_be_visible()
    wait_live(page, connected=False)
    wait_until(lambda: broker.connections() == 0)
    page.evaluate("""() => {  // what would reconnect a live socket that was still wanted
      window.dispatchEvent(new Event('online'));
      document.dispatchEvent(new Event('visibilitychange'));
    }""")
    expect(page.get_by_label("Adresse e-mail")).to_be_visible()
    assert len(sockets) == 1 and broker.connections() == 0
