"""`tournee serve` as production runs it: gunicorn, two processes sharing the machine's Redis.

One server for the module (on an empty SQLite file: it migrates once, before the fork). Its
processes hold 4 connections each, so 6 sockets land on both of them; a write made through
either reaches all 6. Behind a proxy (TOURNEE_PROXY_COUNT=1) an https page may open the live
socket; the access log names no query and no calendar token. Several processes without Redis
are refused before anything is touched.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
import redis
import requests
from simple_websocket import ConnectionError

from tests.chaos import ROOT, TOURNEE, free_port
from tests.factories import PASSWORD
from tests.test_live_socket import REDIS_URL, PortClient, connect, log, login, next_message

THREADS = 4  # connections per process: 6 sockets cannot all fit in one


class Served:
    """A `tournee serve` process, its log, and its workers' pids."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        self.prefix = f"test-serve-{uuid.uuid4().hex}"
        self.env = {**os.environ, "TOURNEE_INSTANCE_DIR": str(folder), "PORT": str(self.port),
                    "TOURNEE_DATABASE_URL": f"sqlite:///{folder / 'tournee.db'}",
                    "TOURNEE_REDIS_URL": REDIS_URL, "TOURNEE_REDIS_PREFIX": self.prefix,
                    "TOURNEE_WORKERS": "2", "TOURNEE_THREADS": str(THREADS),
                    "TOURNEE_PROXY_COUNT": "1", "TOURNEE_GRACEFUL_TIMEOUT": "3",
                    "TOURNEE_DEMO_ON_EMPTY": "1"}  # `serve` never loads the demo
        self.log_path = folder / "serve.log"
        self._log = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen([TOURNEE, "serve"], env=self.env, cwd=ROOT,
                                     stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log()
            try:
                urllib.request.urlopen(f"http://{self.host}/api/auth/me", timeout=1)
            except urllib.error.HTTPError:
                if len(self.workers()) == 2:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"tournee serve did not start:\n{self.log()}")

    def workers(self) -> list[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.proc.pid)],
                             capture_output=True, text=True, check=False).stdout
        return sorted(int(pid) for pid in out.split())

    def create_user(self, email: str) -> None:
        subprocess.run([TOURNEE, "create-user", "--email", email, "--name", email.split("@")[0]],
                       input=f"{PASSWORD}\n{PASSWORD}\n", text=True, env=self.env, check=True,
                       capture_output=True)

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def wait_for(self, text: str, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while text not in self.log():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=15)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            self._log.close()
            client = redis.Redis.from_url(REDIS_URL)
            keys = list(client.scan_iter(f"{self.prefix}*"))
            if keys:
                client.delete(*keys)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        pytest.fail("Redis must run on 127.0.0.1:6379 (see README)")
    server = Served(tmp_path_factory.mktemp("serve"))
    server.create_user("ana@example.fr")
    server.create_user("ben@example.fr")
    yield server
    assert server.stop() == 0, server.log()  # SIGTERM: a graceful stop


def socket_owners(port: int, pids: list[int]) -> dict[int, int]:
    """Which process holds each connection to `port`, by the client's port (from /proc)."""
    inodes = {}
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes[int(target[8:-1])] = pid
    owners = {}
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, inode = fields[1], fields[2], int(fields[9])
        if int(local.split(":")[1], 16) == port and inode in inodes:
            owners[int(remote.split(":")[1], 16)] = inodes[inode]
    return owners


def test_two_processes_migrated_once_and_a_write_reaches_sockets_on_both(served):
    ana, ben = login(served.host, "ana@example.fr"), login(served.host, "ben@example.fr")
    sockets = [connect(served.host, ben) for _ in range(6)]
    try:
        workers = served.workers()
        owners = socket_owners(served.port, workers)
        held_by = {owners[ws.sock.getsockname()[1]] for ws in sockets}
        assert len(workers) == 2 and held_by == set(workers)  # sockets on both processes

        # Each process subscribes to Redis on its first socket: early writes may come first.
        heard, deadline = [False] * len(sockets), time.monotonic() + 10
        while not all(heard) and time.monotonic() < deadline:
            log(ana, served.host, subject="Relance")
            for i, ws in enumerate(sockets):
                while (message := next_message(ws, timeout=0 if heard[i] else 1.0)) is not None:
                    heard[i] = heard[i] or message["type"] == "changes"
        assert all(heard), heard
    finally:
        for ws in sockets:
            ws.close()
    text = served.log()
    assert text.count("Running upgrade  -> ") == 1  # migrated by the master, not per process
    assert "Demo data" not in text and "Traceback" not in text


def test_behind_a_proxy_an_https_page_opens_the_live_socket(served):
    ben = login(served.host, "ben@example.fr")
    cookie = "; ".join(f"{k}={v}" for k, v in ben.cookies.items())
    origin = f"https://{served.host}"  # the page as the browser sees it, through TLS

    ws = PortClient.connect(f"ws://{served.host}/api/live", headers={
        "Origin": origin, "Cookie": cookie, "X-Forwarded-Proto": "https"})
    ws.close()
    with pytest.raises(ConnectionError) as plain:  # no proxy said https: another origin
        PortClient.connect(f"ws://{served.host}/api/live",
                           headers={"Origin": origin, "Cookie": cookie})
    requests.get(f"http://{served.host}/api/auth/me",
                 headers={"X-Forwarded-For": "203.0.113.7, 198.51.100.2"})

    assert plain.value.status_code == 403
    # The access log names the client as the (one) proxy saw it, not what the client claims.
    assert served.wait_for('198.51.100.2 "GET /api/auth/me HTTP/1.1" 401')


def test_the_access_log_names_no_query_and_no_calendar_token(served):
    requests.get(f"http://{served.host}/calendar/s3cr3t-t0ken.ics")
    requests.get(f"http://{served.host}/api/search?q=Dupont")

    # A line is written once its answer has gone: wait for it.
    assert served.wait_for('"GET /calendar/….ics HTTP/1.1" 404')
    assert served.wait_for('"GET /api/search HTTP/1.1" 401')
    text = served.log()
    assert "s3cr3t" not in text and "Dupont" not in text


def test_several_processes_without_redis_are_refused_before_anything_is_touched(tmp_path):
    env = {**os.environ, "TOURNEE_INSTANCE_DIR": str(tmp_path), "PORT": str(free_port()),
           "TOURNEE_DATABASE_URL": f"sqlite:///{tmp_path / 'tournee.db'}"}
    env.pop("TOURNEE_REDIS_URL", None)

    done = subprocess.run([TOURNEE, "serve", "--workers", "3"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=30, check=False)

    assert done.returncode == 1
    assert "3 processes need TOURNEE_REDIS_URL" in done.stderr
    assert not (tmp_path / "tournee.db").exists()


def test_forwarded_headers_are_ignored_unless_a_proxy_is_configured(client, auth, people):
    auth.login(people.b.email)
    headers = {"Origin": "https://localhost", "X-Forwarded-Proto": "https",
               "Upgrade": "websocket", "Connection": "Upgrade"}

    response = client.get("/api/live", headers=headers)

    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden_origin"
