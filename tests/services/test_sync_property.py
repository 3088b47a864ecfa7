"""Property: any interleaving, replay and loss of push batches from several devices ends in the
state that applying each mutation once, in the order the server first saw it, gives."""

from __future__ import annotations

import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app import create_app
from app.config import TestConfig
from app.extensions import db
from app.models import Company, Exchange, SyncClient, User
from app.services import sync
from app.services.setup import prepare_database
from tests.conftest import empty_all_tables
from tests.databases import ON_POSTGRES, fresh_database

USERS = [uuid.UUID(int=1), uuid.UUID(int=2)]
COMPANIES = [uuid.UUID(int=100 + i) for i in range(3)]  # ids the devices may create
EXCHANGES = [uuid.UUID(int=200 + i) for i in range(6)]
T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)

# One mutation without its seq: (entity, op, id, data, base_version)
mutation = st.one_of(
    st.tuples(st.just("company"), st.just("create"), st.sampled_from(COMPANIES),
              st.fixed_dictionaries({"name": st.sampled_from(["Dupont", "Martin"])}),
              st.none()),
    st.tuples(st.just("company"), st.just("update"), st.sampled_from(COMPANIES),
              st.fixed_dictionaries({"city": st.sampled_from(["Lyon", "Nantes", "Brest"])}),
              st.integers(1, 3)),
    st.tuples(st.just("exchange"), st.just("create"), st.sampled_from(EXCHANGES),
              st.fixed_dictionaries({"subject": st.sampled_from(["Appel", "Visite"]),
                                     "company_id": st.sampled_from([None, *COMPANIES])}),
              st.none()),
    st.tuples(st.just("exchange"), st.just("delete"), st.sampled_from(EXCHANGES),
              st.none(), st.none()),
)
device = st.tuples(st.sampled_from([0, 1]), st.lists(mutation, min_size=1, max_size=8))
# A delivery: which device, how far before its acknowledged point it restarts, how many it
# sends, and whether the answer is lost after the server committed.
step = st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(1, 4), st.booleans())


@dataclass
class Device:
    user: int
    client_id: uuid.UUID
    mutations: list[sync.Mutation]
    acked: int = 0  # mutations the device knows the server finished
    first_seen: list = field(default_factory=list)


def _mutation(seq: int, spec: tuple) -> sync.Mutation:
    entity, op, record_id, data, base_version = spec
    if entity == "exchange" and op == "create":
        data = {**data, "kind": "call", "starts_at": T0 + timedelta(minutes=seq)}
    return sync.Mutation(seq, entity, op, record_id, dict(data) if data else None, base_version)


_POSTGRES_URLS: dict[str, str] = {}  # on PostgreSQL: one database per side, emptied per example
_FILLED: set[str] = set()


def _database(folder: Path) -> str:
    if not ON_POSTGRES:
        return fresh_database(folder, "sync")
    if folder.name not in _POSTGRES_URLS:
        _POSTGRES_URLS[folder.name] = fresh_database(folder, "sync")
    return _POSTGRES_URLS[folder.name]


def _fresh_app(folder: Path):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = _database(folder)
        INSTANCE_DIR = folder

    app = create_app(Config)
    with app.app_context():
        if ON_POSTGRES and app.config["SQLALCHEMY_DATABASE_URI"] in _FILLED:
            empty_all_tables()
        else:
            db.create_all()
            _FILLED.add(app.config["SQLALCHEMY_DATABASE_URI"])
        prepare_database(db.session)
        for i, user_id in enumerate(USERS):
            db.session.add(User(id=user_id, email=f"u{i}@example.fr", name=f"U{i}"))
        db.session.commit()
    return app


def _push(device: Device, batch: list[sync.Mutation]) -> list[sync.Result]:
    user = db.session.get(User, USERS[device.user])
    fresh = [sync.Mutation(m.seq, m.entity, m.op, m.id, dict(m.data) if m.data else None,
                           m.base_version) for m in batch]  # the service may consume data
    results, _ = sync.push(db.session, user, device.client_id, fresh)
    db.session.commit()
    return results


def _state() -> tuple:
    companies = db.session.execute(select(
        Company.id, Company.name, Company.city, Company.version, Company.deleted_at.is_(None))
        .order_by(Company.id)).all()
    exchanges = db.session.execute(select(
        Exchange.id, Exchange.subject, Exchange.company_id, Exchange.created_by_id,
        Exchange.deleted_at.is_(None)).order_by(Exchange.id)).all()
    clients = db.session.execute(select(SyncClient.client_id, SyncClient.user_id,
                                        SyncClient.last_seq).order_by(SyncClient.client_id)).all()
    return tuple(map(tuple, companies)), tuple(map(tuple, exchanges)), tuple(map(tuple, clients))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(devices=st.lists(device, min_size=1, max_size=3), steps=st.lists(step, max_size=12))
def test_replays_and_losses_change_nothing(devices, steps):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "a").mkdir()
        (folder / "b").mkdir()
        fleet = [Device(user, uuid.UUID(int=1000 + i),
                        [_mutation(seq, spec) for seq, spec in enumerate(specs, start=1)])
                 for i, (user, specs) in enumerate(devices)]
        order: list[tuple[Device, sync.Mutation, str]] = []

        with _fresh_app(folder / "a").app_context():
            schedule = [(fleet[i % len(fleet)], back, size, lost)
                        for i, back, size, lost in steps]
            schedule += [(d, 0, len(d.mutations), False) for d in fleet]  # everyone finishes
            for dev, back, size, lost in schedule:
                start = max(0, dev.acked - back)
                batch = dev.mutations[start:start + size]
                if not batch:
                    continue
                for m, result in zip(batch, _push(dev, batch), strict=True):
                    if result.status != "duplicate":
                        order.append((dev, m, result.status))
                if not lost:
                    dev.acked = max(dev.acked, start + len(batch))
            replayed = _state()
            db.session.remove()
            db.engine.dispose()

        # Every mutation reached the server, and exactly once.
        assert sorted((id(d), m.seq) for d, m, _ in order) == sorted(
            (id(d), m.seq) for d in fleet for m in d.mutations)

        with _fresh_app(folder / "b").app_context():
            statuses = [_push(dev, [m])[0].status for dev, m, _ in order]
            once = _state()
            db.session.remove()
            db.engine.dispose()

        assert statuses == [status for _, _, status in order]
        assert replayed == once
