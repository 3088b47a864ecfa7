"""Live hints: commit-to-receipt latency over 200 open sockets, and memory per idle socket.

    .venv/bin/python bench/bench_live.py [--sockets 200] [--users 20] [--writes 50]
        [--gap-ms 100] [--threads 128] [--setups embedded,production]

Two server setups, each on a fresh SQLite instance folder in a temp directory:
- embedded: one `tournee run` process (Werkzeug threaded server, in-process broker, Huey on
  SQLite), started as tests/chaos.py's ServerProcess does;
- production: `gunicorn -k gthread -w 2 --threads T 'app:create_app()'` with the live broker and
  the job queue on this machine's Redis (127.0.0.1:6379, a unique prefix per run), plus one
  `tournee worker` process. The database stays SQLite.

Users are created with the app's create_user service in this process (what
`tournee create-user` runs), after `tournee init-db`. Each user logs in over HTTP; the sockets
(spread evenly over the users) live in a separate client process, so its GIL is not the
writer's: opened all at once (a thread per handshake, 45 s timeout, longer than SQLAlchemy's
30 s pool timeout), then read by one thread and one epoll selector for all of them (a minimal
RFC 6455 client: Host sent with the port, frames parsed by hand, pings answered). If a
warm-up write fails, the app is reported stalled and no latency is measured. Once every
socket has heard a warm-up write, one user POSTs `--writes` public exchanges to
/api/exchanges, one every `--gap-ms`; each socket should get one `{"type": "changes"}` hint
per write. Server logs are scanned for tracebacks, 5xx, warnings and "locked".

Measured: for each (write, socket) pair, receipt time minus t0, the moment the client sent the
POST (CLOCK_MONOTONIC in both client processes); baseline: the POST round-trip itself. Memory:
VmRSS and Threads from /proc of the server processes (gunicorn: master + workers) with 0
sockets, then with all sockets open and idle after a settle.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import math
import multiprocessing
import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

import redis
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.chaos import TOURNEE, ServerProcess, free_port  # noqa: E402

GUNICORN = Path(sys.executable).with_name("gunicorn")
REDIS_URL = "redis://127.0.0.1:6379/0"
PASSWORD = "bench-live-password"
HANDSHAKE_TIMEOUT = 45  # longer than SQLAlchemy's pool timeout (30 s): see the server's answer
WRITE_TIMEOUT = 45


# -- the socket client (runs in its own process) ------------------------------------------------

class Socket:
    """One WebSocket: its TCP socket, unparsed bytes, and what it received (time, text)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buf = bytearray()
        self.got: list[tuple[float, bytes]] = []
        self.closed: str | None = None


def handshake(port: int, cookie: str) -> Socket:
    """Open /api/live as a browser on http://127.0.0.1:<port> would (Host with the port)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=HANDSHAKE_TIMEOUT)
    key = base64.b64encode(os.urandom(16)).decode()
    host = f"127.0.0.1:{port}"
    sock.sendall((f"GET /api/live?lang=fr HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                  f"Sec-WebSocket-Version: 13\r\nOrigin: http://{host}\r\n"
                  f"Cookie: {cookie}\r\n\r\n").encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("closed during the handshake")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    status = head.split(b"\r\n", 1)[0]
    if b" 101 " not in status + b" ":
        raise ConnectionError(status.decode(errors="replace"))
    ws = Socket(sock)
    ws.buf += rest
    sock.setblocking(False)
    return ws


def client_frame(opcode: int, payload: bytes) -> bytes:
    """A masked frame from the client (payloads here are < 126 bytes: pongs, close)."""
    mask = os.urandom(4)
    body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + body


def parse(ws: Socket, at: float) -> None:
    """Take the whole frames out of ws.buf: texts are kept, pings answered."""
    buf = ws.buf
    while len(buf) >= 2:
        opcode, length, start = buf[0] & 0x0F, buf[1] & 0x7F, 2
        if length == 126:
            if len(buf) < 4:
                return
            length, start = int.from_bytes(buf[2:4], "big"), 4
        elif length == 127:
            if len(buf) < 10:
                return
            length, start = int.from_bytes(buf[2:10], "big"), 10
        if len(buf) < start + length:
            return
        payload = bytes(buf[start:start + length])
        del buf[:start + length]
        if opcode == 0x1:
            ws.got.append((at, payload))
        elif opcode == 0x9:
            with contextlib.suppress(OSError):  # closed meanwhile: seen by the next recv
                ws.sock.send(client_frame(0xA, payload))
        elif opcode == 0x8:
            ws.closed = f"close frame {payload[:2].hex()} {payload[2:].decode(errors='replace')}"


def cursor_of(text: bytes) -> int:
    """The cursor of a hint; 0 for anything else."""
    try:
        return int(json.loads(text).get("cursor", 0))
    except (ValueError, AttributeError):
        print(f"not a hint: {text[:200]!r}", file=sys.stderr)
        return 0


def client_main(conn, port: int, cookies: list[str]) -> None:
    """Open one socket per cookie, read them all in one thread, answer the parent's commands."""
    started = time.monotonic()
    outcomes: list[Socket | str] = ["not tried"] * len(cookies)

    def open_one(i: int) -> None:  # all at once, as 200 phones reconnecting would
        try:
            outcomes[i] = handshake(port, cookies[i])
        except OSError as error:
            outcomes[i] = f"{error!r} after {time.monotonic() - started:.0f} s"

    openers = [threading.Thread(target=open_one, args=(i,)) for i in range(len(cookies))]
    for thread in openers:
        thread.start()
    for thread in openers:
        thread.join()
    sockets = [o for o in outcomes if isinstance(o, Socket)]
    conn.send((len(sockets), [o for o in outcomes if isinstance(o, str)],
               time.monotonic() - started))
    selector = selectors.DefaultSelector()
    for ws in sockets:
        selector.register(ws.sock, selectors.EVENT_READ, ws)
    lock, stop = threading.Lock(), threading.Event()

    def loop() -> None:
        while not stop.is_set():
            for key, _ in selector.select(0.2):
                ws = key.data
                at = time.monotonic()
                try:
                    data = ws.sock.recv(65536)
                except BlockingIOError:
                    continue
                except OSError as error:
                    data, ws.closed = b"", repr(error)
                if not data:
                    ws.closed = ws.closed or "EOF"
                    selector.unregister(ws.sock)
                    continue
                with lock:
                    ws.buf += data
                    parse(ws, at)

    reader = threading.Thread(target=loop, daemon=True)
    reader.start()
    while True:
        command = conn.recv()
        with lock:
            if command == "max":  # each socket's highest cursor so far
                conn.send([max((cursor_of(t) for _, t in ws.got), default=0)
                           for ws in sockets])
            elif command == "reset":
                for ws in sockets:
                    ws.got.clear()
                conn.send(None)
            elif command == "dump":
                conn.send(([list(ws.got) for ws in sockets], [ws.closed for ws in sockets]))
        if command == "stop":
            stop.set()
            reader.join()
            for ws in sockets:
                with contextlib.suppress(OSError):
                    ws.sock.setblocking(True)
                    ws.sock.sendall(client_frame(0x8, (1000).to_bytes(2, "big")))
                    ws.sock.close()
            conn.send(None)
            return


# -- servers ------------------------------------------------------------------------------------

def proc_status(pid: int) -> tuple[int, int]:
    """(VmRSS in KB, Threads) of one process."""
    text = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"^VmRSS:\s+(\d+) kB", text, re.M).group(1))
    threads = int(re.search(r"^Threads:\s+(\d+)", text, re.M).group(1))
    return rss, threads


def children_of(pid: int) -> list[int]:
    """Direct children of a process, from /proc/*/stat."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return sorted(found)


def wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/auth/me", timeout=1)
        except urllib.error.HTTPError:
            return  # 401: it answers
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing answers on port {port}")


def create_users(folder: Path, count: int) -> list[str]:
    """Create `count` sales accounts in the instance's database; return their e-mails."""
    from app import create_app
    from app.config import Config
    from app.extensions import db
    from app.services.users import create_user

    class Here(Config):
        INSTANCE_DIR = folder
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder / 'tournee.db'}"
        REDIS_URL = None

    app = create_app(Here)
    emails = [f"vendeur{i:02d}@example.fr" for i in range(count)]
    with app.app_context():
        for email in emails:
            create_user(db.session, email=email, name=email.split("@")[0], password=PASSWORD,
                        hash_method=app.config["PASSWORD_HASH_METHOD"])
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return emails


class Embedded:
    """One `tournee run` process."""

    name = "embedded"

    def __init__(self, folder: Path, users: int, threads: int) -> None:
        self.server = ServerProcess(folder, free_port())
        self.port, self.folder = self.server.port, folder
        self.emails = create_users(folder, users)
        self.server.start()

    def pids(self) -> list[int]:
        return [self.server.proc.pid]

    def logs(self) -> list[Path]:
        return [self.folder / "server.log"]

    def stop(self) -> None:
        self.server.kill()


class Production:
    """gunicorn gthread (2 workers) + `tournee worker`, Redis for the broker and the queue."""

    name = "production"

    def __init__(self, folder: Path, users: int, threads: int) -> None:
        self.prefix = f"bench-live-{uuid.uuid4().hex}"
        self.port, self.folder = free_port(), folder
        env = {"TOURNEE_REDIS_URL": REDIS_URL, "TOURNEE_REDIS_PREFIX": self.prefix}
        prep = ServerProcess(folder, self.port, env)  # runs `tournee init-db` with this env
        self.env = prep.env
        self.emails = create_users(folder, users)
        self.gunicorn_log = open(folder / "gunicorn.log", "ab")  # noqa: SIM115 (closed in stop)
        self.worker_log = open(folder / "worker.log", "ab")  # noqa: SIM115
        self.gunicorn = subprocess.Popen(
            [GUNICORN, "-k", "gthread", "-w", "2", "--threads", str(threads),
             "--graceful-timeout", "5", "-b", f"127.0.0.1:{self.port}", "app:create_app()"],
            env=self.env, cwd=ROOT, stdout=self.gunicorn_log, stderr=subprocess.STDOUT)
        self.worker = subprocess.Popen([TOURNEE, "worker"], env=self.env, cwd=ROOT,
                                       stdout=self.worker_log, stderr=subprocess.STDOUT)
        wait_until_up(self.port)
        deadline = time.monotonic() + 30
        while len(children_of(self.gunicorn.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)

    def pids(self) -> list[int]:
        return [self.gunicorn.pid, *children_of(self.gunicorn.pid)]

    def logs(self) -> list[Path]:
        return [self.folder / "gunicorn.log", self.folder / "worker.log"]

    def stop(self) -> None:
        for proc in (self.gunicorn, self.worker):
            proc.send_signal(signal.SIGTERM)
        for proc in (self.gunicorn, self.worker):
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.gunicorn_log.close()
        self.worker_log.close()
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"*{self.prefix}*"))
        if keys:
            client.delete(*keys)


# -- one setup ----------------------------------------------------------------------------------

def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def memory(pids: list[int]) -> tuple[int, int, list[tuple[int, int]]]:
    each = [proc_status(pid) for pid in pids]
    return sum(r for r, _ in each), sum(t for _, t in each), each


def login(port: int, email: str) -> requests.Session:
    session = requests.Session()
    response = session.post(f"http://127.0.0.1:{port}/api/auth/login",
                            json={"email": email, "password": PASSWORD}, timeout=WRITE_TIMEOUT)
    response.raise_for_status()
    session.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return session


def write(session: requests.Session, port: int, subject: str) -> tuple[float, float, str]:
    """POST one public exchange; return (t0, round-trip s, status or error)."""
    body = {"kind": "call", "starts_at": "2026-11-24T09:00:00Z", "subject": subject}
    t0 = time.monotonic()
    try:
        response = session.post(f"http://127.0.0.1:{port}/api/exchanges", json=body,
                                timeout=WRITE_TIMEOUT)
        status = str(response.status_code)
    except requests.RequestException as error:
        status = type(error).__name__
    return t0, time.monotonic() - t0, status


def run_setup(kind: type, opts: argparse.Namespace, tmp: Path) -> dict:
    folder = tmp / kind.name
    folder.mkdir()
    setup = kind(folder, opts.users, opts.threads)
    port = setup.port
    result = {"name": kind.name, "statuses": Counter(), "lat": [], "rtts": [], "pairs": 0,
              "early": 0, "cursors": 0, "others": 0, "closed": [], "ready": False,
              "stalled": None}
    client = None
    try:
        writer = login(port, setup.emails[0])
        cookies = []
        for i, email in enumerate(setup.emails):  # one login per user, its cookie per socket
            session = writer if i == 0 else login(port, email)
            cookies.append("; ".join(f"{k}={v}" for k, v in session.cookies.items()))
            if session is not writer:
                session.close()  # no idle keep-alive connection holding a server thread
        cookies = [cookies[i % len(cookies)] for i in range(opts.sockets)]
        for i in range(5):  # warm the write path before the 0-socket reading
            write(writer, port, f"Chauffe {i}")
        time.sleep(opts.settle)
        result["rss0"], result["threads0"], result["each0"] = memory(setup.pids())

        parent, child = multiprocessing.Pipe()
        client = multiprocessing.get_context("spawn").Process(
            target=client_main, args=(child, port, cookies), daemon=True)
        client.start()
        opened, errors, took = parent.recv()
        result.update(opened=opened, open_errors=Counter(
            re.sub(r"after \d+ s", "after N s", e) for e in errors), open_s=took,
            open_slowest=max((int(m) for e in errors for m in re.findall(r"after (\d+) s", e)),
                             default=None))
        # Every socket registered: the same warm-up write heard by all of them.
        last = 0
        for attempt in range(10):
            _, rtt, status = write(writer, port, f"Appel {attempt}")
            if status != "201":
                result["stalled"] = f"warm-up POST answered {status} after {rtt:.1f} s"
                break
            deadline, seen = time.monotonic() + 3, [0]
            while time.monotonic() < deadline:
                parent.send("max")
                seen = parent.recv()
                if seen and max(seen) > last and min(seen) == max(seen):
                    result["ready"] = True
                    break
                time.sleep(0.05)
            last = max(seen, default=0)
            if result["ready"]:
                break
        time.sleep(opts.settle)
        result["rss1"], result["threads1"], result["each1"] = memory(setup.pids())
        if result["ready"]:
            measure(result, opts, parent, writer, port)
    finally:
        if client is not None and client.is_alive():
            parent.send("stop")
            parent.recv()
            client.join(timeout=10)
        setup.stop()
        result["log_problems"] = scan_logs(setup.logs())
    return result


def measure(result: dict, opts: argparse.Namespace, parent, writer: requests.Session,
            port: int) -> None:
    """The timed writes; fill result with latencies of every (write, socket) pair."""
    parent.send("reset")
    parent.recv()
    t0s, rtts = [], []
    start = time.monotonic()
    for i in range(opts.writes):
        time.sleep(max(0.0, start + i * opts.gap_ms / 1000 - time.monotonic()))
        t0, rtt, status = write(writer, port, f"Relance {i}")
        t0s.append(t0)
        rtts.append(rtt)
        result["statuses"][status] += 1
    deadline = time.monotonic() + 10
    while True:
        parent.send("dump")
        got, closed = parent.recv()
        if all(len(g) >= opts.writes for g in got) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    # Writes are sequential, so their cursors rise with them: the k-th distinct cursor heard
    # is the k-th write's.
    cursors = sorted({cursor_of(t) for g in got for _, t in g})
    index = {c: i for i, c in enumerate(cursors)}
    for g in got:
        for at, text in g:
            message = json.loads(text)
            i = index.get(cursor_of(text))
            if message.get("type") != "changes" or i is None or i >= len(t0s):
                result["others"] += 1
                continue
            result["pairs"] += 1
            result["lat"].append(at - t0s[i])
            result["early"] += at - t0s[i] < rtts[i]
    result.update(cursors=len(cursors), rtts=rtts, closed=[c for c in closed if c])


PROBLEM = re.compile(r"Traceback|ERROR|CRITICAL|WARNING|locked|\" 5\d\d |Timeout")
NOISE = re.compile(r"\x1b\[[0-9;]*m|\[\d+/\w+/\d+ [\d:]+\]|\[\d{4}-\d\d-\d\d [\d:]+ [+-]\d{4}\]"
                   r"|\[\d+\]|127\.0\.0\.1 - - ")


def scan_logs(paths: list[Path]) -> list[str]:
    """Lines of the server logs that look like trouble."""
    lines = []
    for path in paths:
        if path.exists():
            for line in path.read_text(errors="replace").splitlines():
                if PROBLEM.search(line) and "development server" not in line:
                    line = NOISE.sub("", line)  # colours, dates, pids: alike lines count as one
                    lines.append(f"{path.name}: {line.strip()[:240]}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sockets", type=int, default=200)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--writes", type=int, default=50)
    parser.add_argument("--gap-ms", type=int, default=100)
    parser.add_argument("--threads", type=int, default=128, help="gunicorn threads per worker")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds before RSS readings")
    parser.add_argument("--setups", default="embedded,production")
    opts = parser.parse_args()
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        sys.exit("Redis must run on 127.0.0.1:6379")
    kinds = {"embedded": Embedded, "production": Production}
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in opts.setups.split(","):
            started = time.monotonic()
            results.append(run_setup(kinds[name], opts, Path(tmp)))
            print(f"[{name}: {time.monotonic() - started:.0f} s]", file=sys.stderr)
    report(results, opts)


def report(results: list[dict], opts: argparse.Namespace) -> None:
    n = opts.sockets
    print(f"Commit-to-receipt: {opts.writes} public exchanges POSTed by one user, one every "
          f"{opts.gap_ms} ms; {n} sockets over {opts.users} users; latency from the moment the "
          "POST was sent to each socket's receipt of its hint. gunicorn: 2 gthread workers x "
          f"{opts.threads} threads (a socket holds a thread).")
    print()
    print("| setup | sockets open | hints received | POST p50 ms | POST p95 ms | receipt p50 ms "
          "| receipt p95 ms | receipt max ms | before the response | ratio p50 | ratio p95 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        expected = opts.writes * r["opened"]
        if not r["lat"]:
            print(f"| {r['name']} | {r['opened']}/{n} | - | - | - | - | - | - | - | - | - |")
            continue
        lat, rtts = r["lat"], r["rtts"]
        p50, p95 = pct(lat, 50) * 1000, pct(lat, 95) * 1000
        b50, b95 = pct(rtts, 50) * 1000, pct(rtts, 95) * 1000
        print(f"| {r['name']} | {r['opened']}/{n} | {r['pairs']}/{expected} "
              f"({100 * r['pairs'] / expected:.1f}%) | {b50:.1f} | {b95:.1f} | {p50:.1f} | "
              f"{p95:.1f} | {max(lat) * 1000:.1f} | {100 * r['early'] / r['pairs']:.0f}% | "
              f"{p50 / b50:.1f}x | {p95 / b95:.1f}x |")
    print()
    print("Memory: server processes before any socket, then with the open sockets idle for "
          f"{opts.settle:.0f} s (VmRSS and Threads from /proc; gunicorn: master + workers).")
    print()
    print("| setup | processes | sockets open | RSS 0 sockets MB | RSS with sockets MB "
          "| KB per idle socket | threads 0 | threads with sockets | threads per socket |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        opened = r["opened"]
        clean = r["ready"] and opened
        per_kb = f"{(r['rss1'] - r['rss0']) / opened:.0f}" if clean else "-"
        per_thread = f"{(r['threads1'] - r['threads0']) / opened:.2f}" if clean else "-"
        print(f"| {r['name']} | {len(r['each1'])} | {opened}/{n} | {r['rss0'] / 1024:.1f} | "
              f"{r['rss1'] / 1024:.1f} | {per_kb} | {r['threads0']} | {r['threads1']} | "
              f"{per_thread} |")
    print()
    for r in results:
        each = ", ".join(f"{rss / 1024:.1f} MB/{threads} threads" for rss, threads in r["each1"])
        print(f"- {r['name']}: sockets opened in {r['open_s']:.1f} s; per process with sockets "
              f"(master first): {each}; POST statuses {dict(r['statuses'])}; every socket heard "
              f"the warm-up: {r['ready']}; distinct cursors {r['cursors']}; other messages "
              f"{r['others']}; sockets closed by the server {len(r['closed'])}")
        if r["stalled"]:
            print(f"  - app stalled: {r['stalled']}")
        for error, count in r["open_errors"].most_common():
            print(f"  - {count} handshakes failed: {error} (slowest {r['open_slowest']} s)")
        problems = Counter(r["log_problems"])
        for line, count in problems.most_common(12):
            print(f"  - log ({count}x): {line}")
        if len(problems) > 12:
            print(f"  - ... {len(problems) - 12} more distinct log lines")


if __name__ == "__main__":
    main()
