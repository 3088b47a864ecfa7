"""Schemathesis against /api/openapi.json: every documented operation, as an anonymous caller
and as a logged-in salesperson, answers without a 5xx and as its document says (status, content
type, headers, body), and refuses what the document says is invalid. All phases run: examples,
coverage and fuzzing per operation (valid and invalid inputs), then stateful scenarios that
follow the document's links (create -> read, edit with the version read, delete...).

The budget comes from the environment (see docs/fuzzing.md and scripts/fuzz.sh):
TOURNEE_FUZZ_EXAMPLES   fuzzing cases per operation and identity (default 5)
TOURNEE_FUZZ_SCENARIOS  stateful scenarios (default 15), TOURNEE_FUZZ_STEPS steps each (6)
TOURNEE_FUZZ_SEED       the seed (default fixed, so CI runs the same cases)
TOURNEE_FUZZ_REPORT     a file to append the cases sent per operation and status to
"""

from __future__ import annotations

import atexit
import io
import os
import re
import shutil
import tempfile
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.errors import Flaky
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ensure_resource_availability,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    use_after_free,
)

from app import create_app
from app.config import TestConfig
from app.extensions import db
from app.services.setup import prepare_database
from tests.factories import PASSWORD, UserFactory
from tests.push_peer import FakeDevice

EXAMPLES = int(os.environ.get("TOURNEE_FUZZ_EXAMPLES", "5"))
SCENARIOS = int(os.environ.get("TOURNEE_FUZZ_SCENARIOS", "15"))
STEPS = int(os.environ.get("TOURNEE_FUZZ_STEPS", "6"))
SEED = int(os.environ.get("TOURNEE_FUZZ_SEED", "20261124"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance, negative_data_rejection]
STATEFUL_CHECKS = [*CHECKS, use_after_free, ensure_resource_availability]
EMAIL, COLLEAGUE = "fuzz.sales@example.fr", "fuzz.colleague@example.fr"
LOGOUT = ("POST", "/api/auth/logout")
# Calls pass buffered=True: the test client then closes what the app sends (a file download),
# as a WSGI server does.
TALLY: defaultdict[tuple[str, str], Counter[int]] = defaultdict(Counter)  # (who, op) -> statuses
# Ids of the world's records by kind ("companies", "users"...): the generated ids are swapped
# for them half of the time, so cases reach real records and not only 404s.
KNOWN: dict[str, list[str]] = {}


class Session:
    """One client with its cookie jar, logged in once (or anonymous) and reused for every case:
    logging in per case would also trip the failed-login throttle's bookkeeping."""

    def __init__(self, app: Flask, email: str | None) -> None:
        self.email, self.csrf, self.user_id = email, "", ""
        self.client: FlaskClient = app.test_client()
        if email is not None:
            self.login()

    def login(self) -> None:
        response = self.client.post("/api/auth/login",
                                    json={"email": self.email, "password": PASSWORD})
        assert response.status_code == 200, response.get_data(as_text=True)
        self.csrf = response.json["csrf_token"]
        self.user_id = response.json["user"]["id"]

    def headers(self) -> dict[str, str]:
        return {"X-CSRF-Token": self.csrf} if self.csrf else {}


def _make_app() -> Flask:
    """The app on its own SQLite file; the `world` fixture makes the tables, not the import."""
    folder = Path(tempfile.mkdtemp(prefix="tournee-fuzz-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder / 'fuzz.db'}"
        INSTANCE_DIR = folder

    return create_app(Config)


APP = _make_app()
CONFIG = schemathesis.Config.from_dict({
    "seed": SEED,
    "suppress-health-check": ["all"],
    # The session cookie is the client's own, not a generated one.
    "generation": {"mode": "all", "max-examples": EXAMPLES, "with-security-parameters": False},
    "phases": {"stateful": {"max-steps": STEPS}},
})
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", APP, config=CONFIG)


# -- generated ids swapped for real ones -------------------------------------------------------

PATH_KINDS = {"company_id": "companies", "contact_id": "contacts", "deal_id": "deals",
              "exchange_id": "exchanges", "task_id": "tasks", "alert_id": "alerts",
              "attachment_id": "attachments", "notification_id": "notifications",
              "subscription_id": "subscriptions"}
BODY_KINDS = {**PATH_KINDS, "assignee_id": "users", "owner_id": "users",
              "kind": "kind-keys", "outcome": "outcome-keys"}
PICKLIST_KEY = r"[a-z][a-z0-9_]{0,39}"


def _swappable(value: object, kind: str) -> bool:
    """A generated value the schema accepts as well as a known one would be."""
    if not isinstance(value, str):
        return False
    if kind.endswith("-keys"):
        return re.fullmatch(PICKLIST_KEY, value) is not None
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _path_kind(path: str, name: str) -> str | None:
    if name == "record_id":  # /api/follows/{company|contact|deal}/{record_id}
        return {"company": "companies", "contact": "contacts", "deal": "deals"}[
            path.split("/")[3]]
    if name == "entry_id":  # /api/{exchange-kinds|outcomes}/{entry_id}
        return path.split("/")[2]
    return PATH_KINDS.get(name)


def _swap(values: dict, kinds: dict[str, str | None]) -> st.SearchStrategy:
    """The values as generated, or with their ids (and picklist keys) replaced by known ones
    where both are valid, so a case stays as valid or invalid as it was generated."""
    names = [n for n, kind in kinds.items()
             if kind and KNOWN.get(kind) and _swappable(values.get(n), kind)]
    if not names:
        return st.just(values)
    swapped = st.fixed_dictionaries({n: st.sampled_from(KNOWN[kinds[n] or ""]) for n in names})
    return st.one_of(st.just(values), swapped.map(lambda ids: {**values, **ids}))


@schema.hook
def flatmap_path_parameters(context, path_parameters: dict | None) -> st.SearchStrategy:
    if not path_parameters or context.operation.method.upper() == "DELETE":
        return st.just(path_parameters)  # the world's records stay (stateful runs delete)
    path = context.operation.path
    return _swap(path_parameters, {n: _path_kind(path, n) for n in path_parameters})


@schema.hook
def flatmap_query(context, query: dict | None) -> st.SearchStrategy:
    return flatmap_body(context, query)


@schema.hook
def flatmap_body(context, body: Any) -> st.SearchStrategy:
    if not isinstance(body, dict):
        return st.just(body)
    kinds: dict[str, str | None] = {n: BODY_KINDS.get(n) for n in body}
    if isinstance(body.get("entity"), str):  # an attachment's record
        kinds["entity_id"] = {"company": "companies", "deal": "deals",
                              "exchange": "exchanges"}.get(body["entity"])
    return _swap(body, kinds)


# -- the world ---------------------------------------------------------------------------------

@pytest.fixture(scope="module", autouse=True)
def world() -> Iterator[None]:
    """Tables, picklists, two salespeople and their records, alerts and notifications."""
    with APP.app_context():
        db.create_all()
        prepare_database(db.session)
        db.session.commit()
        UserFactory(email=EMAIL, name="Fanny Fuzz")
        UserFactory(email=COLLEAGUE, name="Colin Collègue")
        db.session.remove()
    user = Session(APP, EMAIL)
    attachment = _populate(user, Session(APP, COLLEAGUE))
    _learn_ids(user)
    KNOWN["attachments"] = [attachment]
    yield
    _report()
    with APP.app_context():
        db.session.remove()
        db.engine.dispose()


def _populate(user: Session, colleague: Session) -> str:
    """Records made through the API with nulls and values in every field, so responses show
    both: links between records, a private exchange, tasks both ways, an attachment, a
    follow, a device; then time passes (alerts) and a colleague hands over work (notices)."""

    def post(who: Session, url: str, body: dict) -> dict:
        response = who.client.post(url, json=body, headers=who.headers())
        assert response.status_code == 201, (url, response.get_data(as_text=True))
        return response.json

    bare = post(user, "/api/companies", {"name": "Boulangerie Fuzz"})
    company = post(user, "/api/companies", {
        "name": "Garage Fuzz", "status": "client", "phone": "04 72 00 00 00",
        "email": "garage@example.fr", "website": "https://garage.example.fr",
        "street": "1 rue du Port", "postal_code": "69001", "city": "Lyon", "country": "FR",
        "lat": 45.76, "lng": 4.83, "notes": "Client depuis 2019."})
    post(user, "/api/contacts", {"last_name": "Seul"})
    contact = post(user, "/api/contacts", {
        "first_name": "Hélène", "last_name": "Fuzz", "job_title": "Acheteuse",
        "email": "helene@example.fr", "phone": "04 72 00 00 01", "mobile": "06 12 34 56 78",
        "companies": [{"company_id": company["id"], "role": "Achats"}]})
    post(user, "/api/deals", {"name": "Pain 2027", "company_id": bare["id"]})
    deal = post(user, "/api/deals", {
        "name": "Fours 2027", "company_id": company["id"], "stage": "proposal",
        "amount": "1200.50", "recurring_amount": 30, "recurring_months": 12,
        "expected_close_date": "2026-01-15",
        "contacts": [{"contact_id": contact["id"], "role": "Décideuse"}]})
    exchange = post(user, "/api/exchanges", {
        "kind": "visit", "subject": "Visite", "details": "Four à changer.",
        "state": "done", "outcome": "interested", "company_id": company["id"],
        "contact_id": contact["id"], "deal_ids": [deal["id"]],
        "starts_at": "2026-11-24T09:12:00Z", "ends_at": "2026-11-24T10:00:00Z",
        "location": {"lat": 45.76, "lng": 4.83, "accuracy": 12}})
    post(user, "/api/exchanges", {"kind": "note", "starts_at": "2026-11-25T08:00:00Z"})
    post(user, "/api/exchanges", {"kind": "call", "private": True, "subject": "Privé",
                                  "starts_at": "2026-11-25T09:00:00Z", "state": "planned"})
    post(colleague, "/api/exchanges", {"kind": "call", "private": True, "subject": "Pas à toi",
                                       "company_id": company["id"],
                                       "starts_at": "2026-11-26T09:00:00Z"})
    post(user, "/api/tasks", {"title": "Rappeler", "due_at": "2026-01-01T09:00:00Z",
                              "company_id": company["id"], "deal_id": deal["id"],
                              "exchange_id": exchange["id"], "priority": "high"})
    post(user, "/api/tasks", {"title": "Sans date"})
    post(colleague, "/api/tasks", {"title": "Pour Fanny", "assignee_id": user.user_id,
                                   "contact_id": contact["id"], "details": "Urgent"})
    response = user.client.put(f"/api/follows/company/{bare['id']}", json={"following": True},
                               headers=user.headers())
    assert response.status_code == 200, response.get_data(as_text=True)
    post(user, "/api/push/subscriptions",
         FakeDevice().subscription_info("https://push.example.org/send/fuzz"))
    response = user.client.post("/api/attachments", headers=user.headers(), data={
        "entity": "company", "entity_id": company["id"],
        "file": (io.BytesIO(b"Devis\n"), "devis.txt")})
    assert response.status_code == 201, response.get_data(as_text=True)
    with APP.app_context():
        from app.services.alerts.engine import sweep

        sweep(db.session, now=datetime.now(UTC) + timedelta(days=400))
        db.session.commit()
    return response.json["id"]


def _learn_ids(user: Session) -> None:
    """The ids the fuzzer may swap in: what the user sees, plus a private exchange they don't."""
    lists = {"companies": "/api/companies", "contacts": "/api/contacts", "deals": "/api/deals",
             "exchanges": "/api/exchanges", "tasks": "/api/tasks", "alerts": "/api/alerts",
             "notifications": "/api/notifications", "users": "/api/users",
             "subscriptions": "/api/push/subscriptions", "exchange-kinds": "/api/exchange-kinds",
             "outcomes": "/api/outcomes"}
    for kind, url in lists.items():
        response = user.client.get(url)
        assert response.status_code == 200, (url, response.get_data(as_text=True))
        KNOWN[kind] = [item["id"] for item in response.json["items"]]
        if kind in ("exchange-kinds", "outcomes"):
            KNOWN[f"{kind.removeprefix('exchange-')[:-1]}-keys"] = [
                item["key"] for item in response.json["items"]]
    with APP.app_context():
        from app.models import Exchange

        hidden = db.session.query(Exchange.id).filter(Exchange.subject == "Pas à toi").scalar()
        KNOWN["exchanges"].append(str(hidden))
        db.session.remove()
    assert all(KNOWN.values()), KNOWN


def _report() -> None:
    """With TOURNEE_FUZZ_REPORT=path: the cases sent per identity and operation, by status."""
    path = os.environ.get("TOURNEE_FUZZ_REPORT")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as out:
        for (who, label), statuses in sorted(TALLY.items()):
            counts = " ".join(f"{code}:{n}" for code, n in sorted(statuses.items()))
            out.write(f"{who}\t{label}\t{sum(statuses.values())}\t{counts}\n")


@pytest.fixture(scope="module")
def anonymous() -> Session:
    return Session(APP, None)


@pytest.fixture(scope="module")
def sales() -> Session:
    return Session(APP, EMAIL)


@pytest.fixture(scope="module")
def leaver() -> Session:
    """Another session of the same user, for logout cases: logging the main one out would
    leave every later case anonymous."""
    return Session(APP, EMAIL)


# -- the tests ---------------------------------------------------------------------------------

@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_anonymous(case, anonymous: Session) -> None:
    response = case.call_and_validate(session=anonymous.client, checks=CHECKS, buffered=True)
    TALLY[("anonymous", case.operation.label)][response.status_code] += 1


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_logged_in(case, sales: Session, leaver: Session) -> None:
    user = leaver if (case.method.upper(), case.path) == LOGOUT else sales
    response = case.call_and_validate(session=user.client, headers=user.headers(),
                                      checks=CHECKS, buffered=True)
    TALLY[("sales", case.operation.label)][response.status_code] += 1
    if user is leaver and response.status_code == 204:
        user.login()


def test_stateful(sales: Session) -> None:
    """Scenarios along the links, as the logged-in salesperson. A scenario's draws depend on
    what earlier ones left on the server, which Hypothesis may notice (Flaky): the run then
    goes on with fresh scenarios. Failures are collected rather than raised, so that no
    replay (which the server's state would defeat) is needed to report them."""
    assert schema.statistic.transitions.total >= 100  # the document's links, followed below
    failures: dict[str, str] = {}
    ran = 0

    class Workflow(schema.as_state_machine()):
        def setup(self) -> None:
            nonlocal ran
            ran += 1

        def call(self, case, **kwargs):
            response = case.call(session=sales.client, headers=sales.headers(), buffered=True,
                                 **kwargs)
            TALLY[("stateful", case.operation.label)][response.status_code] += 1
            return response

        def validate_response(self, response, case, additional_checks=None, **kwargs) -> None:
            try:
                case.validate_response(response, checks=STATEFUL_CHECKS,
                                       transport_kwargs=kwargs or None,
                                       recorder=getattr(self, "recorder", None))
            except FailureGroup as group:
                for failure in group.exceptions:
                    failures.setdefault(f"{case.operation.label}: {failure.title}", str(group))

    for _attempt in range(20):
        if ran >= SCENARIOS:
            break
        try:
            Workflow.run(settings=settings(Workflow.TestCase.settings, database=None,
                                           max_examples=SCENARIOS - ran, deadline=None,
                                           stateful_step_count=STEPS))
        except Flaky:
            continue
    TALLY[("stateful", "(scenarios run)")][0] += ran
    assert ran >= min(SCENARIOS, 1)
    assert not failures, "\n\n".join(failures.values())
