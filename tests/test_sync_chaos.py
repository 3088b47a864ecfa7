"""Exactly once across crashes: a server SIGKILLed mid-drain, answers lost after commit.

The app runs as a real `tournee run` process on a SQLite file; a device is played by a small
HTTP client that behaves like the outbox (same batch resent until answered).
"""

from __future__ import annotations

import http.cookiejar
import json
import threading
import urllib.error
import urllib.request
import uuid

import pytest

from tests.chaos import LossyProxy, ServerProcess, free_port
from tests.databases import query

PASSWORD = "chaos-password-1"
N = 120
BATCH = 20


class Device:
    """Logs in, then drains an outbox of N exchanges through `base`, resending on any error."""

    def __init__(self, base: str, count: int = N) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.csrf = ""
        self.client_id = str(uuid.uuid4())
        self.outbox = [{"seq": i, "entity": "exchange", "op": "create", "id": str(uuid.uuid4()),
                        "data": {"kind": "call", "starts_at": "2026-11-24T09:00:00Z",
                                 "subject": f"Appel {i}"}} for i in range(1, count + 1)]
        self.statuses: list[str] = []

    def call(self, path: str, body: dict) -> dict:
        request = urllib.request.Request(
            self.base + path, data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json", "X-CSRF-Token": self.csrf})
        with self.opener.open(request, timeout=10) as response:
            return json.loads(response.read())

    def login(self, email: str) -> None:
        self.csrf = self.call("/api/auth/login", {"email": email, "password": PASSWORD})[
            "csrf_token"]

    def drain(self, attempts: int = 400, size: int = BATCH) -> None:
        for _ in range(attempts):
            if not self.outbox:
                return
            batch = self.outbox[:size]
            try:
                answer = self.call("/api/sync/push", {"client_id": self.client_id,
                                                      "mutations": batch})
            except (OSError, urllib.error.URLError, json.JSONDecodeError):
                threading.Event().wait(0.05)  # back off a little; the test restarts the server
                continue
            self.statuses += [r["status"] for r in answer["results"]]
            self.outbox = self.outbox[len(batch):]
        raise AssertionError("outbox never drained")


@pytest.fixture()
def server(tmp_path):
    srv = ServerProcess(tmp_path, free_port())
    srv.create_user("vendeur@example.fr", PASSWORD)
    srv.start()
    yield srv
    srv.kill()


def exchanges_on_disk(server: ServerProcess) -> list[tuple]:
    return query(server.database_url, "SELECT id, subject FROM exchanges")


def test_answers_lost_after_commit_are_resent_as_duplicates(server):
    proxy = LossyProxy(server.port)
    proxy.drop = {1, 3, 5}  # first batch, then the 2nd and 3rd batches' first sendings
    device = Device(f"http://127.0.0.1:{proxy.port}")
    device.login("vendeur@example.fr")
    device.drain()
    proxy.close()
    rows = exchanges_on_disk(server)
    assert proxy.dropped == 3
    assert len(rows) == N and len({r[0] for r in rows}) == N
    # Each lost batch was sent twice; the answer the device finally got says "duplicate".
    assert proxy.pushes_seen == N // BATCH + 3
    assert device.statuses.count("duplicate") == 3 * BATCH
    assert device.statuses.count("applied") == N - 3 * BATCH


def test_server_killed_mid_drain_and_restarted(server):
    proxy = LossyProxy(server.port)
    kills = {"left": 2}

    def crash_sometimes() -> None:
        # Kill the server while it is handling every third push, then bring it back.
        if proxy.pushes_seen % 3 == 0 and kills["left"]:
            kills["left"] -= 1
            threading.Timer(0.005, lambda: (server.kill(), server.start())).start()

    proxy.on_push = crash_sometimes
    device = Device(f"http://127.0.0.1:{proxy.port}")
    device.login("vendeur@example.fr")
    device.drain()
    proxy.close()
    rows = exchanges_on_disk(server)
    assert kills["left"] == 0
    assert len(rows) == N and len({r[0] for r in rows}) == N
    assert sorted(r[1] for r in rows) == sorted(f"Appel {i}" for i in range(1, N + 1))
