"""Bad input at every POST, PUT and PATCH endpoint: the one error shape, and nothing written.

Each case sends one defect on top of a payload the endpoint accepts, checks the status and the
error shape, and checks that no row (and no change_seq) was written.
"""

from __future__ import annotations

import base64
import json
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from tests.factories import (
    PASSWORD,
    CompanyFactory,
    ContactFactory,
    DealFactory,
    ExchangeFactory,
    TaskFactory,
    assert_error,
)

P256DH = base64.urlsafe_b64encode(ec.derive_private_key(12345, ec.SECP256R1()).public_key()
                                  .public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
                                  ).rstrip(b"=").decode()
OFF_CURVE = base64.urlsafe_b64encode(b"\x04" + bytes([1] * 64)).rstrip(b"=").decode()
AUTH = base64.urlsafe_b64encode(bytes(16)).rstrip(b"=").decode()
# name -> (method, url template, a payload the endpoint accepts)
ENDPOINTS = {
    "login": ("POST", "/api/auth/login", {"email": "agnes@example.fr", "password": PASSWORD}),
    "company.create": ("POST", "/api/companies", {"name": "Nouvelle"}),
    "company.update": ("PATCH", "/api/companies/{company}", {"version": 1}),
    "contact.create": ("POST", "/api/contacts", {"last_name": "Nouveau"}),
    "contact.update": ("PATCH", "/api/contacts/{contact}", {"version": 1}),
    "deal.create": ("POST", "/api/deals", {"name": "Nouvelle", "company_id": "{company}"}),
    "deal.update": ("PATCH", "/api/deals/{deal}", {"version": 1}),
    "exchange.create": ("POST", "/api/exchanges",
                        {"kind": "call", "starts_at": "2026-11-24T09:00:00Z"}),
    "exchange.update": ("PATCH", "/api/exchanges/{exchange}", {"version": 1}),
    "kind.create": ("POST", "/api/exchange-kinds",
                    {"key": "demo", "name_fr": "Démo", "name_en": "Demo", "abbreviation": "DEM"}),
    "kind.update": ("PATCH", "/api/exchange-kinds/{kind}", {"version": 1}),
    "outcome.create": ("POST", "/api/outcomes",
                       {"key": "demo", "name_fr": "Démo", "name_en": "Demo",
                        "abbreviation": "DEM"}),
    "outcome.update": ("PATCH", "/api/outcomes/{outcome}", {"version": 1}),
    "sync.push": ("POST", "/api/sync/push", {"client_id": "{client}", "mutations": []}),
    "alert.snooze": ("POST", "/api/alerts/{alert}/snooze", {"days": 7}),
    "alert_rule.save": ("PUT", "/api/alert-rules/client_neglected",
                        {"enabled": True, "params": {"months": 3}}),
    "task.create": ("POST", "/api/tasks", {"title": "Rappeler"}),
    "task.update": ("PATCH", "/api/tasks/{task}", {"version": 1}),
    "push.subscribe": ("POST", "/api/push/subscriptions",
                       {"endpoint": "https://push.example.org/send/abc",
                        "keys": {"p256dh": P256DH, "auth": AUTH}, "label": "Chrome"}),
    "push.preferences": ("PUT", "/api/push/preferences",
                         {"kinds": {"exchange_logged": False}, "timezone": "Europe/Paris",
                          "quiet_hours": {"start": "21:00", "end": "07:30"},
                          "email": {"deal_won": True}, "inapp": {"mentioned": True},
                          "auto_follow": ["deal"], "reminder_minutes": 30}),
    "follow.put": ("PUT", "/api/follows/company/{company}",
                   {"following": True, "kinds": ["exchange_logged"]}),
}
BODYLESS = {("POST", "api.auth.logout"), ("POST", "api.push.send_test"),
            ("POST", "api.agenda.rotate_calendar_feed"),
            ("POST", "api.notifications.mark_read"), ("POST", "api.notifications.mark_all_read"),
            ("POST", "api.alerts.acknowledge"), ("POST", "api.alerts.dismiss")}
MULTIPART = {("POST", "api.attachments.upload_attachment")}  # tests/api/test_attachments.py

NOT_UUID = "12345678-1234-1234-1234-12345678901Z"
COMPANY_TYPES = [("lat", "45.5"), ("lat", True), ("lng", [4.8]), ("lat", 91), ("name", 42),
                 ("name", None), ("name", ["Dupont"]), ("status", 1), ("status", "client?"),
                 ("owner_id", NOT_UUID), ("owner_id", 7), ("agency_id", {}),
                 ("email", "pas-un-email"), ("country", "France"), ("notes", False)]
CONTACT_TYPES = [("last_name", 42), ("last_name", None), ("first_name", ["Hélène"]),
                 ("email", "x@"), ("owner_id", "me"), ("companies", "Dupont"),
                 ("companies", [{"company_id": NOT_UUID}]), ("companies", [{"role": "A"}]),
                 ("companies", [{"company_id": str(uuid.UUID(int=1)), "extra": 1}]),
                 ("companies", [str(uuid.UUID(int=1))])]
DEAL_TYPES = [("name", 5), ("company_id", NOT_UUID), ("company_id", None), ("amount", "abc"),
              ("amount", True), ("amount", "NaN"), ("probability", "50"), ("probability", True),
              ("probability", 50.5), ("recurring_months", "12"), ("stage", ["won"]),
              ("expected_close_date", "2027-02-30"), ("expected_close_date", "31/03/2027"),
              ("expected_close_date", 20270331), ("currency", 978), ("contacts", {}),
              ("contacts", [{"contact_id": 5}])]
EXCHANGE_TYPES = [("private", "yes"), ("private", "true"), ("private", 1), ("private", None),
                  ("starts_at", "yesterday"), ("starts_at", "2026-13-01T00:00:00Z"),
                  ("starts_at", 1764000000), ("starts_at", None), ("ends_at", "2026-02-30"),
                  ("kind", 3), ("kind", None), ("state", "ok"), ("subject", 5),
                  ("deal_ids", [NOT_UUID]), ("deal_ids", NOT_UUID), ("participant_ids", [1]),
                  ("company_id", NOT_UUID), ("contact_id", 12),
                  ("location", {"lat": "45.7", "lng": 4.8}), ("location", "Lyon"),
                  ("location", {"lat": 45.7}), ("location", [45.7, 4.8]),
                  ("location", {"lat": 45.7, "lng": 4.8, "accuracy": "10"})]
TASK_TYPES = [("title", 5), ("title", None), ("title", "  "), ("priority", "urgent"),
              ("state", ["done"]), ("due_at", "demain"), ("due_at", 1764000000),
              ("assignee_id", None), ("assignee_id", NOT_UUID), ("deal_id", 7),
              ("exchange_id", NOT_UUID), ("company_id", {}), ("details", False)]
PICKLIST_TYPES = [("name_fr", 5), ("position", "3"), ("position", True), ("position", 1.5),
                  ("position", -1), ("active", "no"), ("active", 0), ("font_color", 123),
                  ("background_color", "blue"), ("abbreviation", None)]
WRONG_TYPES = {
    "alert.snooze": [("days", "7"), ("days", 0), ("days", 91), ("days", 1.5), ("days", True),
                     ("days", None), ("until", "demain"), ("until", 5),
                     ("until", "2020-01-01T00:00:00Z")],
    "alert_rule.save": [("enabled", "yes"), ("enabled", None), ("enabled", 1),
                        ("params", "x"), ("params", None), ("params", []),
                        ("params", {"months": "3"}), ("params", {"months": 0}),
                        ("params", {"weeks": 1})],
    "login": [("email", 5), ("password", ["x"]), ("email", None), ("password", True)],
    "company.create": COMPANY_TYPES, "company.update": COMPANY_TYPES,
    "contact.create": CONTACT_TYPES, "contact.update": CONTACT_TYPES,
    "deal.create": DEAL_TYPES, "deal.update": DEAL_TYPES,
    "exchange.create": EXCHANGE_TYPES, "exchange.update": EXCHANGE_TYPES,
    "task.create": TASK_TYPES, "task.update": TASK_TYPES,
    "kind.create": [*PICKLIST_TYPES, ("key", 5)], "kind.update": PICKLIST_TYPES,
    "outcome.create": [*PICKLIST_TYPES, ("key", "A B")], "outcome.update": PICKLIST_TYPES,
    "sync.push": [("client_id", NOT_UUID), ("client_id", None), ("mutations", "x"),
                  ("mutations", None), ("mutations", [1]),
                  ("mutations", [{"seq": "1", "entity": "exchange", "op": "create",
                                  "id": str(uuid.UUID(int=9)), "data": {}}]),
                  ("mutations", [{"seq": 1, "entity": "user", "op": "create",
                                  "id": str(uuid.UUID(int=9)), "data": {}}]),
                  ("mutations", [{"seq": 1, "entity": "exchange", "op": "upsert",
                                  "id": str(uuid.UUID(int=9))}]),
                  ("mutations", [{"seq": 0, "entity": "exchange", "op": "delete",
                                  "id": NOT_UUID}]),
                  ("mutations", [{"seq": 1, "entity": "exchange", "op": "delete",
                                  "id": str(uuid.UUID(int=9)), "extra": True}])],
    "push.subscribe": [("endpoint", 5), ("endpoint", None), ("endpoint", "ftp://push.example/x"),
                       ("endpoint", "pas une adresse"), ("endpoint", "https://u:p@push.example/"),
                       ("keys", "x"), ("keys", None), ("keys", {"p256dh": P256DH}),
                       ("keys", {"p256dh": AUTH, "auth": AUTH}),
                       ("keys", {"p256dh": P256DH, "auth": P256DH}),
                       ("keys", {"p256dh": "*not base64*", "auth": AUTH}),
                       ("keys", {"p256dh": "C" + P256DH[1:], "auth": AUTH}),
                       ("keys", {"p256dh": OFF_CURVE, "auth": AUTH}), ("label", 5),
                       ("endpoint", "https://[::1/x"), ("endpoint", "https://push.example:x/"),
                       ("expirationTime", "demain"), ("expirationTime", True)],
    "push.preferences": [("kinds", []), ("kinds", None), ("kinds", {"nope": True}),
                         ("kinds", {"exchange_logged": "yes"}),
                         ("kinds", {"exchange_logged": 1}),
                         ("quiet_hours", {"start": "25:00", "end": "07:00"}),
                         ("quiet_hours", {"start": "7:00", "end": "08:00"}),
                         ("quiet_hours", {"start": "22:00\n", "end": "07:00"}),
                         ("quiet_hours", "22:00-07:00"), ("quiet_hours", {"start": "22:00"}),
                         ("quiet_hours", {"start": "22:00", "end": "22:00"}),
                         ("timezone", "Mars/Olympus"), ("timezone", 1), ("timezone", None),
                         ("timezone", "../../etc/passwd"),
                         ("email", {"nope": True}), ("email", []), ("email", None),
                         ("inapp", {"mentioned": "no"}), ("inapp", {"mentioned": 0}),
                         ("auto_follow", ["task"]), ("auto_follow", "deal"),
                         ("auto_follow", None), ("auto_follow", ["deal"] * 7),
                         ("reminder_minutes", 1441), ("reminder_minutes", -1),
                         ("reminder_minutes", "15"), ("reminder_minutes", 1.5),
                         ("reminder_minutes", True)],
    "follow.put": [("following", "yes"), ("following", None), ("following", 1),
                   ("kinds", ["nope"]), ("kinds", "deal_won"), ("kinds", [1]),
                   ("kinds", {"deal_won": True}), ("kinds", ["deal_won"] * 13)],
}
TOO_LONG = {
    "login": [("email", 255), ("password", 1001)],
    "company.create": [("name", 201), ("notes", 10001), ("phone", 41), ("city", 121)],
    "company.update": [("name", 201), ("website", 301), ("postal_code", 21)],
    "contact.create": [("last_name", 121), ("job_title", 201), ("mobile", 41)],
    "contact.update": [("first_name", 121), ("notes", 10001)],
    "deal.create": [("name", 201), ("notes", 10001)],
    "deal.update": [("name", 201)],
    "exchange.create": [("subject", 201), ("details", 20001)],
    "exchange.update": [("subject", 201), ("details", 20001)],
    "kind.create": [("name_fr", 81), ("abbreviation", 9), ("key", 41)],
    "kind.update": [("name_en", 81)],
    "outcome.create": [("name_en", 81)],
    "outcome.update": [("abbreviation", 9)],
    "sync.push": [],
    "alert.snooze": [],
    "alert_rule.save": [],
    "task.create": [("title", 201), ("details", 20001)],
    "task.update": [("title", 201)],
    "push.subscribe": [("label", 121), ("endpoint", 1025)],
    "push.preferences": [("timezone", 65)],
    "follow.put": [],
}
CASES = [(name, field, value) for name, cases in WRONG_TYPES.items() for field, value in cases]
LONG = [(name, field, size) for name, cases in TOO_LONG.items() for field, size in cases]


def _own_alert(user, company) -> str:
    """An open alert for `user` (the snooze endpoint needs one)."""
    from app.extensions import db
    from app.models import Alert

    alert = Alert(rule="record_unowned", record_type="company", record_id=company.id,
                  user_id=user.id, facts={"title": company.name})
    db.session.add(alert)
    db.session.commit()
    return str(alert.id)


@pytest.fixture()
def ids(people):
    """Records for the PATCH endpoints, all the admin's own."""
    from app.extensions import db
    from app.models import ExchangeKind, Outcome

    company = CompanyFactory(owner=people.admin)
    return {
        "company": str(company.id),
        "contact": str(ContactFactory(owner=people.admin).id),
        "deal": str(DealFactory(company=company, owner=people.admin).id),
        "exchange": str(ExchangeFactory(created_by=people.admin).id),
        "task": str(TaskFactory(assignee_id=people.admin.id, created_by_id=people.admin.id).id),
        "kind": str(db.session.query(ExchangeKind).filter_by(key="call").one().id),
        "outcome": str(db.session.query(Outcome).filter_by(key="order").one().id),
        "client": str(uuid.uuid4()),
        "alert": _own_alert(people.admin, company),
    }


@pytest.fixture()
def admin(make_auth, people):
    return make_auth(people.admin)


@pytest.fixture()
def send(app, admin, ids):
    """send(name, **request kwargs): the admin calls the endpoint (login: an anonymous client)."""

    def call(name: str, **kwargs):
        method, url, _ = ENDPOINTS[name]
        url = url.format(**ids)
        if name == "login":
            return app.test_client().open(url, method=method, **kwargs)
        return admin._send(method, url, **kwargs)

    return call


def payload(which: str, ids: dict, /, **changes) -> dict:
    """The endpoint's accepted payload with `changes` applied."""
    base = {key: value.format(**ids) if isinstance(value, str) else value
            for key, value in ENDPOINTS[which][2].items()}
    return {**base, **changes}


def refused(response, status: int, code: str | None, case) -> dict:
    """assert_error, naming the case that failed."""
    try:
        return assert_error(response, status, code)
    except AssertionError as exc:
        raise AssertionError(f"{case!r}: {exc}") from None


def check_nothing_written(before: dict, after: dict) -> None:
    assert after == before, {k: (before[k], after[k]) for k in before if before[k] != after[k]}


class _AnyId(dict):
    def __missing__(self, key: str) -> str:
        return str(uuid.uuid4())


def test_the_table_covers_every_post_put_and_patch_endpoint(app):
    adapter = app.url_map.bind("localhost")
    covered = set()
    for method, url, _ in ENDPOINTS.values():
        endpoint, _ = adapter.match(url.format_map(_AnyId()), method=method)
        covered.add((method, endpoint))
    routes = {(method, rule.endpoint) for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api") for method in rule.methods & {"POST", "PUT", "PATCH"}}

    assert covered | BODYLESS | MULTIPART == routes


@pytest.mark.parametrize("name", ENDPOINTS)
def test_the_base_payload_is_accepted(send, ids, name):
    response = send(name, json=payload(name, ids))

    assert response.status_code in (200, 201), response.get_json()


MALFORMED = [b'{"name": ', b"{'name': 'x'}", b"", b"null", b"nul", b'{"a": 1} trailing',
             b"\xff\xfe{}", b"NaN" * 3, b"[" * 100_000 + b"]" * 100_000]


@pytest.mark.parametrize("name", ENDPOINTS)
def test_malformed_json_is_400(send, db_state, name):
    before = db_state()

    for body in MALFORMED:
        response = send(name, data=body, content_type="application/json")
        refused(response, 400, "malformed_json", body[:20])

    check_nothing_written(before, db_state())


@pytest.mark.parametrize("name", ENDPOINTS)
def test_json_that_is_not_an_object_is_400(send, db_state, name):
    before = db_state()

    for body in ([], [{"name": "x"}], "name", 42, True):
        refused(send(name, json=body), 400, "malformed_json", body)

    check_nothing_written(before, db_state())


@pytest.mark.parametrize("name", ENDPOINTS)
def test_non_json_content_type_is_415(send, ids, db_state, name):
    before = db_state()
    body = json.dumps(payload(name, ids))

    for content_type in (None, "text/plain", "application/x-www-form-urlencoded",
                         "multipart/form-data; boundary=x", "application/xml"):
        response = send(name, data=body, content_type=content_type)
        refused(response, 415, "unsupported_media_type", content_type)

    check_nothing_written(before, db_state())


@pytest.mark.parametrize("name", ENDPOINTS)
def test_unknown_fields_are_422_with_fields(send, ids, db_state, name):
    before = db_state()

    for extra in ({"nonsense": 1}, {"Name": "x"}, {"created_at": "2026-01-01T00:00:00Z"},
                  {"deleted_at": None}, {"change_seq": 1}, {"a": 1, "b": 2}):
        response = send(name, json=payload(name, ids, **extra))
        error = refused(response, 422, "validation_error", extra)
        assert set(error["fields"]) == set(extra), extra

    check_nothing_written(before, db_state())


@pytest.mark.parametrize("name", ENDPOINTS)
def test_wrong_types_are_422(send, ids, db_state, name):
    before = db_state()

    for field, value in WRONG_TYPES[name]:
        response = send(name, json=payload(name, ids, **{field: value}))
        error = refused(response, 422, "validation_error", (field, value))
        assert {key.split(".")[0] for key in error["fields"]} == {field}, (field, value, error)

    check_nothing_written(before, db_state())


@pytest.mark.parametrize("name", [n for n in ENDPOINTS if n.startswith(("company", "exchange"))])
def test_non_finite_numbers_are_422(send, ids, db_state, name):
    before = db_state()
    body = json.dumps(payload(name, ids))[:-1]
    field = '"lat"' if name.startswith("company") else '"location": {"lng": 4.8, "lat"'
    closing = "}}" if name.startswith("exchange") else "}"

    for number in ("NaN", "Infinity", "-Infinity", "1e400"):
        response = send(name, data=f"{body}, {field}: {number}{closing}",
                        content_type="application/json")
        error = refused(response, 422, "validation_error", number)
        assert {key.split(".")[0] for key in error["fields"]} <= {"lat", "location"}

    check_nothing_written(before, db_state())


@pytest.mark.parametrize("name", ENDPOINTS)
def test_over_long_strings_are_422(send, ids, db_state, name):
    before = db_state()

    for field, size in TOO_LONG[name]:
        value = "a" * (size - 6) + "@ex.fr" if field == "email" else "a" * size
        response = send(name, json=payload(name, ids, **{field: value}))
        error = refused(response, 422, "validation_error", (field, size))
        assert set(error["fields"]) == {field}

    check_nothing_written(before, db_state())


@pytest.mark.parametrize("name", ENDPOINTS)
def test_nul_characters_are_400_on_every_database(send, ids, db_state, name):
    """PostgreSQL cannot store U+0000: every endpoint refuses it, in a value or a key, nested
    or not, before anything is written (SQLite alike, so both behave the same)."""
    before = db_state()
    base = payload(name, ids)
    texts = [key for key, value in base.items() if isinstance(value, str)] or ["x"]

    for field in texts:
        body = {**base, field: f"{base.get(field, '')}\x00"}
        refused(send(name, json=body), 400, "invalid_characters", field)
    refused(send(name, json={**base, "a\x00b": 1}), 400, "invalid_characters", "key")
    refused(send(name, json={**base, "deep": [[{"x": "\x00"}]]}), 400, "invalid_characters",
            "nested")
    # A lone UTF-16 surrogate: valid JSON, but no database can encode it.
    for field in texts:
        body = f'{{"{field}": "A\\ud800"}}'.encode()
        refused(send(name, data=body, content_type="application/json"), 400,
                "invalid_characters", ("surrogate", field))

    check_nothing_written(before, db_state())


@pytest.mark.parametrize("name", ENDPOINTS)
def test_body_over_one_megabyte_is_413(send, ids, db_state, name):
    before = db_state()
    body = payload(name, ids, notes="x" * (1024 * 1024))

    response = send(name, json=body)

    assert_error(response, 413, "payload_too_large")
    check_nothing_written(before, db_state())


@pytest.mark.parametrize("name", [n for n in ENDPOINTS if n.endswith(".update")])
def test_patch_version_must_be_an_integer(send, ids, db_state, name):
    before = db_state()

    for version in (None, "1", 1.0, True, [1], {"v": 1}):
        body = payload(name, ids)
        body.pop("version")
        if version is not None:
            body["version"] = version
        error = refused(send(name, json=body), 422, "validation_error", version)
        assert set(error["fields"]) == {"version"}

    check_nothing_written(before, db_state())


@pytest.mark.parametrize("url", ["/api/companies", "/api/contacts", "/api/deals",
                                 "/api/exchanges", "/api/search?q=a", "/api/tasks",
                                 "/api/agenda",
                                 "/api/companies/{company}/timeline", "/api/follows",
                                 "/api/deals/{deal}/events"])
def test_bad_query_strings_are_4xx_never_500(admin, ids, url):
    sep = "&" if "?" in url else "?"

    for query in ("limit=abc", "limit=", "limit=1e3", "limit=99999999999999999999",
                  "cursor=" + "x" * 1001, "cursor=%00", "owner=" + "-" * 36, "company_id=nope",
                  "from=2026-02-30", "mine=perhaps", "status=%FF", "q=" + "x" * 201,
                  "types=deal,deal,exchange", "q=du%00pont"):
        response = admin.get(f"{url.format(**ids)}{sep}{query}")
        if response.status_code != 200:  # a parameter a list does not take is ignored
            refused(response, response.status_code, None, query)
            assert response.status_code in (400, 422), (query, response.get_json())


def test_a_csrf_token_that_is_not_ascii_is_a_wrong_token_not_a_500(alice):
    response = alice.client.post("/api/companies", json={"name": "Garage"},
                                 headers={"X-CSRF-Token": "é" * 43})
    assert_error(response, 403, "csrf_failed")
