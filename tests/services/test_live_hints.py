"""What the live broker is handed at commit: hints to the right people, never before commit,
never for what was rolled back."""

from __future__ import annotations

import json

from app.extensions import db
from app.live.broker import Connection
from app.schemas.exchange import exchange_patch_schema, exchange_schema
from app.services import exchanges
from tests.factories import CompanyFactory


def listen(app, *users) -> list[Connection]:
    conns = [Connection(user.id) for user in users]
    for conn in conns:
        app.extensions["live"].register(conn)
    return conns


def received(conn: Connection) -> list[dict]:
    out = []
    while not conn.queue.empty():
        out.append(json.loads(conn.queue.get_nowait()))
    return out


def log(user, **fields):
    data = exchange_schema.load({"kind": "call", "starts_at": "2026-11-24T09:00:00Z", **fields})
    exchange, _ = exchanges.create_exchange(db.session, user, data)
    return exchange


def test_a_public_exchange_hints_everyone_after_commit_only(app, people):
    company = CompanyFactory(owner=people.b)
    db.session.commit()
    a, b, c = listen(app, people.a, people.b, people.c)

    exchange = log(people.a, company_id=str(company.id), subject="Relance")
    db.session.flush()
    assert [received(x) for x in (a, b, c)] == [[], [], []]  # flushed is not committed
    db.session.commit()

    hint = {"type": "changes", "cursor": str(exchange.change_seq)}
    assert received(a) == [hint] and received(c) == [hint]
    hint_b, notice = received(b)
    assert hint_b == hint
    assert notice["type"] == "notification" and notice["kind"] == "exchange_logged"
    assert notice["title"] == company.name and notice["body"].endswith(" : Relance")
    assert notice["url"] == f"/#/companies/{company.id}"
    assert "texts" not in notice and "topic" not in notice


def test_a_private_exchange_is_hinted_to_its_people_only(app, people):
    company = CompanyFactory(owner=people.c)
    db.session.commit()
    a, b, c = listen(app, people.a, people.b, people.c)

    exchange = log(people.a, company_id=str(company.id), private=True,
                   participant_ids=[str(people.b.id)])
    db.session.commit()

    hint = {"type": "changes", "cursor": str(exchange.change_seq)}
    assert received(a) == [hint]
    hint_b, shared = received(b)  # a participant: told it was shared with them
    assert hint_b == hint and shared["kind"] == "exchange_shared"
    assert received(c) == []  # the owner is not a participant: not even a hint


def test_making_an_exchange_private_tells_every_device_to_drop_it(app, people):
    exchange = log(people.a, subject="Visite")
    db.session.commit()
    (c,) = listen(app, people.c)

    data = exchange_patch_schema.load({"private": True})
    exchanges.update_exchange(db.session, people.a, exchange.id, data, exchange.version)
    db.session.commit()

    assert received(c) == [{"type": "changes", "cursor": str(exchange.change_seq)}]


def test_nothing_is_published_for_a_rolled_back_transaction_or_savepoint(app, people):
    company = CompanyFactory(owner=people.b)
    db.session.commit()
    (b,) = listen(app, people.b)

    log(people.a, company_id=str(company.id))
    db.session.rollback()
    savepoint = db.session.begin_nested()
    log(people.a, company_id=str(company.id))
    savepoint.rollback()
    db.session.commit()

    assert [m for m in received(b) if m["type"] == "notification"] == []


def test_a_released_savepoint_publishes_nothing_until_the_real_commit(app, people):
    company = CompanyFactory(owner=people.b)
    db.session.commit()
    (b,) = listen(app, people.b)

    savepoint = db.session.begin_nested()
    log(people.a, company_id=str(company.id), subject="Pas encore")
    savepoint.commit()  # what a sync batch does after each mutation
    assert received(b) == []
    db.session.rollback()  # ...and the batch fails after all

    assert received(b) == []
    assert app.extensions["jobs"].pending() == 0
