"""The PWA's own outbox through a crash and a lost answer: 0 lost, 0 duplicated.

The server is a real `tournee run` process behind a proxy (tests/chaos.py); Chromium talks to
the proxy. Calls are logged offline, then the network returns while the proxy drops the answer
of the first push after the server committed it, and the server is SIGKILLed and restarted
while it handles the second.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.offline import log_call, login, wait_synced
from tests.chaos import LossyProxy, ServerProcess, free_port
from tests.databases import query
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser
CALLS = 60  # more than one push batch (50)


def test_outbox_survives_a_crash_and_a_lost_answer(browser, tmp_path):
    server = ServerProcess(tmp_path, free_port())
    server.create_user("vendeur@example.fr", PASSWORD)
    server.start()
    proxy = LossyProxy(server.port)
    base = f"http://127.0.0.1:{proxy.port}"
    context = browser.new_context(base_url=base, locale="fr-FR", **PHONE)
    page = context.new_page()
    try:
        page.goto("/")
        login(page, "vendeur@example.fr")
        csrf = page.request.get("/api/auth/me").json()["csrf_token"]
        company = str(uuid.uuid4())
        assert page.request.post("/api/companies", data={"id": company, "name": "Dupont SARL"},
                                 headers={"X-CSRF-Token": csrf}).ok
        page.reload()
        wait_synced(page)
        context.set_offline(True)
        page.goto(f"/#/companies/{company}")
        for i in range(CALLS):
            log_call(page, subject=f"Appel {i:02d}")
        expect(page.get_by_test_id("sync-indicator")).to_contain_text(f"{CALLS} en attente")

        first = proxy.pushes_seen + 1
        proxy.drop = {first}  # committed, answer lost

        crashes: list[int] = []

        def crash_on_second_push() -> None:
            if proxy.pushes_seen == first + 1:
                crashes.append(proxy.pushes_seen)
                threading.Timer(0.005, lambda: (server.kill(), server.start())).start()

        proxy.on_push = crash_on_second_push
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(page.get_by_test_id("sync-indicator")).to_contain_text("Synchronisé",
                                                                      timeout=60_000)
        assert proxy.dropped == 1 and crashes == [first + 1]
        subjects = [r[0] for r in query(
            server.database_url, "SELECT subject FROM exchanges WHERE deleted_at IS NULL")]
        assert sorted(subjects) == [f"Appel {i:02d}" for i in range(CALLS)]
    finally:
        context.close()
        proxy.close()
        server.kill()
