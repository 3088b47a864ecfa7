"""Where a contact GET's time goes: the same read written three ways, in one app and server.

    .venv/bin/python bench/bench_floor.py [--scale 20] [--seconds 5] [--rounds 3]

bench_http.py compares GET /api/contacts/{id} with a bare hello-world (target >= 0.5). This
asks what the framework's request handling leaves for the read itself. The app is served as
`tournee serve` serves it (create_app, app.serve.gunicorn_options, same environment), with two
diagnostic routes added by this script only, never by the app:

- /floor/core/contacts/<id>: SQLAlchemy Core, no ORM: `engine.connect()`, three text()
  statements (the session record and its user, the contact with its owner's name, its
  companies), the row turned into a dict by hand and json.dumps;
- /floor/raw/contacts/<id>: the same three statements on the pool's raw DBAPI connection
  (sqlite3 cursor), nothing of SQLAlchemy's execution around them.

Both read the signed session cookie through Flask and refuse (401) a session that is unknown,
revoked, expired or whose user is inactive, as the app's check does; both run the app's
before/after-request hooks (security headers...). They skip Flask-Login, the endpoint
decorator (request turns, validation, the compiled dump) and the ORM. SQLite only (hex
UUIDs, sqlite3's named parameters). Load and CPU accounting: bench_http.py (wrk, 16 connections, the
servers' own CPU per request), each against the bare hello-world of the same run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_http  # noqa: E402

SESSION_SQL = ("SELECT u.id FROM user_sessions s JOIN users u ON u.id = s.user_id "
               "WHERE s.id = :digest AND s.revoked_at IS NULL AND s.created_at >= :born "
               "AND s.last_seen_at >= :seen AND u.active = 1 AND u.deleted_at IS NULL")
CONTACT_SQL = ("SELECT c.id, c.version, c.created_at, c.updated_at, c.first_name, c.last_name, "
               "c.job_title, c.email, c.phone, c.mobile, c.owner_id, u.name, c.notes "
               "FROM contacts c LEFT JOIN users u ON u.id = c.owner_id "
               "WHERE c.id = :id AND c.deleted_at IS NULL")
LINKS_SQL = ("SELECT l.company_id, l.role, co.name FROM company_contacts l "
             "JOIN companies co ON co.id = l.company_id WHERE l.contact_id = :id")
KEYS = ("id", "version", "created_at", "updated_at", "first_name", "last_name", "job_title",
        "email", "phone", "mobile", "owner_id", "owner_name", "notes")


def add_floor_routes(app) -> None:
    """The two diagnostic reads, on the app's own engine and session cookie."""
    from flask import Response, session
    from sqlalchemy import text

    from app.api.security import TOKEN_KEY, lifetime
    from app.extensions import db
    from app.models import utcnow

    def session_params() -> dict | None:
        token = session.get(TOKEN_KEY)
        if not isinstance(token, str):
            return None
        span, now = lifetime(), utcnow().replace(tzinfo=None)
        return {"digest": hashlib.sha256(token.encode()).hexdigest(),
                "born": str(now - span.absolute), "seen": str(now - span.idle)}

    def answer(contact, links) -> Response:
        if contact is None:
            return Response('{"error": "not_found"}', 404, mimetype="application/json")
        record = dict(zip(KEYS, contact, strict=True))
        record["companies"] = [{"company_id": c, "role": r, "name": n} for c, r, n in links]
        return Response(json.dumps(record), mimetype="application/json")

    unauthorized = ('{"error": "unauthorized"}', 401, {"Content-Type": "application/json"})
    statements = [text(s) for s in (SESSION_SQL, CONTACT_SQL, LINKS_SQL)]

    @app.get("/floor/core/contacts/<contact_id>")
    def floor_core(contact_id: str):
        params = session_params()
        if params is None:
            return unauthorized
        key = {"id": contact_id.replace("-", "")}
        with db.engine.connect() as conn:
            if conn.execute(statements[0], params).first() is None:
                return unauthorized
            contact = conn.execute(statements[1], key).first()
            links = conn.execute(statements[2], key).all()
        return answer(contact, links)

    @app.get("/floor/raw/contacts/<contact_id>")
    def floor_raw(contact_id: str):
        params = session_params()
        if params is None:
            return unauthorized
        key = {"id": contact_id.replace("-", "")}
        conn = db.engine.raw_connection()
        try:  # sqlite3 takes the same :name parameters
            cur = conn.cursor()
            cur.execute(SESSION_SQL, params)
            if cur.fetchone() is None:
                return unauthorized
            contact = cur.execute(CONTACT_SQL, key).fetchone()
            links = cur.execute(LINKS_SQL, key).fetchall()
            cur.close()
        finally:
            conn.close()
        return answer(contact, links)


def serve(port: int) -> None:
    """`tournee serve`'s setup, with the diagnostic routes added in each process."""
    from app import create_app
    from app.serve import TourneeServer

    class FloorServer(TourneeServer):
        def load(self):
            app = create_app()
            add_floor_routes(app)
            return app

    FloorServer(bench_http.serve_options(port)).run()


def check_same(servers: bench_http.Servers, ids: list[str]) -> None:
    """The diagnostic reads answer what the app answers (the fields both have), and refuse a
    request without the session cookie."""
    import urllib.error
    import urllib.request

    def get(path: str, cookie: bool = True) -> dict:
        request = urllib.request.Request(servers.url("app", path))
        if cookie:
            request.add_header("Cookie", servers.cookie)
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    for contact_id in ids:
        app = get(f"/api/contacts/{contact_id}")
        want = {k: app[k] for k in ("first_name", "last_name", "email", "owner_name", "notes")}
        want["companies"] = sorted((c["name"], c["role"]) for c in app["companies"])
        for kind in ("core", "raw"):
            got = get(f"/floor/{kind}/contacts/{contact_id}")
            got["companies"] = sorted((c["name"], c["role"]) for c in got["companies"])
            if {k: got[k] for k in want} != want:
                raise SystemExit(f"{kind} differs from the app for {contact_id}: {got} {want}")
            try:
                get(f"/floor/{kind}/contacts/{contact_id}", cookie=False)
            except urllib.error.HTTPError as exc:
                assert exc.code == 401, exc.code
            else:
                raise SystemExit(f"{kind} answered without a session")


def run(scale: int = 20, seconds: float = 5, rounds: int = 3) -> dict:
    data = bench_http.served_database(scale)
    ids = bench_http.sample_ids(data, "contacts")
    paths = {"app": [f"/api/contacts/{i}" for i in ids],
             "core": [f"/floor/core/contacts/{i}" for i in ids],
             "raw": [f"/floor/raw/contacts/{i}" for i in ids]}
    with tempfile.TemporaryDirectory() as tmp:
        servers = bench_http.Servers(data, Path(tmp),
                                     app_argv=[sys.executable, __file__, "--serve"])
        try:
            check_same(servers, ids[:20])
            results = bench_http.compare(
                servers, [(name, "app", p, "bare", ["/hello"]) for name, p in paths.items()],
                seconds, rounds, 16)
            problems = servers.problems()
        finally:
            servers.stop()
    return {"results": results, "problems": problems}


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    opts = parser.parse_args()
    out = run(opts.scale, opts.seconds, opts.rounds)
    names = {"app": "GET /api/contacts/{id} (the app)",
             "core": "same read, SQLAlchemy Core, no ORM or Flask-Login",
             "raw": "same read, raw DBAPI (sqlite3)"}
    print("| request | req/s | hello req/s | ratio | CPU ms | hello CPU ms | non-2xx |")
    print("|---|---|---|---|---|---|---|")
    for name, r in out["results"].items():
        app, base = r["app"], r["base"]
        print(f"| {names[name]} | {app['rps']:.0f} | {base['rps']:.0f} | "
              f"{app['rps'] / base['rps']:.2f} | {app['cpu_ms']:.2f} | {base['cpu_ms']:.2f} | "
              f"{app['non2xx']} |")
    for line in out["problems"]:
        print("problem:", line)
    if any(r["app"]["non2xx"] for r in out["results"].values()) or out["problems"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
