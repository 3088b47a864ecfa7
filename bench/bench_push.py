"""Web push: encrypt-and-send throughput to 1,000 subscriptions of one user.

    .venv/bin/python bench/bench_push.py [--devices 1000] [--threads 2,8] [--slow-devices 200]
        [--slow-ms 50]

The push service is tests/push_peer.py's PushPeer (it verifies VAPID and decrypts every
aes128gcm body, as a browser vendor's service would not: that CPU is on the same 2 cores) in a
separate process, so that it does not share the app's GIL. The app is create_app() on a
TestConfig with a temporary SQLite file and instance folder (Huey on instance/jobs.db), one
user and --devices subscriptions from PushPeer devices, stored by app.services.push.subscribe.

- app path: push_to_user enqueued once with a Notice message (an exchange logged on a company)
  while the real threaded Huey consumer runs (app.job_queue.start_consumer, N workers); timed
  from the enqueue until the peer has accepted every push. push_to_user fans out one send_push
  job per device: a DB read, pywebpush encryption, the POST, the outcome committed.
- baseline, same run: the same number of POSTs with the same headers and bodies encrypted
  beforehand (the very bytes the app would send, one per device) straight to the peer from N
  threads, one requests.Session each: no encryption, no queue, no DB.
- the same pair again with a push service that takes --slow-ms to answer (a real one is tens
  of ms away), on --slow-devices subscriptions of a second user, N = the largest thread count;
  during that pair another writer takes the app database's write lock every 50 ms (BEGIN
  IMMEDIATE + COMMIT, as an API write would) and its waits are reported.
- every row: the most requests the peer was handling at once (how parallel the sends were).
- single-thread costs: pywebpush encryption alone, and the peer's checks alone (VAPID verify +
  decrypt), per message.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import math
import multiprocessing
import re
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# -- the push service, in its own process -------------------------------------------------------

def peer_main(conn) -> None:
    """Run a PushPeer and answer the bench's commands over the pipe."""
    from tests.push_peer import PushPeer

    class CountingPeer(PushPeer):
        """Also notes how many requests it was handling at once, at most."""

        def __init__(self) -> None:
            super().__init__()
            self.inflight = self.peak = 0
            self._count_lock = threading.Lock()

        def _handle(self, *args):
            with self._count_lock:
                self.inflight += 1
                self.peak = max(self.peak, self.inflight)
            try:
                return super()._handle(*args)
            finally:
                with self._count_lock:
                    self.inflight -= 1

    peer = CountingPeer().start()
    conn.send(peer.origin)
    while True:
        command, *args = conn.recv()
        if command == "devices":
            tokens, infos = [], []
            for _ in range(args[0]):
                device, info = peer.new_device()
                tokens.append(device.token)
                infos.append(info)
            conn.send((tokens, infos))
        elif command == "set":
            setattr(peer, args[0], args[1])
            conn.send(None)
        elif command == "wait":  # (count, timeout) -> (received, rejections, statuses, sample)
            with contextlib.suppress(AssertionError):
                peer.wait_for(args[0], timeout=args[1])
            with peer._cond:
                received = len(peer.received)
                sample = peer.received[-1].payload if peer.received else None
                conn.send((received, list(peer.rejections), Counter(s for _, s in peer.attempts),
                           sample))
        elif command == "peak":  # the most requests in flight at once since the last call
            conn.send(peer.peak)
            peer.peak = 0
        elif command == "check":  # the peer's own work on (token, headers, body) items, timed
            started = time.perf_counter()
            for token, headers, body in args[0]:
                peer._check(token, peer._devices[token], headers, body)
            conn.send(time.perf_counter() - started)
        elif command == "stop":
            peer.stop()
            conn.send(None)
            return


class Peer:
    """The bench's handle on the peer process."""

    def __init__(self) -> None:
        self.conn, child = multiprocessing.Pipe()
        self.proc = multiprocessing.get_context("spawn").Process(
            target=peer_main, args=(child,), daemon=True)
        self.proc.start()
        self.origin = self.conn.recv()

    def call(self, *command):
        self.conn.send(command)
        return self.conn.recv()

    def stop(self) -> None:
        self.call("stop")
        self.proc.join(timeout=10)


# -- the app ------------------------------------------------------------------------------------

class Problems(logging.Handler):
    """Every warning or error logged by the app, its jobs and Huey."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()  # a job's arguments are long: keep its start and its error
        text = text if len(text) < 300 else f"{text[:60]} ... {text[-200:]}"
        if record.exc_info and record.exc_info[1] is not None:
            text += f" [{type(record.exc_info[1]).__name__}]"
        text = " | ".join(text.splitlines())  # alike records count as one:
        text = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<id>", text)
        text = re.sub(r"retry in [0-9.]+ s", "retry in N s", text)
        self.records.append(f"{record.levelname} {record.name}: {text}")


def make_app(folder: Path):
    from app import create_app
    from app.config import TestConfig
    from app.extensions import db
    from app.services.setup import prepare_database

    class BenchConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder / 'bench.db'}"
        INSTANCE_DIR = folder
        PUSH_ALLOW_HTTP = True

    app = create_app(BenchConfig)
    with app.app_context():
        db.create_all()
        prepare_database(db.session)
        db.session.commit()
    return app


def add_user(app, email: str, infos: list[dict]) -> str:
    """A user with these subscriptions; return the user's id."""
    from app.extensions import db
    from app.services import push
    from app.services.users import create_user

    with app.app_context():
        user = create_user(db.session, email=email, name=email.split("@")[0],
                           password="bench-push-password", hash_method="pbkdf2:sha256:1000")
        for info in infos:
            push.subscribe(db.session, user, info, "fr")
        db.session.commit()
        return str(user.id)


def notice_message(user_id: str) -> dict:
    """What an exchange logged on someone's company pushes (app.services.notify.Notice)."""
    from app.services.notify import Notice

    texts = {"fr": {"title": "Boulangerie Martin",
                    "body": "Alice Martin · Appel : Relance du devis four à sole, rappeler jeudi"},
             "en": {"title": "Boulangerie Martin",
                    "body": "Alice Martin · Call: Relance du devis four à sole, rappeler jeudi"}}
    return Notice(uuid.UUID(user_id), "exchange_logged", texts,
                  {"type": "company", "id": str(uuid.uuid4())}).message()


class LockProbe:
    """Another writer on the app's database: BEGIN IMMEDIATE + COMMIT every 50 ms, each wait
    for the write lock noted (what an API write would wait before it can start)."""

    def __init__(self, path: Path) -> None:
        self.path, self.waits, self.stop = path, [], threading.Event()
        self.thread = threading.Thread(target=self._run)
        self.thread.start()

    def _run(self) -> None:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        while not self.stop.is_set():
            started = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            self.waits.append(time.perf_counter() - started)
            conn.execute("COMMIT")
            self.stop.wait(0.05)
        conn.close()

    def finish(self) -> list[float]:
        self.stop.set()
        self.thread.join()
        return self.waits


def run_app(app, peer: Peer, user_id: str, message: dict, count: int, workers: int,
            probe_lock: bool) -> dict:
    """Enqueue push_to_user once with the consumer running; time until the peer has them all."""
    from app.job_queue import start_consumer
    from app.jobs import push_to_user

    before, _, answered, _ = peer.call("wait", 0, 0)
    consumer = start_consumer(app, workers=workers)
    time.sleep(1.0)  # workers polling
    peer.call("peak")
    probe = LockProbe(Path(app.instance_path) / "bench.db") if probe_lock else None
    started = time.perf_counter()
    with app.app_context():
        push_to_user.enqueue(user_id, message)
    received, rejections, statuses, sample = peer.call("wait", before + count, 180)
    took = time.perf_counter() - started
    waits = probe.finish() if probe else None
    consumer.stop(graceful=True)
    with app.app_context():
        pending = app.extensions["jobs"].pending()
    return {"took": took, "delivered": received - before, "rejections": rejections,
            "statuses": statuses - answered, "sample": sample, "pending": pending,
            "peak": peer.call("peak"), "waits": waits}


# -- the baseline -------------------------------------------------------------------------------

def prepare_bodies(app, infos: list[dict], message: dict) -> tuple[list, float]:
    """(endpoint, headers, body) per device, encrypted now as the app would; and the time."""
    from pywebpush import WebPusher

    from app.services import push

    vapid = app.extensions["vapid"]
    payload = push.payload_for(SimpleNamespace(lang="fr"), message)
    items = []
    started = time.perf_counter()
    for info in infos:
        body = WebPusher(info).encode(payload, "aes128gcm")["body"]
        items.append((info["endpoint"], body))
    took = time.perf_counter() - started
    out = []
    for endpoint, body in items:
        headers = {"Authorization": vapid.authorization(endpoint), "TTL": str(message["ttl"]),
                   "Urgency": message["urgency"], "Topic": message["topic"],
                   "Content-Encoding": "aes128gcm"}
        out.append((endpoint, headers, body))
    return out, took


def run_baseline(peer: Peer, items: list, workers: int, db_path: Path | None) -> dict:
    """POST the prepared bodies from `workers` threads, one Session each."""
    before, _, answered, _ = peer.call("wait", 0, 0)
    peer.call("peak")
    probe = LockProbe(db_path) if db_path else None
    lock, todo, statuses = threading.Lock(), list(reversed(items)), Counter()

    def work() -> None:
        session = requests.Session()
        while True:
            with lock:
                if not todo:
                    return
                endpoint, headers, body = todo.pop()
            status = session.post(endpoint, data=body, headers=headers, timeout=10).status_code
            with lock:
                statuses[status] += 1

    threads = [threading.Thread(target=work) for _ in range(workers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - started
    waits = probe.finish() if probe else None
    received, rejections, seen, _ = peer.call("wait", before + len(items), 10)
    assert seen - answered == statuses, (seen - answered, statuses)
    return {"took": took, "delivered": received - before, "rejections": rejections,
            "statuses": statuses, "peak": peer.call("peak"), "waits": waits}


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


# -- main ---------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--threads", default="2,8")
    parser.add_argument("--slow-devices", type=int, default=200)
    parser.add_argument("--slow-ms", type=int, default=50)
    opts = parser.parse_args()
    threads = [int(t) for t in opts.threads.split(",")]
    problems = Problems()
    logging.getLogger().addHandler(problems)

    peer = Peer()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            app = make_app(Path(tmp))
            db_path = Path(tmp) / "bench.db"
            peer.call("set", "expected_public_key", app.extensions["vapid"].public_key)
            tokens, infos = peer.call("devices", opts.devices)
            _, slow_infos = peer.call("devices", opts.slow_devices)
            user = add_user(app, "vendeur@example.fr", infos)
            slow_user = add_user(app, "lointain@example.fr", slow_infos)
            message = notice_message(user)
            items, encrypt_s = prepare_bodies(app, infos, message)
            slow_items, _ = prepare_bodies(app, slow_infos, message)
            check_s = peer.call("check", [(t, h, b) for t, (_, h, b) in zip(tokens, items,
                                                                             strict=True)])
            rows = []
            for n in threads:
                rows.append(("baseline", n, 0, opts.devices, run_baseline(peer, items, n, None)))
                rows.append(("app", n, 0, opts.devices,
                             run_app(app, peer, user, message, opts.devices, n, False)))
            if opts.slow_devices:
                n = max(threads)
                peer.call("set", "delay", opts.slow_ms / 1000)
                rows.append(("baseline", n, opts.slow_ms, opts.slow_devices,
                             run_baseline(peer, slow_items, n, db_path)))
                rows.append(("app", n, opts.slow_ms, opts.slow_devices,
                             run_app(app, peer, slow_user, message, opts.slow_devices, n,
                                     True)))
                peer.call("set", "delay", 0.0)
            size = len(items[0][2])
    finally:
        peer.stop()

    print(f"One message ({size} bytes encrypted) to each subscription of one user; the peer "
          "(VAPID check + aes128gcm decryption of every body) runs in its own process on the "
          "same 2 cores. app = push_to_user -> Huey on SQLite -> one send_push per device; "
          "baseline = the same requests pre-encrypted, one requests.Session per thread.")
    print()
    print("| path | threads | push service delay ms | pushes | delivered | wall s | pushes/s "
          "| app / baseline | peak in flight at the peer | DB write-lock wait p50 / max ms |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    base = {}
    for path, n, delay, count, r in rows:
        rate = r["delivered"] / r["took"]
        if path == "baseline":
            base[n, delay] = r["took"]
            ratio = "1.0x"
        else:
            ratio = f"{r['took'] / base[n, delay]:.1f}x"
        name = ("app: push_to_user -> Huey -> send_push" if path == "app"
                else "baseline: pre-encrypted POSTs")
        waits = r["waits"]
        lock = f"{1000 * pct(waits, 50):.1f} / {1000 * max(waits):.1f}" if waits else "-"
        print(f"| {name} | {n} | {delay} | {count} | {r['delivered']} | {r['took']:.2f} | "
              f"{rate:.0f} | {ratio} | {r['peak']} | {lock} |")
    print()
    print(f"Single-thread costs over the {opts.devices} messages:")
    print()
    print("| step, one thread | ms per message | per second |")
    print("|---|---|---|")
    for name, took in (("pywebpush encryption (WebPusher.encode, aes128gcm)", encrypt_s),
                       ("peer: VAPID verify + aes128gcm decrypt", check_s)):
        print(f"| {name} | {1000 * took / opts.devices:.2f} | {opts.devices / took:.0f} |")
    print()
    for path, n, delay, _, r in rows:
        extra = f"; jobs left {r['pending']}" if "pending" in r else ""
        print(f"- {path} x{n} (delay {delay} ms): peer answers {dict(r['statuses'])}; "
              f"rejections {len(r['rejections'])} {r['rejections'][:3]}{extra}")
    if rows and rows[-1][4].get("sample"):
        print(f"- a decrypted app payload: {rows[-1][4]['sample']}")
    counts = Counter(problems.records)
    for line, count in counts.most_common(10):
        print(f"- logged ({count}x): {line}")
    for path, _, _, _, r in rows:
        assert not r["rejections"], f"{path}: the peer rejected pushes"


if __name__ == "__main__":
    main()
