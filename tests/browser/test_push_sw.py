"""The service worker's push path in real Chromium: a pushed message shows its notification and
makes open pages pull; an unreadable one still shows a generic notification; and a tap on the
notification opens the record, in the open window or a new one.

Pushes are delivered by DevTools (CDP ServiceWorker.deliverPushMessage): the browser runs the
worker's real `push` event, as when its push service delivers (headless Chromium has no push
service to subscribe with). Taps: DevTools cannot click a notification, so Chromium is given a
desktop notification server of our own on a private D-Bus session bus, speaking the freedesktop
notification protocol as a desktop does. Chromium then displays its notifications there (they
also stay in `getNotifications()`), and a tap is the server's `ActionInvoked` signal, as when a
person clicks: Chromium runs the worker's real `notificationclick`, with the user activation
that lets it focus a window or open one. That browser runs on a regular (persistent) profile:
Chromium routes a tap by profile, and does not find the off-the-record profiles that Playwright's
new_context() makes (the tap is then dropped). Not covered: a real desktop's or phone's own
drawing of the notification, and Android's or iOS's notification shade.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import threading
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE
from tests.browser.offline import login, wait_synced
from tests.factories import CompanyFactory, DealFactory

pytestmark = pytest.mark.browser

NOTIFICATIONS = """async () => (await navigator.serviceWorker.ready).getNotifications().then(
  (list) => list.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data,
    icon: n.icon, badge: n.badge, renotify: n.renotify,
    actions: n.actions.map((a) => ({ action: a.action, title: a.title })) })))"""


def poll(read, until, timeout: float = 10.0):
    """Read a value again until `until(value)` holds (no fixed sleep); return it."""
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if until(value):
            return value
        assert time.monotonic() < deadline, f"still {value!r} after {timeout} s"
        time.sleep(0.05)


def deliver_push(page, origin: str, payload) -> None:
    """Have Chromium run the worker's `push` event with this payload (DevTools protocol).
    Once the worker is active: a push to a registration whose worker is still installing (its
    precache takes longer on a busy machine) is dropped."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    cdp = page.context.new_cdp_session(page)
    registrations: list[dict] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated",
           lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")

    def ours() -> list[dict]:
        page.evaluate("0")  # the sync API takes in DevTools events during its own calls
        return [r for r in registrations if r["scopeURL"] == f"{origin}/" and not r["isDeleted"]]

    [registration, *_] = poll(ours, bool)
    data = payload if isinstance(payload, str) else json.dumps(payload)
    cdp.send("ServiceWorker.deliverPushMessage",
             {"origin": origin, "registrationId": registration["registrationId"], "data": data})
    cdp.detach()


def notifications_of(page, count: int) -> list[dict]:
    return poll(lambda: page.evaluate(NOTIFICATIONS), lambda shown: len(shown) >= count)


def mute_live(page) -> None:
    """The live socket connects to nothing: only the push can tell this page news."""
    page.route_web_socket(re.compile(r"/api/live"), lambda ws: None)


def payload_for(company, title: str = "Dupont SARL", **extra) -> dict:
    return {"title": title, "body": "Alice Sales · Appel : Relance devis",
            "url": f"/#/companies/{company.id}", "tag": f"company:{company.id}",
            "kind": "exchange_logged", "record": {"type": "company", "id": str(company.id)},
            **extra}


def test_a_push_shows_its_notification_and_open_pages_pull(page, live_server, people,
                                                          make_auth):
    company = CompanyFactory(name="Dupont SARL", owner=people.b)
    page.context.grant_permissions(["notifications"], origin=live_server)
    mute_live(page)
    page.goto("/")
    login(page, people.b.email)
    wait_synced(page)
    page.goto(f"/#/companies/{company.id}")
    expect(page.get_by_role("heading", name="Dupont SARL")).to_be_visible()
    make_auth(people.a).post("/api/exchanges", json={
        "kind": "call", "state": "done", "subject": "Relance devis", "company_id": str(company.id),
        "starts_at": "2026-11-24T09:12:00Z"})  # on the server; this page has not heard of it

    deliver_push(page, live_server, payload_for(company, actions=[
        {"action": "open", "title": "Ouvrir la fiche", "url": f"/#/companies/{company.id}"}]))
    [shown] = notifications_of(page, 1)
    assert shown == {
        "title": "Dupont SARL", "body": "Alice Sales · Appel : Relance devis",
        "tag": f"company:{company.id}", "renotify": True,
        "data": {"url": f"/#/companies/{company.id}", "actions": [
            {"action": "open", "title": "Ouvrir la fiche", "url": f"/#/companies/{company.id}"}]},
        "icon": f"{live_server}/icons/icon-192.png", "badge": f"{live_server}/icons/badge-96.png",
        "actions": [{"action": "open", "title": "Ouvrir la fiche"}]}
    expect(page.get_by_text("Relance devis")).to_be_visible()  # the worker said "pull"


@pytest.mark.parametrize("data", ["pas du JSON", "{}", '{"title": ""}', "[1, 2]"])
def test_an_unreadable_push_still_shows_a_generic_notification(page, live_server, people, data):
    page.context.grant_permissions(["notifications"], origin=live_server)
    page.goto("/")
    login(page, people.b.email)
    wait_synced(page)
    deliver_push(page, live_server, data)
    [shown] = notifications_of(page, 1)
    assert (shown["title"], shown["body"], shown["data"]["url"]) == (
        "Tournée", "Nouvelle activité", "/")


# ---------------------------------------------------------------------------------------------
# A desktop notification server on a private session bus: the D-Bus wire protocol (little
# endian, no file descriptors), just what org.freedesktop.Notifications needs.

ALIGN = {"y": 1, "b": 4, "n": 2, "q": 2, "i": 4, "u": 4, "x": 8, "t": 8, "d": 8, "h": 4,
         "s": 4, "o": 4, "g": 1, "a": 4, "(": 8, "{": 8, "v": 1}
FIXED = {"y": "B", "b": "I", "n": "h", "q": "H", "i": "i", "u": "I", "x": "q", "t": "Q",
         "d": "d", "h": "I"}
HEADER_FIELDS = {1: ("path", "o"), 2: ("interface", "s"), 3: ("member", "s"), 4: ("error", "s"),
                 5: ("reply_serial", "u"), 6: ("destination", "s"), 7: ("sender", "s"),
                 8: ("signature", "g")}
FIELD_CODES = {name: (code, sig) for code, (name, sig) in HEADER_FIELDS.items()}
CALL, RETURN, ERROR, SIGNAL = 1, 2, 3, 4


def complete_types(signature: str) -> list[str]:
    """'susas' -> ['s', 'u', 's', 'as']."""
    def end(i: int) -> int:
        if signature[i] == "a":
            return end(i + 1)
        if signature[i] in "({":
            i += 1
            while signature[i] not in ")}":
                i = end(i)
        return i + 1

    types, i = [], 0
    while i < len(signature):
        types.append(signature[i:end(i)])
        i = end(i)
    return types


def marshal(buf: bytearray, kind: str, value) -> None:
    buf += b"\0" * (-len(buf) % ALIGN[kind[0]])
    code = kind[0]
    if code in FIXED:
        buf += struct.pack("<" + FIXED[code], value)
    elif code in "so":
        buf += struct.pack("<I", len(value.encode())) + value.encode() + b"\0"
    elif code == "g":
        buf += bytes([len(value)]) + value.encode() + b"\0"
    elif code == "v":
        marshal(buf, "g", value[0])
        marshal(buf, value[0], value[1])
    elif code == "a":
        at = len(buf)
        buf += b"\0\0\0\0"
        buf += b"\0" * (-len(buf) % ALIGN[kind[1]])
        start = len(buf)
        for item in value.items() if kind[1] == "{" else value:
            marshal(buf, kind[1:], item)
        struct.pack_into("<I", buf, at, len(buf) - start)
    else:  # struct or dict entry
        for sub, item in zip(complete_types(kind[1:-1]), value, strict=True):
            marshal(buf, sub, item)


def unmarshal(buf: bytes, pos: int, kind: str):
    """(value, next position)."""
    pos += -pos % ALIGN[kind[0]]
    code = kind[0]
    if code in FIXED:
        size = struct.calcsize(FIXED[code])
        return struct.unpack_from("<" + FIXED[code], buf, pos)[0], pos + size
    if code in "so":
        size = struct.unpack_from("<I", buf, pos)[0]
        return buf[pos + 4:pos + 4 + size].decode(), pos + 5 + size
    if code == "g":
        return buf[pos + 1:pos + 1 + buf[pos]].decode(), pos + 2 + buf[pos]
    if code == "v":
        signature, pos = unmarshal(buf, pos, "g")
        return unmarshal(buf, pos, signature)
    if code == "a":
        size, pos = unmarshal(buf, pos, "u")
        pos += -pos % ALIGN[kind[1]]
        items, end = [], pos + size
        while pos < end:
            item, pos = unmarshal(buf, pos, kind[1:])
            items.append(item)
        return (dict(items) if kind[1] == "{" else items), pos
    items = []
    for sub in complete_types(kind[1:-1]):
        item, pos = unmarshal(buf, pos, sub)
        items.append(item)
    return tuple(items), pos


class NotificationServer(threading.Thread):
    """org.freedesktop.Notifications: records what Chromium shows and closes; click() is a
    person tapping the notification (or one of its buttons)."""

    def __init__(self, address: str) -> None:
        super().__init__(daemon=True, name="notification-server")
        params = dict(p.split("=", 1) for p in address.partition(":")[2].split(","))
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(params.get("path") or "\0" + params["abstract"])
        uid = str(os.getuid()).encode().hex().encode()
        self.sock.sendall(b"\0AUTH EXTERNAL " + uid + b"\r\n")
        assert self._read_line().startswith(b"OK")
        self.sock.sendall(b"BEGIN\r\n")
        self.pending = b""
        self.serials = itertools.count(1)
        self.sending = threading.Lock()
        self.ids = itertools.count(1)
        self.lock = threading.Condition()
        self.shown: list[dict] = []
        self.closed: list[int] = []
        self.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "Hello")
        owner = self.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                          "RequestName", "su", ("org.freedesktop.Notifications", 4))
        assert owner["body"] == (1,), owner  # the primary owner of the name

    def _read_line(self) -> bytes:
        line = b""
        while not line.endswith(b"\r\n"):
            line += self.sock.recv(1)
        return line

    def _read(self, size: int) -> bytes:
        while len(self.pending) < size:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError
            self.pending += chunk
        data, self.pending = self.pending[:size], self.pending[size:]
        return data

    def send(self, kind: int, signature: str = "", body=(), **fields) -> int:
        payload = bytearray()
        for sub, value in zip(complete_types(signature), body, strict=True):
            marshal(payload, sub, value)
        if signature:
            fields["signature"] = signature
        serial = next(self.serials)
        message = bytearray(b"l" + bytes([kind, 0, 1]) + struct.pack("<II", len(payload), serial))
        marshal(message, "a(yv)", [(FIELD_CODES[name][0], (FIELD_CODES[name][1], value))
                                   for name, value in fields.items()])
        message += b"\0" * (-len(message) % 8)
        with self.sending:  # the server thread answers while the test thread taps
            self.sock.sendall(bytes(message + payload))
        return serial

    def receive(self) -> dict:
        head = self._read(16)
        body_size, serial, fields_size = struct.unpack_from("<III", head, 4)
        header_size = 16 + fields_size + (-(16 + fields_size) % 8)
        message = head + self._read(header_size - 16 + body_size)
        raw_fields, _ = unmarshal(message, 12, "a(yv)")
        fields = {HEADER_FIELDS[code][0]: value for code, value in raw_fields
                  if code in HEADER_FIELDS}
        body, pos = [], header_size
        for sub in complete_types(fields.get("signature", "")):
            value, pos = unmarshal(message, pos, sub)
            body.append(value)
        return {"kind": head[1], "flags": head[2], "serial": serial, "body": tuple(body),
                **fields}

    def call(self, destination, path, interface, member, signature="", body=()) -> dict:
        serial = self.send(CALL, signature, body, path=path, interface=interface,
                           member=member, destination=destination)
        while True:
            message = self.receive()
            if message.get("reply_serial") == serial:
                return message

    def run(self) -> None:
        try:
            while True:
                message = self.receive()
                if message["kind"] == CALL:
                    self.answer(message)
        except (EOFError, OSError):
            pass  # the bus went away

    def answer(self, call: dict) -> None:
        def reply(signature="", body=()):
            self.send(RETURN, signature, body, reply_serial=call["serial"],
                      destination=call["sender"])

        member = call.get("member")
        if member == "GetCapabilities":
            reply("as", (["actions", "body"],))
        elif member == "GetServerInformation":
            reply("ssss", ("tournee-tests", "tournee", "1.0", "1.2"))
        elif member == "Notify":
            _app, replaces, _icon, summary, body, actions, _hints, _timeout = call["body"]
            number = replaces or next(self.ids)
            reply("u", (number,))  # before anyone can tap it: Chromium learns its id here
            with self.lock:
                self.shown.append({"id": number, "summary": summary, "body": body,
                                   "actions": dict(zip(actions[1::2], actions[::2], strict=True))})
                self.lock.notify_all()
        elif member == "CloseNotification":
            with self.lock:
                self.closed.append(call["body"][0])
                self.lock.notify_all()
            reply()
            self.signal("NotificationClosed", "uu", (call["body"][0], 3))  # 3: closed by call
        else:
            self.send(ERROR, "s", (f"{member} is not implemented here",),
                      reply_serial=call["serial"], destination=call["sender"],
                      error="org.freedesktop.DBus.Error.UnknownMethod")

    def signal(self, member: str, signature: str, body) -> None:
        self.send(SIGNAL, signature, body, path="/org/freedesktop/Notifications",
                  interface="org.freedesktop.Notifications", member=member)

    def click(self, shown: dict, button: str | None = None) -> None:
        """Tap the notification's body, or the button with this label."""
        key = shown["actions"][button] if button else "default"
        self.signal("ActionInvoked", "us", (shown["id"], key))

    def close(self) -> None:
        self.sock.close()
        self.join(timeout=5)

    def wait_shown(self, summary: str, timeout: float = 10.0) -> dict:
        with self.lock:
            assert self.lock.wait_for(
                lambda: any(n["summary"] == summary for n in self.shown), timeout), self.shown
            return [n for n in self.shown if n["summary"] == summary][-1]

    def wait_closed(self, number: int, timeout: float = 10.0) -> None:
        with self.lock:
            assert self.lock.wait_for(lambda: number in self.closed, timeout), self.closed


@pytest.fixture()
def desktop(browser, live_server, tmp_path):
    """A Chromium whose notifications go to our NotificationServer: (context, server).

    A persistent context, i.e. Chromium's regular profile: a tap on a notification of an
    off-the-record profile made by DevTools (what browser.new_context() gives) is closed but
    never reaches the worker, as Chromium looks for the worker in another profile."""
    if not shutil.which("dbus-daemon"):
        pytest.fail("dbus-daemon is not installed (apt-get install dbus-daemon; .ci/run does)")
    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    server = None
    try:
        address = bus.stdout.readline().strip()
        server = NotificationServer(address)
        server.start()
        context = browser.browser_type.launch_persistent_context(
            tmp_path / "profile", executable_path=CHROMIUM, args=CHROMIUM_ARGS,
            env={**os.environ, "DBUS_SESSION_BUS_ADDRESS": address},
            base_url=live_server, locale="fr-FR", bypass_csp=True, **PHONE)
        try:
            context.set_default_timeout(10_000)
            context.grant_permissions(["notifications"], origin=live_server)
            yield context, server
        finally:
            context.close()
    finally:
        bus.kill()
        bus.wait()
        bus.stdout.close()
        if server is not None:
            server.close()


def test_tapping_a_notification_opens_its_record(desktop, live_server, people):
    context, server = desktop
    company = CompanyFactory(name="Dupont SARL", owner=people.b)
    deal = DealFactory(name="Renouvellement 2027", company=company, owner=people.b)
    page = context.pages[0] if context.pages else context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/")
    login(page, people.b.email)
    wait_synced(page)
    page.goto("/#/settings")

    # The body: the open window goes to the record.
    deliver_push(page, live_server, payload_for(company))
    shown = server.wait_shown("Dupont SARL")
    assert shown["body"].endswith("Alice Sales · Appel : Relance devis")
    server.click(shown)
    expect(page).to_have_url(f"{live_server}/#/companies/{company.id}")
    expect(page.get_by_role("heading", name="Dupont SARL")).to_be_visible()
    server.wait_closed(shown["id"])  # the worker closed it
    assert page.evaluate(NOTIFICATIONS) == []

    # A button: its own url wins over the notification's.
    deliver_push(page, live_server, payload_for(company, title="Affaire à suivre", actions=[
        {"action": "deal", "title": "Voir l\u2019affaire", "url": f"/#/deals/{deal.id}"}]))
    shown = server.wait_shown("Affaire à suivre")
    server.click(shown, button="Voir l\u2019affaire")
    expect(page).to_have_url(f"{live_server}/#/deals/{deal.id}")
    expect(page.get_by_role("heading", name="Renouvellement 2027")).to_be_visible()

    # No window left: the tap opens one on the record.
    deliver_push(page, live_server, payload_for(company, title="Appel de Martin"))
    shown = server.wait_shown("Appel de Martin")
    page.close()
    with context.expect_page() as opened:
        server.click(shown)
    window = opened.value
    expect(window).to_have_url(f"{live_server}/#/companies/{company.id}")
    expect(window.get_by_role("heading", name="Dupont SARL")).to_be_visible()
    assert not errors, errors
