"""Authorization matrix: every route of Flask's URL map, called by five actors.

The rows (tests/authz_rows.py) say what anonymous callers, the records' owner (Alice, sales),
another salesperson (Bruno), a manager and an admin each get from every route. A route
without a row, or a row whose route is gone, fails `test_every_route_has_a_row`: a new route
cannot ship without someone deciding who may call it.

The world is built once for the module (a database per test would cost ~400 of them); reads
share it and every write to someone else's record acts on a record made for that call, so no
outcome depends on the order of the calls. A refused write must leave every table as it was,
and nothing sent to anyone who may not see a private exchange may quote it.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from simple_websocket import ConnectionError as Refused
from sqlalchemy import select, text

from app import create_app
from app.config import TestConfig
from app.extensions import db
from app.models import (
    Alert,
    CalendarFeed,
    ExchangeKind,
    Notification,
    Outcome,
    utcnow,
)
from app.services.events import add_event
from app.services.setup import prepare_database
from tests.app_server import AppServer
from tests.authz_rows import ACTORS, EXCHANGES, ROWS, SECRETS, SEES, Case, Ctx, Row
from tests.conftest import Auth, IsolatedClient
from tests.factories import (
    PASSWORD,
    CompanyContactFactory,
    CompanyFactory,
    ContactFactory,
    DealFactory,
    ExchangeFactory,
    TaskFactory,
    UserFactory,
    assert_error,
)
from tests.push_peer import FakeDevice
from tests.test_live_socket import PortClient

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(64))
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
USUAL_CODES = {401: "unauthorized", 403: "forbidden", 404: "not_found",
               422: "validation_error", 426: "upgrade_required"}
# Bookkeeping of the login machinery, not anyone's data: left out of "nothing changed".
NOT_DATA = {"user_sessions", "login_failures"}
TEXTS = {"fr": {"title": "Fiche créée", "body": "par Alice"},
         "en": {"title": "Record created", "body": "by Alice"}}


@dataclass(frozen=True)
class WsAnswer:
    """What a WebSocket handshake got, shaped like a response for the matrix."""

    status_code: int
    is_json: bool = False

    def get_data(self, as_text: bool = False) -> str | bytes:
        return "" if as_text else b""


class World:
    """Alice's records and everyone's sessions (see tests/authz_rows.py), and fresh records."""

    JPEG = JPEG
    PASSWORD = PASSWORD

    def __init__(self, app) -> None:
        self.app = app
        self.users = {
            "owner": UserFactory(name="Alice Sales", email="alice@example.fr"),
            "other": UserFactory(name="Bruno Sales", email="bruno@example.fr"),
            "manager": UserFactory(name="Marc Manager", email="marc@example.fr",
                                   role="manager"),
            "admin": UserFactory(name="Agnès Admin", email="agnes@example.fr", role="admin"),
        }
        self.ids: dict[str, str] = {"alice": self.user_id("owner")}
        self.http = {actor: self.fresh_http(actor) for actor in ACTORS}
        self._server: AppServer | None = None
        self._build()

    # -- people ---------------------------------------------------------------------------

    def user_id(self, actor: str) -> str:
        return str(self.users[actor].id)

    def email(self, actor: str) -> str:
        return self.users[actor].email

    def fresh_http(self, actor: str) -> Auth:
        helper = Auth(self.app.test_client())
        if actor != "anonymous":
            assert helper.login(self.email(actor)).status_code == 200
        return helper

    # -- the world ------------------------------------------------------------------------

    def _build(self) -> None:
        alice, bruno, now = self.users["owner"], self.users["other"], utcnow()
        company = CompanyFactory(name="Cachou Industries", owner=alice)
        contact = ContactFactory(last_name="Durand", owner=alice)
        CompanyContactFactory(company=company, contact=contact)
        deal = DealFactory(name="Copieurs", company=company, owner=alice)
        on = {"company": company, "contact": contact, "deals": [deal], "created_by": alice}
        made = {
            "pub": ExchangeFactory(subject="Appel public", starts_at=now - timedelta(days=1),
                                   **on),
            "priv_a": ExchangeFactory(private=True, state="planned", subject=SECRETS["priv_a"],
                                      details=SECRETS["priv_a"],
                                      starts_at=now + timedelta(days=1), **on),
            "priv_ab": ExchangeFactory(private=True, state="planned", participants=[bruno],
                                       subject=SECRETS["priv_ab"],
                                       starts_at=now + timedelta(days=1, hours=1), **on),
        }
        self.ids |= {name: str(e.id) for name, e in made.items()}
        self.ids |= {"company": str(company.id), "contact": str(contact.id),
                     "deal": str(deal.id)}
        for record_type, record in (("company", company), ("contact", contact), ("deal", deal)):
            self.ids[f"{record_type}_event_plain"] = str(add_event(
                db.session, record_type, record.id, "record_created", TEXTS, alice.id).id)
            for name, exchange in made.items():
                self.ids[f"{record_type}_event_{name}"] = str(add_event(
                    db.session, record_type, record.id, "record_created", TEXTS, alice.id,
                    exchange_id=exchange.id).id)
        db.session.commit()
        self.ids["file_company"] = self._upload("company", self.ids["company"])
        for name in EXCHANGES:
            self.ids[f"file_{name}"] = self._upload("exchange", self.ids[name],
                                                    SECRETS.get(name, "Compte rendu"))
        self.ids["task_aa"] = self.task("owner", exchange_id=made["priv_a"].id).id
        self.ids["task_ab"] = self.task("other").id
        self.ids["note"] = self.notification().id
        self.ids["alert_a"] = self.alert("owner").id
        self.ids["alert_none"] = self.alert(None).id
        self.ids["device"] = self.device().id
        self.feed()

    def _upload(self, entity: str, entity_id: str, words: str | None = None) -> str:
        content, name = (JPEG, "photo.jpg") if words is None else (words.encode(), "cr.txt")
        form = {"entity": entity, "entity_id": entity_id, "file": (io.BytesIO(content), name)}
        response = self.http["owner"].post("/api/attachments", data=form,
                                           content_type="multipart/form-data")
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.get_json()["id"]

    # -- records made for one call (all Alice's) ------------------------------------------

    @staticmethod
    def _made(obj: Any, **extra: Any) -> SimpleNamespace:
        return SimpleNamespace(id=str(obj.id), version=getattr(obj, "version", None), **extra)

    def company(self) -> SimpleNamespace:
        return self._made(CompanyFactory(owner=self.users["owner"]))

    def contact(self) -> SimpleNamespace:
        return self._made(ContactFactory(owner=self.users["owner"]))

    def deal(self) -> SimpleNamespace:
        return self._made(DealFactory(owner=self.users["owner"]))

    def exchange(self, private: bool = False, with_other: bool = False) -> SimpleNamespace:
        participants = [self.users["other"]] if with_other else []
        return self._made(ExchangeFactory(created_by=self.users["owner"], private=private,
                                          participants=participants))

    def task(self, assignee: str, **fields: Any) -> SimpleNamespace:
        return self._made(TaskFactory(assignee_id=self.users[assignee].id,
                                      created_by_id=self.users["owner"].id, **fields))

    def attachment(self, entity: str, **exchange: bool) -> SimpleNamespace:
        owner_id = self.company().id if entity == "company" else self.exchange(**exchange).id
        return SimpleNamespace(id=self._upload(entity, owner_id))

    def notification(self) -> SimpleNamespace:
        note = Notification(user_id=self.users["owner"].id, kind="record_created",
                            record_type="company", record_id=uuid.UUID(self.ids["company"]),
                            texts=TEXTS, url="/#/")
        db.session.add(note)
        db.session.commit()
        return self._made(note)

    def alert(self, actor: str | None) -> SimpleNamespace:
        """An open alert whose situation holds: Alice's deal past its close date, or a
        company nobody is in charge of."""
        if actor is None:
            record = CompanyFactory(owner=None)
            rule, record_type = "record_unowned", "company"
        else:
            record = DealFactory(owner=self.users[actor],
                                 expected_close_date=date.today() - timedelta(days=3))
            rule, record_type = "deal_overdue", "deal"
        alert = Alert(rule=rule, record_type=record_type, record_id=record.id,
                      user_id=None if actor is None else self.users[actor].id,
                      facts={"title": "Dossier", "date": "2026-01-01",
                             "since": "2026-01-01T00:00:00Z"})
        db.session.add(alert)
        db.session.commit()
        return self._made(alert)

    def device_json(self) -> dict:
        return FakeDevice().subscription_info(f"https://push.example.org/{uuid.uuid4()}")

    def device(self) -> SimpleNamespace:
        body = self.device_json()
        response = self.http["owner"].post("/api/push/subscriptions", json=body)
        assert response.status_code == 201, response.get_data(as_text=True)
        return SimpleNamespace(id=response.get_json()["id"], endpoint=body["endpoint"])

    def entry(self, name: str) -> SimpleNamespace:
        model = ExchangeKind if name == "exchange-kinds" else Outcome
        key = f"k{uuid.uuid4().hex[:12]}"
        entry = model(id=uuid.uuid4(), key=key, name_fr="Salon", name_en="Fair",
                      abbreviation="SAL")
        db.session.add(entry)
        db.session.commit()
        return self._made(entry)

    def feed(self) -> SimpleNamespace:
        assert self.http["owner"].get("/api/calendar-feed").status_code == 200
        return SimpleNamespace(token=self.feed_token())

    def feed_token(self) -> str:
        db.session.rollback()
        return db.session.get(CalendarFeed, self.users["owner"].id).token

    def outbox_targets(self) -> SimpleNamespace:
        return SimpleNamespace(priv=self.exchange(private=True), company=self.company(),
                               alert=self.alert("owner"), pub=self.exchange())

    # -- reading back ---------------------------------------------------------------------

    def load(self, model: type, record_id: str) -> Any:
        db.session.rollback()
        return db.session.get(model, uuid.UUID(record_id))

    def all(self, model: type, **where: Any) -> list:
        db.session.rollback()
        return list(db.session.scalars(select(model).filter_by(**where)))

    # -- the live socket, over a real server ----------------------------------------------

    def websocket(self, actor: str, origin: str | None = None) -> WsAnswer:
        host = self._serve()
        headers = {"Origin": origin or f"http://{host}"}
        if actor != "anonymous":
            name = self.app.config["SESSION_COOKIE_NAME"]
            cookie = self.http[actor].client.get_cookie(name)
            headers["Cookie"] = f"{name}={cookie.value}"
        try:
            ws = PortClient.connect(f"ws://{host}/api/live", headers=headers)
        except Refused as refused:
            return WsAnswer(refused.status_code)
        ws.close()
        return WsAnswer(101)

    def _serve(self) -> str:
        if self._server is None:
            self._server = AppServer(self.app)
        return f"127.0.0.1:{self._server.server_port}"

    def close(self) -> None:
        if self._server is not None:
            self._server.stop()


def fingerprint() -> dict:
    """Every row of every table (the search index and change counter included)."""
    db.session.rollback()
    tables = {name: sorted(map(repr, db.session.execute(select(table))))
              for name, table in db.metadata.tables.items() if name not in NOT_DATA}
    tables["search_index"] = sorted(map(repr, db.session.execute(
        text("SELECT entity, entity_id, title, body FROM search_index"))))
    return tables


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("authz")

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder / 'test.db'}"
        INSTANCE_DIR = folder

    app = create_app(Config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
        prepare_database(db.session)
        db.session.commit()
        built = World(app)
        yield built
        built.close()
        db.session.remove()
        db.engine.dispose()


def route_keys(app) -> set[str]:
    """(method, rule) of every route, HEAD and OPTIONS aside; "WS" for a WebSocket rule."""
    keys = set()
    for rule in app.url_map.iter_rules():
        if getattr(rule, "websocket", False):
            keys.add(f"WS {rule.rule}")
            continue
        keys |= {f"{method} {rule.rule}" for method in rule.methods - {"HEAD", "OPTIONS"}}
    return keys


def test_every_route_has_a_row(world):
    rows = [row.key for row in ROWS]
    routes = route_keys(world.app)

    assert len(rows) == len(set(rows)), "one row per route"
    assert sorted(routes - set(rows)) == [], "routes without a row in tests/authz_rows.py"
    assert sorted(set(rows) - routes) == [], "rows for routes that are gone"


def run_case(world: World, case: Case, actor: str, method: str) -> None:
    target = case.prepare(world) if case.prepare is not None else None
    ctx = Ctx(world, actor, world.http[actor], target)
    before = fingerprint() if method in WRITES else None
    response = case.call(ctx)
    expected = case.expect[ACTORS.index(actor)]
    where = f"{case.name}, as {actor}"
    assert response.status_code == expected, (where, response.get_data(as_text=True))
    if expected >= 400 and response.is_json:
        assert_error(response, expected, {**USUAL_CODES, **case.codes}.get(expected))
    if before is not None and expected >= 400:
        assert fingerprint() == before, f"{where}: a refused write changed something"
    if not case.reveals:
        body = response.get_data()
        for name, secret in SECRETS.items():
            assert name in SEES[actor] or secret.encode() not in body, f"{where}: {name} leaked"
    if case.check is not None:
        case.check(ctx, response)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.key)
def test_route(world, row: Row, actor: str):
    for case in row.cases:
        run_case(world, case, actor, row.method)
