"""A real server process that can be SIGKILLed, and a proxy that can lose answers.

Used by the sync chaos tests: the app runs as `tournee run` in its own process on a SQLite
file, so killing it is a real crash; the proxy sits between Chromium and the server and, when
told to, forwards a push to the server, waits for the server's whole answer (so the server has
committed) and then drops the connection without answering.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from tests.databases import fresh_database

ROOT = Path(__file__).resolve().parents[1]
TOURNEE = Path(sys.executable).with_name("tournee")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """`tournee run` on a SQLite file in `folder` (or a fresh PostgreSQL database when the
    suite runs on PostgreSQL); start(), kill() (SIGKILL), start() again. Give `database_url`
    for several processes on one database."""

    def __init__(self, folder: Path, port: int, env: dict[str, str] | None = None,
                 database_url: str | None = None) -> None:
        self.folder, self.port = folder, port
        self.database_url = database_url or fresh_database(folder, "tournee")
        self.env = {**os.environ, "TOURNEE_INSTANCE_DIR": str(folder), "PORT": str(port),
                    "TOURNEE_DEMO_ON_EMPTY": "0", "TOURNEE_DATABASE_URL": self.database_url,
                    **(env or {})}
        self.proc: subprocess.Popen | None = None
        subprocess.run([TOURNEE, "init-db"], env=self.env, check=True, capture_output=True)

    def create_user(self, email: str, password: str, role: str = "sales") -> None:
        subprocess.run([TOURNEE, "create-user", "--email", email, "--name", email.split("@")[0],
                        "--role", role], input=f"{password}\n{password}\n", text=True,
                       env=self.env, check=True, capture_output=True)

    def start(self) -> None:
        self.log = open(self.folder / "server.log", "ab")  # noqa: SIM115 (closed by kill())
        self.proc = subprocess.Popen([TOURNEE, "run", "--no-demo"], env=self.env, stdout=self.log,
                                     stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/auth/me", timeout=1)
            except urllib.error.HTTPError:
                return  # 401: it answers
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        """A crash: no shutdown, no flush."""
        if self.proc is not None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
            self.proc = None
            self.log.close()


class LossyProxy:
    """TCP proxy on its own port; the answers of the pushes numbered in `drop` (1-based) are
    lost after the server committed them."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = free_port()
        self.drop: set[int] = set()
        self.on_push = None  # called with no argument when a push request goes through
        self.pushes_seen = 0
        self.dropped = 0
        self._server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        # One request per connection keeps the proxy simple: ask the server to close after it.
        with client:
            request = _read_request(client)
            if request is None:
                return
            is_push = request.startswith(b"POST /api/sync/push")
            number = 0
            if is_push:
                self.pushes_seen += 1
                number = self.pushes_seen
                if self.on_push is not None:
                    self.on_push()
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=30)
            except OSError:
                return  # server down: the client sees a dropped connection
            with upstream:
                upstream.sendall(_close_after(request))
                answer = _read_all(upstream)
            if number in self.drop and answer:
                self.dropped += 1
                return  # committed on the server, lost on the way back
            client.sendall(answer)


def _read_request(sock: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def _close_after(request: bytes) -> bytes:
    head, _, body = request.partition(b"\r\n\r\n")
    lines = [ln for ln in head.split(b"\r\n") if not ln.lower().startswith(b"connection:")]
    return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while True:
        try:
            chunk = sock.recv(65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)
