"""Sync benchmarks: first sync of a working set, and draining an outbox over a slow link.

    .venv/bin/python bench/bench_sync.py [--scale 7] [--rtt-ms 150] [--outbox 500]

1. First sync: every page of GET /api/sync/changes (limit 2000) through the WSGI app for the
   demo data scaled (x7 ~ 2,100 companies, 5,600 contacts, 35,000 exchanges of which the last
   365 days form the working set), against the same rows read by plain sqlite3 + json.dumps.
   Bytes are the JSON bodies and their gzip size (what a TLS proxy with gzip sends).
2. Drain: a real `tournee run` process behind a proxy that adds the round-trip time; the outbox
   is pushed in batches of 1 (baseline), 50 and 200.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import socket
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.config import TestConfig  # noqa: E402
from bench.bench_read import OUT, build  # noqa: E402
from tests.chaos import ServerProcess, free_port  # noqa: E402
from tests.test_sync_chaos import PASSWORD, Device  # noqa: E402


def first_sync(scale: int) -> list[str]:
    path = OUT / f"demo-x{scale}.db"
    if not path.exists():
        build(path, scale)

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"

    app = create_app(Config)
    client = app.test_client()
    assert client.post("/api/auth/login", json={"email": "commercial@demo.tournee.fr",
                                                "password": "tournee-demo"}).status_code == 200
    started, cursor, pages, raw_bytes, gz_bytes, kinds = time.perf_counter(), "0", 0, 0, 0, {}
    while True:
        response = client.get("/api/sync/changes", query_string={"since": cursor, "limit": 2000})
        body = response.get_data()
        raw_bytes += len(body)
        gz_bytes += len(gzip.compress(body, 6))
        page = json.loads(body)
        for change in page["changes"]:
            kinds[change["entity"]] = kinds.get(change["entity"], 0) + (change["op"] == "upsert")
        pages += 1
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    api_s = time.perf_counter() - started

    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    started = time.perf_counter()
    raw_json = 0
    for table in ("companies", "contacts", "deals", "exchanges", "exchange_kinds", "outcomes",
                  "users", "company_contacts", "deal_contacts", "exchange_deals",
                  "exchange_participants"):
        rows = conn.execute(f"SELECT * FROM {table}").fetchall()
        raw_json += len(json.dumps([dict(r) for r in rows], default=str))
    raw_s = time.perf_counter() - started
    counts = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
    return [
        f"Working set sent (upserts): {counts}; {pages} pages of up to 2,000.",
        "",
        "| first sync | server time s | JSON MB | gzip MB |",
        "|---|---|---|---|",
        f"| API, all pages | {api_s:.2f} | {raw_bytes / 1e6:.1f} | {gz_bytes / 1e6:.2f} |",
        f"| raw SQL + json.dumps, whole tables | {raw_s:.2f} | {raw_json / 1e6:.1f} | - |",
        f"| ratio | {api_s / raw_s:.1f}x | | |",
    ]


class SlowLink:
    """Forwards each connection to the server, delaying every request by the RTT."""

    def __init__(self, target: int, rtt: float) -> None:
        self.target, self.rtt, self.port = target, rtt, free_port()
        self.sock = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._pipe_pair, args=(conn,), daemon=True).start()

    def _pipe_pair(self, client: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.target))
        threading.Thread(target=self._pipe, args=(upstream, client, 0), daemon=True).start()
        self._pipe(client, upstream, self.rtt)  # the whole RTT on the way in: one per request

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket, delay: float) -> None:
        with src, dst, contextlib.suppress(OSError):  # the other side closed: done
            while data := src.recv(65536):
                if delay:
                    time.sleep(delay)
                dst.sendall(data)


def drain(rtt_ms: int, outbox: int) -> list[str]:
    rows = ["| drain of the outbox | batch | pushes | time s | speed-up vs batch 1 |",
            "|---|---|---|---|---|"]
    base = None
    with tempfile.TemporaryDirectory() as tmp:
        server = ServerProcess(Path(tmp), free_port())
        server.create_user("vendeur@example.fr", PASSWORD)
        server.start()
        link = SlowLink(server.port, rtt_ms / 1000)
        try:
            for batch in (1, 50, 200):
                device = Device(f"http://127.0.0.1:{link.port}", count=outbox)
                device.login("vendeur@example.fr")
                started = time.perf_counter()
                device.drain(attempts=outbox + 10, size=batch)
                took = time.perf_counter() - started
                base = base or took
                rows.append(f"| {outbox} exchanges, +{rtt_ms} ms RTT | {batch} | "
                            f"{-(-outbox // batch)} | {took:.2f} | {base / took:.1f}x |")
        finally:
            server.kill()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=7)
    parser.add_argument("--rtt-ms", type=int, default=150)
    parser.add_argument("--outbox", type=int, default=500)
    opts = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print("\n".join(first_sync(opts.scale)))
    print()
    print("\n".join(drain(opts.rtt_ms, opts.outbox)))


if __name__ == "__main__":
    main()
