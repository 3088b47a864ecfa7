"""Search latency over 100,000 contacts and 1,000,000 exchanges, against LIKE on the same data.

    .venv/bin/python bench/bench_search.py [--runs 300] [--like-runs 60]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench_search]

Data: the demo loader's own generators with the counts asked for (37,500 companies, 100,000
contacts, 18,750 deals, 1,000,000 exchanges, as the demo's proportions give for 100,000
contacts), bulk-inserted once and cached in bench/out/ (SQLite; on PostgreSQL the database
named in the URL is filled when its tables are missing). Queries: half random 3-letter
prefixes of words taken from company names and contact names, half full names of random
contacts ("Hélène Lefèvre"), drawn with a fixed seed.

Four timings per query, in one process on one database:
- query: the index's own query, ids only (app.services.search.match_ids: a one-word query
  of at most 3 letters reads the word table in order; the others MATCH ranked by bm25, or
  tsvector @@ ranked by ts_rank);
- service: app.services.search.search() (FTS5 MATCH + bm25, or tsvector + ts_rank, then the
  records loaded for titles and subtitles);
- API: GET /api/search?q= through the WSGI app (test client, logged in: session check,
  validation, serialisation; no socket);
- LIKE: the same columns the index holds (company name, city, postal code, e-mail, phone;
  contact names, e-mail, job title, phones; deal name) searched with LIKE '%q%' (ILIKE on
  PostgreSQL), all matches ordered by name and the first 20 kept, as a search that ranks must
  look at every match. Also reported: LIKE that stops at the first 20 rows found (no order).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.config import TestConfig  # noqa: E402
from app.extensions import db  # noqa: E402

OUT = ROOT / "bench" / "out"
COUNTS = {"companies": 37_500, "contacts": 100_000, "deals": 18_750, "exchanges": 1_000_000}
EMAIL, PASSWORD = "commercial@demo.tournee.fr", "tournee-demo"
# Per table: the columns that feed the search index (app/services/search.py _document).
LIKE_COLUMNS = {
    "companies": ("name", ("name", "city", "postal_code", "email", "phone")),
    "contacts": ("last_name", ("first_name", "last_name", "email", "job_title", "phone",
                               "mobile")),
    "deals": ("name", ("name",)),
}


def app_for(url: str):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    return create_app(Config)


def build(app) -> dict:
    """Fill an empty database with the demo generators at the counts above."""
    from app.demo import _agencies, _users
    from app.demo.book import add_companies, add_contacts, add_deals
    from app.demo.exchanges import add_exchanges
    from app.demo.state import PARIS, Demo
    from app.services.search import rebuild_search_index
    from app.services.setup import prepare_database

    started = time.perf_counter()
    with app.app_context():
        db.create_all()
        prepare_database(db.session)
        demo = Demo(db.session, 20261124, datetime.now(PARIS).date())
        _agencies(demo)
        _users(demo, 125, "pbkdf2:sha256:1000")
        add_companies(demo, COUNTS["companies"])
        add_contacts(demo, COUNTS["contacts"])
        add_deals(demo, COUNTS["deals"])
        add_exchanges(demo, COUNTS["exchanges"])
        db.session.flush()
        demo.counts["search_index"] = rebuild_search_index(db.session)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:  # committed, or its statistics are rolled back
                conn.exec_driver_sql("ANALYZE")  # as autovacuum would have done by now
        else:
            with db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # one whole file
        db.session.remove()
        db.engine.dispose()  # no connection left open on a file about to be renamed
    print(f"built search data: {demo.counts} in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)
    return demo.counts


def database(postgres: str | None) -> str:
    """The URL of the benchmark's database, built on first use."""
    if postgres:
        from sqlalchemy import create_engine, inspect

        engine = create_engine(postgres)
        empty = "exchanges" not in inspect(engine).get_table_names()
        engine.dispose()
        if empty:
            build(app_for(postgres))
        add_words(postgres)
        return postgres
    path = OUT / "search-100k.db"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(".building")
        temp.unlink(missing_ok=True)
        build(app_for(f"sqlite:///{temp}"))
        temp.rename(path)
    add_words(f"sqlite:///{path}")
    return f"sqlite:///{path}"


def add_words(url: str) -> None:
    """A data set built before the word table gets it as migration e7f1a2b3c4d5 adds it."""
    from sqlalchemy import create_engine, inspect

    from app.services.search import upgrade_index

    engine = create_engine(url)
    try:
        if "search_index_words" in inspect(engine).get_table_names():
            return
        started = time.perf_counter()
        with engine.begin() as conn:
            written = upgrade_index(conn)
            conn.exec_driver_sql("ANALYZE")
        print(f"added {written} word rows in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
    finally:
        engine.dispose()


def queries(conn, count: int) -> list[str]:
    """Half 3-letter prefixes of name words, half full names of contacts (seeded)."""
    rng = random.Random(11)
    words = [w for (name,) in conn.exec_driver_sql(
        "SELECT name FROM companies UNION ALL SELECT last_name FROM contacts "
        "UNION ALL SELECT first_name FROM contacts").fetchall()
        for w in (name or "").split() if len(w) >= 3 and w.isalpha()]
    people = conn.exec_driver_sql("SELECT first_name, last_name FROM contacts "
                                  "WHERE first_name IS NOT NULL").fetchall()
    out = []
    for i in range(count):
        if i % 2 == 0:
            out.append(rng.choice(words)[:3].lower())
        else:
            first, last = rng.choice(people)
            out.append(f"{first} {last}")
    return out


def like_sql(dialect: str, ranked: bool) -> str:
    """One statement: LIKE on every indexed column of the three tables."""
    op = "ILIKE" if dialect == "postgresql" else "LIKE"
    arms = []
    for table, (title, columns) in LIKE_COLUMNS.items():
        cond = " OR ".join(f"{c} {op} :p" for c in columns)
        arms.append(f"SELECT '{table}' AS entity, id, {title} AS title FROM {table} "
                    f"WHERE deleted_at IS NULL AND ({cond})")
    union = " UNION ALL ".join(arms)
    return f"SELECT * FROM ({union}) AS hits" + (" ORDER BY title" if ranked else "") + \
        " LIMIT 20"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)] * 1000


def run(runs: int = 300, like_runs: int = 60, postgres: str | None = None) -> dict:
    """Time service, API and LIKE on the same queries; return the figures."""
    from sqlalchemy import text

    from app.services import search as svc

    url = database(postgres)
    app = app_for(url)
    client = app.test_client()
    with app.app_context():
        dialect = db.engine.dialect.name
        with db.engine.connect() as conn:
            qs = queries(conn, runs)
            counts = {t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar()
                      for t in ("companies", "contacts", "deals", "exchanges", "search_index")}
        db.session.remove()
    login = client.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert login.status_code == 200, login.get_json()
    ranked, first20 = text(like_sql(dialect, True)), text(like_sql(dialect, False))
    times: dict[str, list[float]] = {"query": [], "service": [], "api": [], "like": [],
                                     "like_first": []}
    found = {"service": 0, "like": 0}
    with app.app_context():
        for q in qs[:20]:  # warm the page cache and the statement caches
            svc.search(db.session, q)
            client.get("/api/search", query_string={"q": q})
        for i, q in enumerate(qs):
            started = time.perf_counter()
            svc.match_ids(db.session, q, svc.TYPES, 20)
            times["query"].append(time.perf_counter() - started)
            db.session.rollback()
            started = time.perf_counter()
            hits = svc.search(db.session, q)
            times["service"].append(time.perf_counter() - started)
            db.session.rollback()
            found["service"] += bool(hits)
            started = time.perf_counter()
            response = client.get("/api/search", query_string={"q": q})
            times["api"].append(time.perf_counter() - started)
            assert response.status_code == 200, response.get_json()
            if i < like_runs:
                for name, stmt in (("like", ranked), ("like_first", first20)):
                    started = time.perf_counter()
                    rows = db.session.execute(stmt, {"p": f"%{q}%"}).all()
                    times[name].append(time.perf_counter() - started)
                    db.session.rollback()
                    if name == "like":
                        found["like"] += bool(rows)
        db.session.remove()
    stats = {name: {"p50": pct(v, 50), "p95": pct(v, 95), "n": len(v)}
             for name, v in times.items()}
    # LIKE and the index compared on the same queries (the first like_runs).
    for name in ("query", "service"):
        same = times[name][:like_runs]
        stats[f"{name}_same"] = {"p50": pct(same, 50), "p95": pct(same, 95), "n": len(same)}
    return {"dialect": dialect, "counts": counts, "stats": stats, "found": found,
            "queries": len(qs), "like_runs": like_runs}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--like-runs", type=int, default=60)
    parser.add_argument("--postgres", default=None)
    opts = parser.parse_args()
    print(json.dumps(run(opts.runs, opts.like_runs, opts.postgres), indent=1))


if __name__ == "__main__":
    main()
