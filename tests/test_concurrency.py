"""Concurrent writers on one SQLite file through the real threaded server: no lock errors."""

from __future__ import annotations

import threading
import uuid

from sqlalchemy import func, select
from werkzeug.serving import make_server

from app.extensions import db
from app.models import Exchange
from tests.factories import PASSWORD, CompanyFactory, UserFactory
from tests.http_client import Session

THREADS, PER_THREAD = 6, 15


def test_parallel_writes_all_land_once(app):
    users = [UserFactory() for _ in range(THREADS)]
    company = CompanyFactory()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    failures: list = []

    def work(user) -> None:
        client = Session(base)
        status, body = client.post("/api/auth/login", {"email": user.email, "password": PASSWORD})
        client.csrf = body.get("csrf_token", "")
        for _ in range(PER_THREAD):
            status, body = client.post("/api/exchanges", {
                "id": str(uuid.uuid4()), "kind": "call", "starts_at": "2026-11-24T09:00:00Z",
                "company_id": str(company.id), "subject": "Appel"})
            if status != 201:
                failures.append((status, body))

    try:
        threads = [threading.Thread(target=work, args=(u,)) for u in users]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    finally:
        server.shutdown()
    assert failures == []
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Exchange)) == THREADS * PER_THREAD
    seqs = db.session.scalars(select(Exchange.change_seq)).all()
    assert len(set(seqs)) == len(seqs)
