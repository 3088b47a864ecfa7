"""CPU cost and SQL statements per request, in process, for the read paths bench_http loads.

    .venv/bin/python bench/bench_cost.py [--scale 20] [--rounds 5] [--profile contact]

Each request goes through the whole WSGI app (Flask test client: cookie session, user load,
routing, ORM, marshmallow, JSON, after-request hooks; no socket) on a copy of the served demo
database (bench_http.served_database), logged in as the demo salesperson. Time is the thread's
CPU time (time.thread_time), not wall time, so other processes on the machine change it little;
rounds alternate between the endpoints and a bare Flask hello-world, and the best round counts.
Used to give each optimisation its before/after figure; `--profile NAME` prints cProfile's top
functions for one endpoint instead.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_http import EMAIL, PASSWORD, sample_ids, served_database  # noqa: E402


def endpoints(db: Path) -> dict[str, list[str]]:
    return {
        "me": ["/api/auth/me"],
        "contact": [f"/api/contacts/{i}" for i in sample_ids(db, "contacts")],
        "company": [f"/api/companies/{i}" for i in sample_ids(db, "companies")],
        "deal": [f"/api/deals/{i}" for i in sample_ids(db, "deals")],
        "timeline": [f"/api/companies/{i}/timeline" for i in sample_ids(db, "companies")],
    }


def cpu_ms(client, paths: list[str], count: int) -> float:
    """CPU milliseconds per request over `count` requests cycling through `paths`."""
    started = time.thread_time()
    for i in range(count):
        client.get(paths[i % len(paths)])
    return (time.thread_time() - started) / count * 1000


def measure(scale: int = 20, rounds: int = 5, profile: str | None = None) -> dict:
    """Best-round CPU ms and statements per request for each endpoint and the bare baseline."""
    from flask import Flask
    from sqlalchemy import event

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "tournee.db"
        shutil.copy(served_database(scale), db)
        os.environ.update(TOURNEE_INSTANCE_DIR=tmp, TOURNEE_DATABASE_URL=f"sqlite:///{db}",
                          TOURNEE_REDIS_URL="", TOURNEE_DEMO_ON_EMPTY="0")
        from app import create_app
        from app.config import Config
        from app.extensions import db as sqla

        class Here(Config):
            INSTANCE_DIR = Path(tmp)
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{db}"
            REDIS_URL = None

        app = create_app(Here)
        bare = Flask("bare")
        bare.get("/hello")(lambda: "Hello, World!")
        client, bare_client = app.test_client(), bare.test_client()
        login = client.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
        assert login.status_code == 200, login.get_json()
        paths = endpoints(db)
        statements: list[str] = []
        with app.app_context():
            event.listen(sqla.engine, "before_cursor_execute",
                         lambda *args: statements.append(args[2]))
        result: dict = {"statements": {}}
        for name, each in paths.items():
            for path in each[:20]:  # warm up; every answer must be a 200
                response = client.get(path)
                assert response.status_code == 200, (path, response.get_json())
            statements.clear()
            client.get(each[0])
            result["statements"][name] = sum(not s.startswith("BEGIN") for s in statements)
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            cpu_ms(client, paths[profile], 300)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            return result
        runs: dict[str, list[float]] = {"bare hello": [], **{name: [] for name in paths}}
        for _ in range(rounds):
            runs["bare hello"].append(cpu_ms(bare_client, ["/hello"], 500))
            for name, each in paths.items():
                runs[name].append(cpu_ms(client, each, 60 if name == "timeline" else 200))
        result["cpu_ms"] = {name: min(values) for name, values in runs.items()}
        with app.app_context():
            sqla.session.remove()
            sqla.engine.dispose()
        return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", default=None)
    opts = parser.parse_args()
    result = measure(opts.scale, opts.rounds, opts.profile)
    if opts.profile:
        return
    base = result["cpu_ms"]["bare hello"]
    print("| request | CPU ms | x bare hello | SQL statements |")
    print("|---|---|---|---|")
    for name, ms in result["cpu_ms"].items():
        print(f"| {name} | {ms:.3f} | {ms / base:.1f}x | {result['statements'].get(name, 0)} |")


if __name__ == "__main__":
    main()
