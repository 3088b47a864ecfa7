"""Cold load: bytes on the wire for the first screens, from an empty browser cache.

    .venv/bin/python bench/bench_coldload.py

`tournee serve` (the production setup) on the demo data (x1, built as `tournee demo` does),
behind a counting TCP proxy: every byte the server sends is counted per request (status line
and headers apart from the body), so requests made by the service worker count as well as the
page's. Debian's Chromium through Playwright, a French phone (390x844), a fresh context (empty
HTTP cache, no service worker, no IndexedDB):
1. the login screen: goto / until the form is shown and nothing has moved on the wire for 1 s
   (this includes the service worker's install, which precaches the whole shell);
2. log in as the demo salesperson and wait for the home screen, then for 1 s of quiet: the
   API calls and the first sync of the working set (data, reported apart from the shell).
The same twice more with service workers blocked, to show what the page alone needs.
Then the login screen once more behind nginx as bench_lighthouse.py sets it up (docs/deploy.md
gzip for JSON: TLS, HTTP/2), the proxy in front of nginx: every byte on the wire, TLS included,
and nginx's own count per response (headers and body as sent, from its access log).

`tournee serve` compresses the shell's text files itself (brotli when the browser takes it,
else gzip: app/pwa), not the API's JSON: a TLS proxy in front would. "gzip 6" is each body
the app sent uncompressed as nginx's gzip at level 6 sends it for text types (HTML, CSS, JS,
JSON, manifest, SVG; PNG as is), and each compressed one as it was sent, with the same headers
(HTTP/1.1; HTTP/2's header compression would shrink them further).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_http import (  # noqa: E402
    EMAIL,
    PASSWORD,
    TOURNEE,
    free_port,
    served_database,
    wait_until_up,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
COMPRESSIBLE = ("text/", "application/javascript", "application/json",
                "application/manifest+json", "image/svg+xml")


@dataclass
class Exchange:
    """One HTTP request/response seen by the proxy."""

    request: bytes = b""
    response: bytearray = field(default_factory=bytearray)
    done: bool = False

    def path(self) -> str:
        line = self.request.split(b"\r\n", 1)[0].decode(errors="replace").split(" ")
        return line[1] if len(line) > 1 else "?"

    def parts(self) -> tuple[bytes, bytes]:
        head, _, body = bytes(self.response).partition(b"\r\n\r\n")
        return head + b"\r\n\r\n", body

    def content_type(self) -> str:
        return self.header("content-type")

    def header(self, name: str) -> str:
        head, _ = self.parts()
        for line in head.decode(errors="replace").split("\r\n"):
            if line.lower().startswith(f"{name}:"):
                return line.split(":", 1)[1].strip()
        return ""

    def status(self) -> int:
        try:
            return int(self.response[9:12])
        except ValueError:
            return 0


class CountingProxy:
    """TCP proxy that keeps every request's response bytes (one request per connection:
    `tournee serve` closes each connection after its answer)."""

    def __init__(self, target: int) -> None:
        self.target, self.port = target, free_port()
        self.exchanges: list[Exchange] = []
        self.last_activity = time.monotonic()
        self.lock = threading.Lock()
        self.sock = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.target))
        record = Exchange()
        with self.lock:
            self.exchanges.append(record)
        threading.Thread(target=self._up, args=(client, upstream, record), daemon=True).start()
        with client, upstream, contextlib.suppress(OSError):
            while data := upstream.recv(65536):
                record.response += data
                self.last_activity = time.monotonic()
                client.sendall(data)
        record.done = True

    def _up(self, client: socket.socket, upstream: socket.socket, record: Exchange) -> None:
        with contextlib.suppress(OSError):
            while data := client.recv(65536):
                if not record.request:
                    record.request = data
                self.last_activity = time.monotonic()
                upstream.sendall(data)
            upstream.shutdown(socket.SHUT_WR)

    def wait_quiet(self, seconds: float = 1.0, timeout: float = 60) -> None:
        """Until nothing crossed the proxy for `seconds` (live sockets may stay open)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if time.monotonic() - self.last_activity >= seconds:
                return
            time.sleep(0.1)

    def take(self) -> list[Exchange]:
        with self.lock:
            taken, self.exchanges = self.exchanges, []
        return taken

    def close(self) -> None:
        self.sock.close()


def tally(exchanges: list[Exchange]) -> dict:
    """Bytes by kind (shell, API, sync pages, live socket): as served, and with gzip 6."""
    out: dict[str, dict] = {}
    for ex in exchanges:
        path = ex.path().split("?", 1)[0]
        kind = ("live socket" if path == "/api/live" else "sync pages"
                if path.startswith("/api/sync/") else "api" if path.startswith("/api/")
                else "shell")
        head, body = ex.parts()
        if kind == "live socket":  # frames after the 101, not an HTTP body
            head, body = bytes(ex.response), b""
        coding = ex.header("content-encoding")
        identity = {"br": brotli.decompress, "gzip": gzip.decompress}.get(coding, bytes)(body)
        compressible = ex.content_type().startswith(COMPRESSIBLE) and len(body) > 20 \
            and not coding  # sent compressed already: counted as sent
        zipped = len(gzip.compress(body, 6)) if compressible else len(body)
        row = out.setdefault(kind, {"requests": 0, "headers": 0, "body": 0, "body_gzip": 0,
                                    "body_identity": 0, "statuses": {}, "each": []})
        row["body_identity"] += len(identity)
        row["each"].append((path, ex.status(), len(body), zipped))
        row["requests"] += 1
        row["headers"] += len(head)
        row["body"] += len(body)
        row["body_gzip"] += zipped
        row["statuses"][ex.status()] = row["statuses"].get(ex.status(), 0) + 1
    for row in out.values():
        row["served"] = row["headers"] + row["body"]
        row["gzip"] = row["headers"] + row["body_gzip"]
    return out


def run_browser(port: int, proxy: CountingProxy, service_workers: str) -> dict:
    """The two screens in a fresh context; returns the tally of each."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=f"http://127.0.0.1:{port}", locale="fr-FR",
                                      service_workers=service_workers, **PHONE)
        context.set_default_timeout(60_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        proxy.take()
        page.goto("/")
        expect(page.get_by_label("Mot de passe")).to_be_visible()
        if service_workers == "allow":
            page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
        proxy.wait_quiet()
        login = tally(proxy.take())
        page.get_by_label("Adresse e-mail").fill(EMAIL)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_test_id("home-search")).to_be_visible()
        proxy.wait_quiet(2.0)
        home = tally(proxy.take())
        context.close()
        browser.close()
    return {"login": login, "home": home, "errors": errors}


def run_front(setup: str = "nginx") -> dict:
    """Login screen with the service worker through nginx or Caddy (TLS, HTTP/2, gzip for JSON;
    bench_lighthouse's setups), the counting proxy in front: every byte on the wire, TLS
    included. Also the responses and body bytes the proxy logged."""
    from playwright.sync_api import expect, sync_playwright

    from bench.bench_lighthouse import Site

    with tempfile.TemporaryDirectory() as tmp:
        site = Site(Path(tmp), setup)
        proxy = CountingProxy(site.port)
        try:
            with sync_playwright() as pw:
                # The bench's self-signed certificate, trusted by its key: with a certificate
                # error there would be no service worker and no HTTP cache.
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
                    *CHROMIUM_ARGS, f"--ignore-certificate-errors-spki-list={site.spki}"])
                context = browser.new_context(base_url=f"https://127.0.0.1:{proxy.port}",
                                              locale="fr-FR", **PHONE)
                context.set_default_timeout(60_000)
                page = context.new_page()
                proxy.take()
                page.goto("/")
                expect(page.get_by_label("Mot de passe")).to_be_visible()
                page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
                proxy.wait_quiet()
                taken = proxy.take()
                context.close()
                browser.close()
        finally:
            proxy.close()
            site.stop()
        # The app's access log: the requests the browser made through the proxy (the first
        # is the bench's own check that the proxy is up).
        served = [line for line in (Path(tmp) / "serve.log").read_text().splitlines()
                  if '"GET ' in line or '"POST ' in line][1:]
        bodies = headers = None
        if setup == "nginx":  # its log_format bench: status bytes_sent body_bytes_sent ...
            log = (Path(tmp) / setup / "access.log").read_text().splitlines()[1:]
            bodies = sum(int(line.split()[2]) for line in log)
            headers = sum(int(line.split()[1]) for line in log) - bodies
    return {"connections": len(taken), "bytes": sum(len(ex.response) for ex in taken),
            "sent_by_browser": sum(len(ex.request) for ex in taken), "responses": len(served),
            "bodies": bodies, "headers": headers}


def run(modes: tuple[str, ...] = ("allow", "block")) -> dict:
    """Serve the demo data; measure with the service worker allowed and/or blocked."""
    data = served_database(1)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copy(data, folder / "tournee.db")
        port = free_port()
        env = {**os.environ, "TOURNEE_INSTANCE_DIR": tmp,
               "TOURNEE_DATABASE_URL": f"sqlite:///{folder / 'tournee.db'}",
               "TOURNEE_DEMO_ON_EMPTY": "0", "TOURNEE_REDIS_URL": ""}
        with open(folder / "serve.log", "ab") as log:
            server = subprocess.Popen([TOURNEE, "serve", "--port", str(port)], env=env,
                                      cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
            proxy = None
            try:
                wait_until_up(f"http://127.0.0.1:{port}/api/auth/me", server)
                proxy = CountingProxy(port)
                result = {mode: run_browser(proxy.port, proxy, mode) for mode in modes}
            finally:
                if proxy is not None:
                    proxy.close()
                server.send_signal(signal.SIGTERM)
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    server.kill()
    return result


def main() -> None:
    argparse.ArgumentParser(description=__doc__.split("\n", 1)[0]).parse_args()
    print(json.dumps(run(), indent=1))


if __name__ == "__main__":
    main()
