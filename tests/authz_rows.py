"""The authorization matrix's table: one row per (rule, method) of Flask's URL map.

Each row holds one or more cases: a request made by each of the five actors, and the status
each must get, in the order of ACTORS. A case that writes to another user's record works on a
record made for that call (`prepare`), so no outcome depends on which actor went first.
The world the requests run against is built in tests/test_authz_matrix.py:

- Alice (`owner`, sales) owns a company, a contact linked to it and a deal on it. On all three
  she logged a public exchange (`pub`), a private one with nobody else (`priv_a`) and a private
  one with Bruno as participant (`priv_ab`), each with a file; the records' timelines carry an
  event telling of each exchange (`<type>_event_<exchange>`) and a plain one.
- Bruno (`other`, sales) owns nothing; he takes part in `priv_ab` and has a task from Alice.
- Alice has a task of her own linking `priv_a`, a notification, an alert, a push device and a
  calendar feed; an alert for nobody in particular (`alert_none`) is for managers and admins.

Private exchanges are seen by their author and participants only, managers and admins
included (docs/decisions.md, "Visibility"): for anyone else they do not exist (404), and
their text never appears in anything sent to them.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.models import Alert, Company, Exchange, Follow, Notification
from app.services.alerts.rules import RULES

ACTORS = ("anonymous", "owner", "other", "manager", "admin")
Statuses = tuple[int, int, int, int, int]  # in the order of ACTORS

EXCHANGES = ("pub", "priv_a", "priv_ab")
SEES = {  # which of Alice's exchanges each actor may see
    "anonymous": set(),
    "owner": {"pub", "priv_a", "priv_ab"},
    "other": {"pub", "priv_ab"},
    "manager": {"pub"},
    "admin": {"pub"},
}
SECRETS = {"priv_a": "Cachalot-7731", "priv_ab": "Narval-4410"}  # in their subject and file
MANAGERS = ("manager", "admin")

EVERYONE: Statuses = (401, 200, 200, 200, 200)  # any logged-in user
CREATED: Statuses = (401, 201, 201, 201, 201)
PUBLIC: Statuses = (200, 200, 200, 200, 200)
OWNER_ONLY: Statuses = (401, 200, 404, 404, 404)
NOBODYS: Statuses = (401, 404, 404, 200, 200)  # an alert for no one in particular
MANAGERS_ONLY: Statuses = (401, 403, 403, 200, 200)
ADMIN_ONLY: Statuses = (401, 403, 403, 403, 200)
DELETED_BY_OWNER_OR_MANAGER: Statuses = (401, 204, 403, 204, 204)


@dataclass
class Ctx:
    """One actor's call: the world, who calls, their client, and the records made for it."""

    w: Any
    actor: str
    http: Any
    target: Any = None
    notes: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    """One request, made by each actor in turn, and the status each must get."""

    name: str
    call: Callable[[Ctx], Any]
    expect: Statuses
    prepare: Callable[[Any], Any] | None = None  # world -> records for this call only
    check: Callable[[Ctx, Any], None] | None = None  # more about the answer (any status)
    codes: dict[int, str] = field(default_factory=dict)  # error codes other than the usual
    reveals: bool = False  # the answer may quote Alice's private exchanges to anyone


@dataclass(frozen=True)
class Row:
    """A route of the URL map (its rule as Flask spells it) and the cases that try it."""

    method: str  # "WS" for a WebSocket rule
    rule: str
    cases: tuple[Case, ...]

    @property
    def key(self) -> str:
        return f"{self.method} {self.rule}"


# -- requests ---------------------------------------------------------------------------------

Url = str | Callable[[Ctx], str]


def _url(url: Url, c: Ctx) -> str:
    return url(c) if callable(url) else url


def get(url: Url, **kwargs: Any) -> Callable[[Ctx], Any]:
    return lambda c: c.http.get(_url(url, c), buffered=True, **kwargs)


def send(method: str, url: Url, body: Any = None) -> Callable[[Ctx], Any]:
    """An unsafe request with the session's CSRF token; `body` is JSON or makes it."""

    def call(c: Ctx) -> Any:
        payload = body(c) if callable(body) else body
        kwargs = {} if payload is None else {"json": payload}
        return getattr(c.http, method.lower())(_url(url, c), **kwargs)

    return call


def world(path: str) -> Callable[[Ctx], str]:
    """A URL naming world records: "/api/deals/{deal}" -> "/api/deals/<the deal's id>"."""
    return lambda c: path.format(**c.w.ids)


def fresh(path: str) -> Callable[[Ctx], str]:
    """A URL naming the call's own record: "/api/deals/{id}"."""
    return lambda c: path.format(id=c.target.id, **c.w.ids)


def upload(entity: str, entity_id: Callable[[Ctx], str],
           file_id: str | None = None) -> Callable[[Ctx], Any]:
    """Upload a photo; `file_id` names a world file whose id the upload reuses."""

    def call(c: Ctx) -> Any:
        form = {"entity": entity, "entity_id": entity_id(c),
                "file": (io.BytesIO(c.w.JPEG), "photo.jpg")}
        if file_id is not None:
            form["id"] = c.w.ids[file_id]
        return c.http.post("/api/attachments", data=form, content_type="multipart/form-data")

    return call


# -- checks -----------------------------------------------------------------------------------

def items(response: Any) -> list[dict]:
    return response.get_json()["items"] if response.status_code == 200 else []


def ids(response: Any) -> set[str]:
    return {item["id"] for item in items(response)}


def sees(names: tuple[str, ...] = EXCHANGES) -> Callable[[Ctx, Any], None]:
    """Alice's exchanges are listed exactly for those who may see them."""

    def check(c: Ctx, r: Any) -> None:
        listed = ids(r)
        for name in names:
            assert (c.w.ids[name] in listed) == (name in SEES[c.actor]), name

    return check


def events_seen(entity: str) -> Callable[[Ctx, Any], None]:
    """A record's events telling of a private exchange are for those who may see it."""

    def check(c: Ctx, r: Any) -> None:
        listed = ids(r)
        if c.actor != "anonymous":
            assert c.w.ids[f"{entity}_event_plain"] in listed
        for name in EXCHANGES:
            assert (c.w.ids[f"{entity}_event_{name}"] in listed) == (name in SEES[c.actor]), name

    return check


def listed_for(name: str, actors: tuple[str, ...]) -> Callable[[Ctx, Any], None]:
    """World record `name` is in the list exactly for these actors."""

    def check(c: Ctx, r: Any) -> None:
        assert (c.w.ids[name] in ids(r)) == (c.actor in actors), name

    return check


def holds(name: str) -> Callable[[Ctx, Any], None]:
    """A file of a private exchange, when given, is the one its author wrote."""

    def check(c: Ctx, r: Any) -> None:
        if r.status_code == 200:
            assert r.get_data() == SECRETS[name].encode()

    return check


def both(*checks: Callable[[Ctx, Any], None]) -> Callable[[Ctx, Any], None]:
    def check(c: Ctx, r: Any) -> None:
        for one in checks:
            one(c, r)

    return check


def made_by_caller(key: str = "created_by") -> Callable[[Ctx, Any], None]:
    def check(c: Ctx, r: Any) -> None:
        if r.status_code in (200, 201):
            assert r.get_json()[key] == c.w.user_id(c.actor)

    return check


def task_names_exchange_only_to_its_people(c: Ctx, r: Any) -> None:
    """Alice's task links `priv_a`: its id is shown to her only (docs/work-items.md)."""
    if r.status_code != 200:
        return
    for item in items(r) if "items" in (r.get_json() or {}) else [r.get_json()]:
        if item["id"] == c.w.ids["task_aa"]:
            wanted = c.w.ids["priv_a"] if "priv_a" in SEES[c.actor] else None
            assert item["exchange_id"] == wanted


def pages(c: Ctx, first: Any) -> list[dict]:
    """Every change of a first sync, following the cursor."""
    body, changes = first.get_json(), []
    while True:
        changes += body["changes"]
        if not body["has_more"]:
            return changes
        body = c.http.get(f"/api/sync/changes?since={body['cursor']}&limit=2000").get_json()


def sync_sees(c: Ctx, r: Any) -> None:
    """A first sync holds exactly what the actor may see of Alice's world."""
    if r.status_code != 200:
        return
    got = {(ch["entity"], ch["id"]): ch for ch in pages(c, r)}
    has = lambda entity, name: (entity, c.w.ids[name]) in got  # noqa: E731
    may = SEES[c.actor]
    for name in EXCHANGES:
        assert has("exchange", name) == (name in may), name
        assert has("attachment", f"file_{name}") == (name in may), name
        for entity in ("company", "contact", "deal"):
            assert has("record_event", f"{entity}_event_{name}") == (name in may), name
    assert has("attachment", "file_company") and has("company", "company")
    assert has("task", "task_aa") == (c.actor != "other")
    assert has("task", "task_ab")
    assert has("alert", "alert_a") == (c.actor == "owner")
    assert has("alert", "alert_none") == (c.actor in MANAGERS)
    task = got.get(("task", c.w.ids["task_aa"]))
    if task is not None:
        wanted = c.w.ids["priv_a"] if "priv_a" in may else None
        assert task["data"]["exchange_id"] == wanted


PUSHED = {  # outbox batch: edit a private exchange, delete a company, act on an alert, edit
    # a public exchange (all Alice's), create an exchange with priv_a's id -> each result
    "owner": ("applied", "applied", "applied", "applied", "conflict"),
    "other": ("not_found", "forbidden", "not_found", "forbidden", "not_found"),
    "manager": ("not_found", "applied", "not_found", "forbidden", "not_found"),
    "admin": ("not_found", "applied", "not_found", "applied", "not_found"),
}


def outbox(c: Ctx) -> dict:
    t = c.target
    return {"client_id": str(uuid.uuid4()), "mutations": [
        {"seq": 1, "entity": "exchange", "op": "update", "id": t.priv.id,
         "base_version": t.priv.version, "data": {"subject": "Modifié hors ligne"}},
        {"seq": 2, "entity": "company", "op": "delete", "id": t.company.id},
        {"seq": 3, "entity": "alert", "op": "update", "id": t.alert.id,
         "base_version": t.alert.version, "data": {"state": "acknowledged"}},
        {"seq": 4, "entity": "exchange", "op": "update", "id": t.pub.id,
         "base_version": t.pub.version, "data": {"subject": "Modifié hors ligne"}},
        {"seq": 5, "entity": "exchange", "op": "create", "id": c.w.ids["priv_a"],
         "data": new_exchange(c)},
    ]}


def outbox_results(c: Ctx, r: Any) -> None:
    """Each mutation is applied or refused as its online twin would be, and a refused one
    leaves its record as it was."""
    if r.status_code != 200:
        return
    got = tuple(m["status"] if m["status"] != "rejected" else m["error"]["code"]
                for m in r.get_json()["results"])
    assert got == PUSHED[c.actor]
    t, applied = c.target, [s == "applied" for s in PUSHED[c.actor]]
    assert (c.w.load(Exchange, t.priv.id).version > t.priv.version) == applied[0]
    assert (c.w.load(Company, t.company.id).deleted_at is not None) == applied[1]
    assert (c.w.load(Alert, t.alert.id).state == "acknowledged") == applied[2]
    assert (c.w.load(Exchange, t.pub.id).version > t.pub.version) == applied[3]
    assert c.w.load(Exchange, c.w.ids["priv_a"]).subject == SECRETS["priv_a"]


def others_notes_stay_unread(c: Ctx, r: Any) -> None:
    assert (c.w.load(Notification, c.target.id).read_at is not None) == (c.actor == "owner")


def only_own_follow(c: Ctx, r: Any) -> None:
    rows = c.w.all(Follow, record_id=uuid.UUID(c.target.id))
    expected = set() if c.actor == "anonymous" else {c.w.user_id(c.actor)}
    assert {str(row.user_id) for row in rows} == expected


def feed_is_callers(c: Ctx, r: Any) -> None:
    if r.status_code == 200:
        own = r.get_json()["url"].endswith(f"/calendar/{c.w.feed_token()}.ics")
        assert own == (c.actor == "owner")


def only_owner_rotates(c: Ctx, r: Any) -> None:
    assert (c.w.feed_token() != c.target.token) == (c.actor == "owner")


def logged_in_as(c: Ctx, r: Any) -> None:
    who = "owner" if c.actor == "anonymous" else c.actor
    assert r.get_json()["user"]["id"] == c.w.user_id(who)


def logged_out(c: Ctx, r: Any) -> None:
    assert c.notes["http"].get("/api/auth/me").status_code == 401


def fresh_login(c: Ctx) -> Any:
    c.notes["http"] = helper = c.w.fresh_http(c.actor)
    who = "owner" if c.actor == "anonymous" else c.actor
    return helper.post("/api/auth/login",
                       json={"email": c.w.email(who), "password": c.w.PASSWORD})


def fresh_logout(c: Ctx) -> Any:
    c.notes["http"] = helper = c.w.fresh_http(c.actor)
    return helper.post("/api/auth/logout")


# -- the table --------------------------------------------------------------------------------

def book_rows(plural: str, entity: str, make: str, create: Callable[[Ctx], dict],
              rename: str) -> list[Row]:
    """Companies, contacts and deals: one shared book, edited by all, deleted by owners."""
    one = f"/api/{plural}/<uuid:{entity}_id>"
    mine = world(f"/api/{plural}/{{{entity}}}")
    made = lambda w: getattr(w, make)()  # noqa: E731
    return [
        Row("GET", f"/api/{plural}", (
            Case("the book", get(f"/api/{plural}?limit=200"), EVERYONE,
                 check=listed_for(entity, ACTORS[1:])),)),
        Row("POST", f"/api/{plural}", (
            Case("a new one", send("POST", f"/api/{plural}", create), CREATED),)),
        Row("GET", one, (Case(f"Alice's {entity}", get(mine), EVERYONE),)),
        Row("PATCH", one, (
            Case(f"a {entity} of Alice's", send("PATCH", fresh(f"/api/{plural}/{{id}}"),
                 lambda c: {"version": c.target.version, rename: "Renommé"}), EVERYONE,
                 prepare=made),)),
        Row("DELETE", one, (
            Case(f"a {entity} of Alice's", send("DELETE", fresh(f"/api/{plural}/{{id}}")),
                 DELETED_BY_OWNER_OR_MANAGER, prepare=made),)),
        Row("GET", f"{one}/timeline", (
            Case(f"Alice's {entity}", get(world(f"/api/{plural}/{{{entity}}}/timeline")),
                 EVERYONE, check=sees()),)),
        Row("GET", f"{one}/events", (
            Case(f"Alice's {entity}", get(world(f"/api/{plural}/{{{entity}}}/events")),
                 EVERYONE, check=events_seen(entity)),)),
    ]


def new_exchange(c: Ctx) -> dict:
    return {"kind": "call", "starts_at": "2020-01-02T09:00:00Z", "subject": "Nouvel appel"}


def exchange_rows() -> list[Row]:
    one = "/api/exchanges/<uuid:exchange_id>"
    url = fresh("/api/exchanges/{id}")
    edit = lambda c: {"version": c.target.version, "subject": "Modifié"}  # noqa: E731
    replay = lambda name: lambda c: {**new_exchange(c), "id": c.w.ids[name]}  # noqa: E731
    public = lambda w: w.exchange()  # noqa: E731
    private = lambda w: w.exchange(private=True)  # noqa: E731
    with_b = lambda w: w.exchange(private=True, with_other=True)  # noqa: E731
    return [
        Row("GET", "/api/exchanges", (
            Case("every exchange", get("/api/exchanges?limit=200"), EVERYONE,
                 check=sees()),
            Case("filtered on Alice's deal", get(world("/api/exchanges?deal_id={deal}")),
                 EVERYONE, check=sees()),
            Case("planned ones, mine", get("/api/exchanges?mine=1&state=planned"),
                 EVERYONE, check=sees(("priv_a", "priv_ab"))),
        )),
        Row("POST", "/api/exchanges", (
            Case("a new one", send("POST", "/api/exchanges", new_exchange), CREATED,
                 check=made_by_caller()),
            # Someone who may not see it is told no more than for an unknown id.
            Case("replaying priv_a's id", send("POST", "/api/exchanges",
                 replay("priv_a")), (401, 409, 404, 404, 404), codes={409: "id_conflict"}),
            Case("replaying priv_ab's id", send("POST", "/api/exchanges",
                 replay("priv_ab")), (401, 409, 409, 404, 404), codes={409: "id_conflict"}),
        )),
        Row("GET", one, (
            Case("public", get(world("/api/exchanges/{pub}")), EVERYONE),
            Case("private", get(world("/api/exchanges/{priv_a}")), OWNER_ONLY),
            Case("private with Bruno", get(world("/api/exchanges/{priv_ab}")),
                 (401, 200, 200, 404, 404)),
        )),
        # Its author edits an exchange; an admin too when it is public.
        Row("PATCH", one, (
            Case("public", send("PATCH", url, edit), (401, 200, 403, 403, 200), prepare=public),
            Case("private", send("PATCH", url, edit), OWNER_ONLY, prepare=private),
            Case("private with Bruno", send("PATCH", url, edit), (401, 200, 403, 404, 404),
                 prepare=with_b),
        )),
        Row("DELETE", one, (
            Case("public", send("DELETE", url), (401, 204, 403, 403, 204), prepare=public),
            Case("private", send("DELETE", url), (401, 204, 404, 404, 404), prepare=private),
            Case("private with Bruno", send("DELETE", url), (401, 204, 403, 404, 404),
                 prepare=with_b),
        )),
    ]


def task_rows() -> list[Row]:
    one = "/api/tasks/<uuid:task_id>"
    url = fresh("/api/tasks/{id}")
    edit = lambda c: {"version": c.target.version, "title": "Relancer"}  # noqa: E731
    alices = lambda w: w.task("owner")  # noqa: E731
    for_bruno = lambda w: w.task("other")  # noqa: E731
    return [
        Row("GET", "/api/tasks", (
            Case("mine", get("/api/tasks?limit=200"), EVERYONE,
                 check=both(listed_for("task_aa", ("owner",)),
                            listed_for("task_ab", ("other",)))),
            Case("the team's", get("/api/tasks?scope=team&limit=200"),
                 MANAGERS_ONLY, check=both(listed_for("task_aa", MANAGERS),
                                           task_names_exchange_only_to_its_people)),
        )),
        Row("POST", "/api/tasks", (
            Case("a new one", send("POST", "/api/tasks", {"title": "Rappeler"}),
                 CREATED, check=made_by_caller()),
            Case("linking priv_a", send("POST", "/api/tasks", lambda c: {
                "title": "Rappeler", "exchange_id": c.w.ids["priv_a"]}),
                 (401, 201, 422, 422, 422)),
        )),
        # A task is seen by its assignee, its creator, managers and admins.
        Row("GET", one, (
            Case("Alice's own", get(world("/api/tasks/{task_aa}")), (401, 200, 404, 200, 200),
                 check=task_names_exchange_only_to_its_people),
            Case("Alice's, for Bruno", get(world("/api/tasks/{task_ab}")), EVERYONE),
        )),
        Row("PATCH", one, (
            Case("Alice's own", send("PATCH", url, edit), (401, 200, 404, 200, 200),
                 prepare=alices),
            Case("Alice's, for Bruno", send("PATCH", url, edit), EVERYONE, prepare=for_bruno),
        )),
        # The assignee cancels rather than deletes.
        Row("DELETE", one, (
            Case("Alice's own", send("DELETE", url), (401, 204, 404, 204, 204),
                 prepare=alices),
            Case("Alice's, for Bruno", send("DELETE", url), DELETED_BY_OWNER_OR_MANAGER,
                 prepare=for_bruno),
        )),
    ]


def attachment_rows() -> list[Row]:
    one = "/api/attachments/<uuid:attachment_id>"
    url = fresh("/api/attachments/{id}")
    on_company = lambda w: w.attachment("company")  # noqa: E731
    on_private = lambda w: w.attachment("exchange", private=True)  # noqa: E731
    on_shared = lambda w: w.attachment("exchange", private=True, with_other=True)  # noqa: E731
    return [
        # Files of a hidden exchange: its id is "no such record", as for a missing one.
        Row("GET", "/api/attachments", (
            Case("of Alice's company",
                 get(world("/api/attachments?entity=company&entity_id={company}")), EVERYONE,
                 check=listed_for("file_company", ACTORS[1:])),
            Case("of priv_a", get(world("/api/attachments?entity=exchange&entity_id={priv_a}")),
                 (401, 200, 422, 422, 422)),
            Case("of priv_ab",
                 get(world("/api/attachments?entity=exchange&entity_id={priv_ab}")),
                 (401, 200, 200, 422, 422)),
        )),
        Row("POST", "/api/attachments", (
            Case("to Alice's company", upload("company", lambda c: c.w.ids["company"]),
                 CREATED, check=made_by_caller()),
            Case("to priv_a", upload("exchange", lambda c: c.w.ids["priv_a"]),
                 (401, 201, 422, 422, 422)),
            Case("to priv_ab", upload("exchange", lambda c: c.w.ids["priv_ab"]),
                 (401, 201, 201, 422, 422)),
            # As for the exchange itself: its file's id is unknown to whoever may not see it.
            Case("reusing the id of priv_a's file", upload(
                 "company", lambda c: c.w.ids["company"], "file_priv_a"),
                 (401, 409, 404, 404, 404), codes={409: "id_conflict"}),
            Case("reusing the id of priv_ab's file", upload(
                 "company", lambda c: c.w.ids["company"], "file_priv_ab"),
                 (401, 409, 409, 404, 404), codes={409: "id_conflict"}),
        )),
        Row("GET", one, (
            Case("on Alice's company", get(world("/api/attachments/{file_company}")),
                 EVERYONE),
            Case("on priv_a", get(world("/api/attachments/{file_priv_a}")), OWNER_ONLY),
            Case("on priv_ab", get(world("/api/attachments/{file_priv_ab}")),
                 (401, 200, 200, 404, 404)),
        )),
        Row("GET", f"{one}/content", (
            Case("on Alice's company", get(world("/api/attachments/{file_company}/content")),
                 EVERYONE),
            Case("on priv_a", get(world("/api/attachments/{file_priv_a}/content")),
                 OWNER_ONLY, check=holds("priv_a")),
            Case("on priv_ab", get(world("/api/attachments/{file_priv_ab}/content")),
                 (401, 200, 200, 404, 404), check=holds("priv_ab")),
        )),
        # Its author or a manager removes a file, from a record they may see.
        Row("DELETE", one, (
            Case("on Alice's company", send("DELETE", url), DELETED_BY_OWNER_OR_MANAGER,
                 prepare=on_company),
            Case("on a private exchange", send("DELETE", url), (401, 204, 404, 404, 404),
                 prepare=on_private),
            Case("on a private exchange with Bruno", send("DELETE", url),
                 (401, 204, 403, 404, 404), prepare=on_shared),
        )),
    ]


def inbox_rows() -> list[Row]:
    alices = lambda w: w.notification()  # noqa: E731
    return [
        Row("GET", "/api/notifications", (
            Case("my inbox", get("/api/notifications?limit=200"), EVERYONE,
                 check=listed_for("note", ("owner",))),)),
        Row("GET", "/api/notifications/unread-count", (
            Case("my badge", get("/api/notifications/unread-count"), EVERYONE),)),
        Row("POST", "/api/notifications/<uuid:notification_id>/read", (
            Case("one of Alice's", send("POST", fresh("/api/notifications/{id}/read")),
                 OWNER_ONLY, prepare=alices),)),
        Row("POST", "/api/notifications/read-all", (
            Case("mine", send("POST", "/api/notifications/read-all"), EVERYONE,
                 prepare=alices, check=others_notes_stay_unread),)),
    ]


def alert_rows() -> list[Row]:
    # An alert is its user's; one for nobody in particular is every manager's and admin's.
    alices = lambda w: w.alert("owner")  # noqa: E731
    nobodys = lambda w: w.alert(None)  # noqa: E731
    rows = [
        Row("GET", "/api/alerts", (
            Case("mine", get("/api/alerts?limit=200"), EVERYONE,
                 check=both(listed_for("alert_a", ("owner",)),
                            listed_for("alert_none", MANAGERS))),
            Case("the team's", get("/api/alerts?scope=team&limit=200"), MANAGERS_ONLY,
                 check=listed_for("alert_a", MANAGERS)),
        )),
        Row("GET", "/api/alerts/counts", (Case("mine", get("/api/alerts/counts"), EVERYONE),)),
        Row("GET", "/api/alerts/<uuid:alert_id>", (
            Case("Alice's", get(world("/api/alerts/{alert_a}")), OWNER_ONLY),
            Case("nobody's", get(world("/api/alerts/{alert_none}")), NOBODYS),
        )),
        Row("GET", "/api/alert-rules", (Case("every rule", get("/api/alert-rules"), EVERYONE),)),
        Row("PUT", f"/api/alert-rules/<any({', '.join(RULES)}):key>", (
            Case("a threshold", send("PUT", "/api/alert-rules/prospect_untouched",
                 {"enabled": True, "params": {"hours": 48}}), ADMIN_ONLY),)),
    ]
    for action, body in (("acknowledge", None), ("snooze", {"days": 3}), ("dismiss", None)):
        url = fresh(f"/api/alerts/{{id}}/{action}")
        rows.append(Row("POST", f"/api/alerts/<uuid:alert_id>/{action}", (
            Case("Alice's", send("POST", url, body), OWNER_ONLY, prepare=alices),
            Case("nobody's", send("POST", url, body), NOBODYS, prepare=nobodys),
        )))
    return rows


def follows_if_owner(c: Ctx, r: Any) -> None:
    """The owner follows her record without a row; the others' answer is their own."""
    if r.status_code == 200:
        assert r.get_json()["following"] == (c.actor == "owner")


def follow_rows() -> list[Row]:
    one = "/api/follows/<any(company, contact, deal):record_type>/<uuid:record_id>"
    return [
        Row("GET", "/api/follows", (Case("mine", get("/api/follows?limit=200"), EVERYONE),)),
        Row("GET", one, (
            Case("of Alice's company", get(world("/api/follows/company/{company}")),
                 EVERYONE, check=follows_if_owner),
            Case("of Alice's deal", get(world("/api/follows/deal/{deal}")), EVERYONE,
                 check=follows_if_owner),
        )),
        Row("PUT", one, (
            Case("of a company of Alice's", send("PUT", fresh("/api/follows/company/{id}"),
                 {"following": True}), EVERYONE, prepare=lambda w: w.company(),
                 check=only_own_follow),)),
    ]


def push_rows() -> list[Row]:
    alices = lambda w: w.device()  # noqa: E731
    return [
        Row("GET", "/api/push/vapid-public-key", (
            Case("the key", get("/api/push/vapid-public-key"), EVERYONE),)),
        Row("GET", "/api/push/subscriptions", (
            Case("my devices", get("/api/push/subscriptions"), EVERYONE,
                 check=listed_for("device", ("owner",))),)),
        Row("POST", "/api/push/subscriptions", (
            Case("a new device", send("POST", "/api/push/subscriptions",
                 lambda c: c.w.device_json()), CREATED),)),
        Row("DELETE", "/api/push/subscriptions", (
            Case("Alice's device, by its endpoint", send(
                "DELETE", "/api/push/subscriptions", lambda c: {"endpoint": c.target.endpoint}),
                (401, 204, 404, 404, 404), prepare=alices),)),
        Row("DELETE", "/api/push/subscriptions/<uuid:subscription_id>", (
            Case("Alice's device", send("DELETE", fresh("/api/push/subscriptions/{id}")),
                 (401, 204, 404, 404, 404), prepare=alices),)),
        Row("GET", "/api/push/preferences", (
            Case("mine", get("/api/push/preferences"), EVERYONE),)),
        Row("PUT", "/api/push/preferences", (
            Case("mine", send("PUT", "/api/push/preferences",
                              {"kinds": {}, "timezone": "Europe/Paris"}), EVERYONE),)),
        Row("POST", "/api/push/test", (
            Case("to my devices", send("POST", "/api/push/test"), (401, 202, 202, 202, 202)),)),
    ]


def feed_holds_alices(c: Ctx, r: Any) -> None:
    """Whoever holds the secret address reads Alice's appointments (README, Known limits)."""
    body = r.get_data(as_text=True)
    assert f"UID:{c.w.ids['priv_a']}@tournee" in body
    assert f"UID:{c.w.ids['priv_ab']}@tournee" in body


def agenda_rows() -> list[Row]:
    return [
        Row("GET", "/api/agenda", (
            Case("my week", get("/api/agenda"), EVERYONE, check=sees(("priv_a", "priv_ab"))),)),
        Row("GET", "/api/calendar-feed", (
            Case("my feed's address", get("/api/calendar-feed"), EVERYONE,
                 check=feed_is_callers),)),
        Row("POST", "/api/calendar-feed/rotate", (
            Case("my feed's address", send("POST", "/api/calendar-feed/rotate"), EVERYONE,
                 prepare=lambda w: w.feed(), check=only_owner_rotates),)),
        # No session here: the secret address is the only key.
        Row("GET", "/calendar/<token>.ics", (
            Case("Alice's address", lambda c: c.http.get(f"/calendar/{c.w.feed_token()}.ics"),
                 PUBLIC, check=feed_holds_alices, reveals=True),
            Case("an unknown address", get("/calendar/not-a-token.ics"), (404,) * 5),
        )),
    ]


def picklist_rows() -> list[Row]:
    one = '/api/<any("exchange-kinds", outcomes):name>'
    names = ("exchange-kinds", "outcomes")
    entry = lambda c: {"key": f"k{uuid.uuid4().hex[:12]}", "name_fr": "Salon",  # noqa: E731
                       "name_en": "Fair", "abbreviation": "SAL"}
    rename = lambda c: {"version": c.target.version, "name_en": "Trade fair"}  # noqa: E731
    return [
        Row("GET", one, tuple(Case(name, get(f"/api/{name}"), EVERYONE) for name in names)),
        Row("POST", one, tuple(Case(name, send("POST", f"/api/{name}", entry),
                                    (401, 403, 403, 403, 201)) for name in names)),
        Row("PATCH", f"{one}/<uuid:entry_id>", tuple(
            Case(name, send("PATCH", fresh(f"/api/{name}/{{id}}"), rename), ADMIN_ONLY,
                 prepare=lambda w, name=name: w.entry(name)) for name in names)),
    ]


def never_lists_exchanges(c: Ctx, r: Any) -> None:
    assert not ids(r) & {c.w.ids[name] for name in EXCHANGES}


def no_password(c: Ctx, r: Any) -> None:
    assert not [key for item in items(r) for key in item if "password" in key]


def is_caller(c: Ctx, r: Any) -> None:
    if r.status_code == 200:
        assert r.get_json()["user"]["id"] == c.w.user_id(c.actor)


def misc_rows() -> list[Row]:
    return [
        Row("GET", "/api/search", (
            Case("Alice's company", get("/api/search?q=cachou"), EVERYONE,
                 check=both(listed_for("company", ACTORS[1:]), never_lists_exchanges)),
            Case("a private exchange's words", get(f"/api/search?q={SECRETS['priv_a']}"),
                 EVERYONE, check=never_lists_exchanges),
        )),
        Row("GET", "/api/users", (
            Case("the directory", get("/api/users"), EVERYONE,
                 check=both(listed_for("alice", ACTORS[1:]), no_password)),)),
        Row("GET", "/api/sync/changes", (
            Case("a first sync", get("/api/sync/changes?since=0&limit=2000"), EVERYONE,
                 check=sync_sees),)),
        Row("POST", "/api/sync/push", (
            Case("an outbox touching Alice's records", send("POST", "/api/sync/push", outbox),
                 EVERYONE, prepare=lambda w: w.outbox_targets(), check=outbox_results),)),
        Row("POST", "/api/auth/login", (
            Case("with one's password (anonymous: Alice's)", fresh_login, PUBLIC,
                 check=logged_in_as),)),
        Row("POST", "/api/auth/logout", (
            Case("one's session", fresh_logout, (401, 204, 204, 204, 204), check=logged_out),)),
        Row("GET", "/api/auth/me", (Case("who am I", get("/api/auth/me"), EVERYONE,
                                         check=is_caller),)),
        Row("GET", "/api/openapi.json", (Case("the contract", get("/api/openapi.json"),
                                              PUBLIC),)),
        Row("GET", "/api/live", (
            Case("without upgrading", get("/api/live"), (401, 426, 426, 426, 426)),
            Case("from another site's page", get("/api/live", headers={"Origin": EVIL}),
                 (401, 403, 403, 403, 403), codes={403: "forbidden_origin"}),
        )),
        Row("WS", "/api/live", (
            Case("with the session's cookie", lambda c: c.w.websocket(c.actor),
                 (401, 101, 101, 101, 101)),
            Case("from another site's page", lambda c: c.w.websocket(c.actor, origin=EVIL),
                 (401, 403, 403, 403, 403)),
        )),
        Row("GET", "/", (Case("the app shell", get("/"), PUBLIC),)),
        Row("GET", "/service-worker.js", (Case("the worker", get("/service-worker.js"),
                                               PUBLIC),)),
        Row("GET", "/<path:relative>", (
            Case("a module of the app", get("/js/main.js"), PUBLIC),
            Case("a screen of the app", get("/companies/new"), PUBLIC),
            Case("server code", get("/__init__.py"), (404,) * 5),
            Case("a file outside the app's folder", get("/js/%2e%2e/%2e%2e/config.py"),
                 (404,) * 5),
            Case("an unknown API path", get("/api/nope"), (404,) * 5),
        )),
    ]


EVIL = "https://evil.example"

ROWS: list[Row] = [
    *book_rows("companies", "company", "company", lambda c: {"name": "Nouvelle"}, "name"),
    *book_rows("contacts", "contact", "contact", lambda c: {"last_name": "Nouveau"},
               "last_name"),
    *book_rows("deals", "deal", "deal",
               lambda c: {"name": "Nouvelle", "company_id": c.w.ids["company"]}, "name"),
    *exchange_rows(), *task_rows(), *attachment_rows(), *inbox_rows(), *alert_rows(),
    *follow_rows(), *push_rows(), *agenda_rows(), *picklist_rows(), *misc_rows(),
]
