"""Timeline and search latency through the API against raw SQL on the same data.

    .venv/bin/python bench/bench_read.py [--scale 20] [--runs 300]

Builds (once, cached in bench/out/) a SQLite file with the demo data scaled, then times
each request through the WSGI app (Flask test client: routing, auth, validation, ORM,
serialisation; no sockets) and the same query in plain sqlite3 + json.dumps, in the same
process and run. Prints a Markdown table; ratios are API / raw.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.config import TestConfig  # noqa: E402
from app.extensions import db  # noqa: E402
from bench.bench_http import TIMELINE_SQL  # noqa: E402  (the app's rows, by hand)

OUT = ROOT / "bench" / "out"
SEARCH_SQL = """
SELECT entity, entity_id, title FROM search_index WHERE search_index MATCH :q
ORDER BY bm25(search_index, 0, 0, 10, 1) LIMIT 20
"""


def build(path: Path, scale: int) -> None:
    """Create the scaled demo database once."""
    from app.demo import load_demo
    from app.services.setup import prepare_database

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"

    app = create_app(Config)
    with app.app_context():
        db.create_all()
        prepare_database(db.session)
        started = time.perf_counter()
        counts = load_demo(db.session, scale=scale, password_method="pbkdf2:sha256:1000")
        db.session.commit()
        print(f"built {path.name}: {counts} in {time.perf_counter() - started:.1f} s")


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    ordered = sorted(samples)
    return (statistics.median(ordered) * 1000,
            ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000)


def timed(fn, args_list) -> list[float]:
    out = []
    for args in args_list:
        started = time.perf_counter()
        fn(args)
        out.append(time.perf_counter() - started)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--runs", type=int, default=300)
    opts = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"demo-x{opts.scale}.db"
    if not path.exists():
        build(path, opts.scale)

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"

    app = create_app(Config)
    client = app.test_client()
    login = client.post("/api/auth/login", json={"email": "commercial@demo.tournee.fr",
                                                 "password": "tournee-demo"})
    assert login.status_code == 200, login.json
    user_hex = login.json["user"]["id"].replace("-", "")
    raw = sqlite3.connect(path)
    raw.row_factory = sqlite3.Row
    rng = random.Random(7)
    company_ids = [r[0] for r in raw.execute("SELECT id FROM companies WHERE deleted_at IS NULL")]
    companies = [rng.choice(company_ids) for _ in range(opts.runs)]
    words = [r[0] for r in raw.execute("SELECT name FROM companies UNION ALL "
                                       "SELECT last_name FROM contacts")]
    prefixes = [rng.choice(words)[:3].lower() for _ in range(opts.runs)]

    def api_timeline(cid: str) -> None:
        response = client.get(f"/api/companies/{cid[:8]}-{cid[8:12]}-{cid[12:16]}-"
                              f"{cid[16:20]}-{cid[20:]}/timeline")
        assert response.status_code == 200

    def raw_timeline(cid: str) -> None:
        rows = raw.execute(TIMELINE_SQL, {"c": cid, "u": user_hex}).fetchall()
        json.dumps([dict(r) for r in rows], default=str)

    def api_search(prefix: str) -> None:
        assert client.get("/api/search", query_string={"q": prefix}).status_code == 200

    def raw_search(prefix: str) -> None:
        term = '"' + "".join(ch for ch in prefix if ch.isalnum()) + '"*'
        json.dumps([dict(r) for r in raw.execute(SEARCH_SQL, {"q": term}).fetchall()])

    with app.app_context():
        for fn, args in ((api_timeline, companies[:20]), (api_search, prefixes[:20])):
            timed(fn, args)  # warm caches and connections
        rows = []
        for name, api_fn, raw_fn, args in (
            ("company timeline (50 newest)", api_timeline, raw_timeline, companies),
            ("search, 3-letter prefix", api_search, raw_search, prefixes),
        ):
            a50, a95 = percentiles(timed(api_fn, args))
            r50, r95 = percentiles(timed(raw_fn, args))
            rows.append(f"| {name} | {a50:.2f} | {a95:.2f} | {r50:.2f} | {r95:.2f} | "
                        f"{a50 / r50:.1f}x | {a95 / r95:.1f}x |")
    counts = {t: raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("companies", "contacts", "deals", "exchanges")}
    print(f"\nData: demo x{opts.scale} {counts}; {opts.runs} requests each.\n")
    print("| operation | API p50 ms | API p95 ms | raw SQL p50 ms | raw SQL p95 ms "
          "| ratio p50 | ratio p95 |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
