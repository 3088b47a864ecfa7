"""/api/alerts and /api/alert-rules: my alerts with their texts and remedies, what I do with
them (online and through the outbox), who sees which, and re-evaluation after writes."""

from __future__ import annotations

import uuid
from datetime import UTC, timedelta, timezone

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Alert, AlertRule, Task, exchange_deals, utcnow
from app.services.alerts.engine import sweep
from tests.factories import CompanyFactory, DealFactory, ExchangeFactory, assert_error

CLIENT = "5b0e6c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b"
LONG_AGO = utcnow() - timedelta(days=60)
SECRET = "Négociation confidentielle Zanzibar"


def neglected_deal(owner, **fields):
    """A proposal untouched for 60 days; its company is a fresh owned prospect (no alert)."""
    company = CompanyFactory(owner=owner, status="prospect")
    return DealFactory(owner=owner, company=company, **{"created_at": LONG_AGO, **fields})


def swept() -> None:
    sweep(db.session)
    db.session.commit()


def alert_on(record) -> Alert:
    db.session.expire_all()
    return db.session.scalars(select(Alert).where(Alert.record_id == record.id)
                              .order_by(Alert.created_at.desc())).first()


@pytest.fixture()
def deal_alert(people):
    """Alice's neglected deal "Four à pain" and its open alert."""
    deal = neglected_deal(people.a, name="Four à pain")
    swept()
    return alert_on(deal)


# -- reading -----------------------------------------------------------------------------------

def test_my_alert_in_my_language_with_its_remedies(alice, deal_alert):
    fr = alice.get(f"/api/alerts/{deal_alert.id}", headers={"Accept-Language": "fr"}).json
    en = alice.get(f"/api/alerts/{deal_alert.id}", headers={"Accept-Language": "en"})

    assert en.status_code == 200
    body = en.json
    assert {"id", "rule", "record_type", "record_id", "user_id", "state", "snoozed_until",
            "resolved_at", "title", "body", "remedies", "record", "version", "created_at",
            "updated_at"} <= set(body)
    assert (body["rule"], body["state"], body["user_id"]) == ("deal_neglected", "open",
                                                               alice.user["id"])
    assert body["title"] == "Four à pain"
    assert body["body"] == "No exchange on this deal for 60 days"
    assert fr["body"] == "Aucun échange sur cette affaire depuis 60 jours"
    assert body["record"] == {"type": "deal", "id": body["record_id"], "title": "Four à pain"}
    assert body["remedies"] == [{"action": "log_call", "label": "Log a call"},
                                {"action": "plan_visit", "label": "Plan a visit"},
                                {"action": "snooze", "label": "Snooze 7 d"}]
    assert [r["label"] for r in fr["remedies"]] == ["Noter un appel", "Planifier une visite",
                                                     "Reporter 7 j"]


@pytest.mark.parametrize(("rule", "actions"), [
    ("task_overdue", ["open_task", "snooze"]),
    ("record_unowned", ["reassign"]),
    ("prospect_untouched", ["log_call", "plan_visit", "reassign"]),
    ("client_neglected", ["log_call", "plan_visit", "snooze"]),
    ("deal_overdue", ["log_call", "plan_visit", "snooze"]),
])
def test_each_rule_has_its_remedies(make_auth, people, rule, actions):
    company = CompanyFactory(owner=people.manager, status="prospect")
    db.session.add(Alert(rule=rule, record_type="company", record_id=company.id,
                         user_id=people.manager.id, facts={"title": company.name,
                                                           "since": "2026-01-01T00:00:00Z",
                                                           "date": "2026-01-01",
                                                           "limit_hours": 48}))
    db.session.commit()

    (item,) = make_auth(people.manager).get("/api/alerts").json["items"]

    assert [r["action"] for r in item["remedies"]] == actions
    assert all(isinstance(r["label"], str) and r["label"] for r in item["remedies"])


def test_my_list_holds_mine_not_resolved_newest_first_in_pages(alice, bruno, people):
    older = neglected_deal(people.a)
    swept()
    newer = neglected_deal(people.a)
    neglected_deal(people.b)
    swept()
    done = alert_on(older)

    first = alice.get("/api/alerts?limit=1").json
    second = alice.get(f"/api/alerts?limit=1&cursor={first['next_cursor']}").json

    assert [a["record_id"] for a in first["items"] + second["items"]] == [str(newer.id),
                                                                           str(older.id)]
    assert second["next_cursor"] is None
    done.state, done.resolved_at = "resolved", utcnow()
    db.session.commit()
    assert [a["record_id"] for a in alice.get("/api/alerts").json["items"]] == [str(newer.id)]
    resolved = alice.get("/api/alerts?state=resolved").json["items"]
    assert [a["record_id"] for a in resolved] == [str(older.id)]
    assert len(bruno.get("/api/alerts").json["items"]) == 1


def test_counts_for_the_badge(alice, people):
    for _ in range(3):
        neglected_deal(people.a)
    swept()
    first = alice.get("/api/alerts").json["items"][0]
    assert alice.post(f"/api/alerts/{first['id']}/acknowledge").status_code == 200

    assert alice.get("/api/alerts/counts").json == {"open": 2, "live": 3,
                                                    "by_rule": {"deal_neglected": 3}}


def test_someone_elses_alert_is_not_found(bruno, deal_alert):
    for response in (bruno.get(f"/api/alerts/{deal_alert.id}"),
                     bruno.post(f"/api/alerts/{deal_alert.id}/acknowledge"),
                     bruno.post(f"/api/alerts/{deal_alert.id}/snooze", json={}),
                     bruno.post(f"/api/alerts/{deal_alert.id}/dismiss")):
        assert_error(response, 404, "not_found")
    assert_error(bruno.get(f"/api/alerts/{uuid.uuid4()}"), 404, "not_found")
    assert bruno.get("/api/alerts").json["items"] == []


def test_alerts_for_nobody_are_the_managers_not_the_salespeoples(alice, make_auth, people):
    company = CompanyFactory(owner=None, status="suspect", name="Sans Maître")
    sweep(db.session, rules=["record_unowned"])
    db.session.commit()
    alert = alert_on(company)
    manager, admin = make_auth(people.manager), make_auth(people.admin)

    assert alert.user_id is None
    assert alice.get("/api/alerts").json["items"] == []
    assert_error(alice.get(f"/api/alerts/{alert.id}"), 404)
    for boss in (manager, admin):
        (item,) = boss.get("/api/alerts").json["items"]
        assert (item["id"], item["user_id"], item["title"]) == (str(alert.id), None,
                                                                "Sans Maître")
    assert manager.post(f"/api/alerts/{alert.id}/dismiss").json["state"] == "dismissed"


def test_the_team_scope_is_for_managers(alice, make_auth, people, deal_alert):
    assert_error(alice.get("/api/alerts?scope=team"), 403, "forbidden")
    items = make_auth(people.manager).get("/api/alerts?scope=team").json["items"]
    assert [a["id"] for a in items] == [str(deal_alert.id)]


@pytest.mark.parametrize("query", ["state=nope", "scope=all", "limit=0", "record_id=x",
                                   "cursor=%%%"])
def test_bad_list_arguments(alice, query):
    response = alice.get(f"/api/alerts?{query}")
    assert response.status_code in (400, 422)
    assert_error(response, response.status_code)


# -- acting ------------------------------------------------------------------------------------

def test_acknowledge_then_dismiss(alice, deal_alert):
    acked = alice.post(f"/api/alerts/{deal_alert.id}/acknowledge")
    dismissed = alice.post(f"/api/alerts/{deal_alert.id}/dismiss")

    assert (acked.status_code, acked.json["state"]) == (200, "acknowledged")
    assert dismissed.json["state"] == "dismissed" and dismissed.json["version"] == 3


def test_snooze_for_seven_days_by_default_or_as_asked(alice, deal_alert):
    before = utcnow()
    default = alice.post(f"/api/alerts/{deal_alert.id}/snooze", json={}).json
    three = alice.post(f"/api/alerts/{deal_alert.id}/snooze", json={"days": 3}).json
    paris = (before + timedelta(days=30)).replace(microsecond=0).astimezone(
        timezone(timedelta(hours=1)))
    until = alice.post(f"/api/alerts/{deal_alert.id}/snooze",
                       json={"until": paris.isoformat()}).json
    far = alice.post(f"/api/alerts/{deal_alert.id}/snooze",
                     json={"until": "2099-01-02T08:00:00Z"})

    def days_from_now(value: str) -> float:
        from datetime import datetime

        return (datetime.fromisoformat(value) - before).total_seconds() / 86400

    assert default["state"] == "snoozed" and 6.99 < days_from_now(default["snoozed_until"]) < 7.01
    assert 2.99 < days_from_now(three["snoozed_until"]) < 3.01
    assert until["snoozed_until"] == paris.astimezone(UTC).isoformat().replace("+00:00", "Z")
    assert assert_error(far, 422)["fields"] == {"until": ["At most a year from now."]}


@pytest.mark.parametrize(("body", "field"), [
    ({"days": 0}, "days"), ({"days": 91}, "days"), ({"days": "7"}, "days"),
    ({"until": "2020-01-01T00:00:00Z"}, "until"), ({"until": "demain"}, "until"),
    ({"days": 3, "until": "2099-01-01T00:00:00Z"}, "until"), ({"for": 3}, "for"),
])
def test_bad_snoozes_are_422_and_change_nothing(alice, deal_alert, body, field):
    error = assert_error(alice.post(f"/api/alerts/{deal_alert.id}/snooze", json=body), 422,
                         "validation_error")
    assert set(error["fields"]) == {field}
    assert alert_on_id(deal_alert.id).state == "open"


def alert_on_id(alert_id) -> Alert:
    db.session.expire_all()
    return db.session.get(Alert, alert_id)


def test_a_resolved_alert_cannot_be_acted_on(alice, deal_alert):
    deal_alert.state, deal_alert.resolved_at = "resolved", utcnow()
    db.session.commit()

    for action, body in (("acknowledge", None), ("snooze", {}), ("dismiss", None)):
        response = alice.post(f"/api/alerts/{deal_alert.id}/{action}", json=body)
        assert_error(response, 409, "alert_resolved")
        assert response.json["current"]["state"] == "resolved"


# -- re-evaluation after writes ----------------------------------------------------------------

def test_logging_a_call_on_the_neglected_deal_resolves_its_alert_at_once(alice, deal_alert):
    deal_id = str(deal_alert.record_id)
    response = alice.post("/api/exchanges", json={
        "kind": "call", "starts_at": utcnow().isoformat(), "deal_ids": [deal_id],
        "subject": "Relance"})

    assert response.status_code == 201
    alert = alert_on_id(deal_alert.id)
    assert alert.state == "resolved" and alert.resolved_at is not None


def test_a_call_logged_offline_resolves_it_too(alice, deal_alert):
    mutation = {"seq": 1, "entity": "exchange", "op": "create", "id": str(uuid.uuid4()),
                "data": {"kind": "call", "starts_at": utcnow().isoformat(),
                         "deal_ids": [str(deal_alert.record_id)]}}
    response = alice.post("/api/sync/push", json={"client_id": CLIENT, "mutations": [mutation]})

    assert response.json["results"][0]["status"] == "applied"
    assert alert_on_id(deal_alert.id).state == "resolved"


def test_handing_the_deal_over_moves_its_alert_at_once(alice, bruno, people, deal_alert):
    deal = alice.get(f"/api/deals/{deal_alert.record_id}").json
    response = alice.patch(f"/api/deals/{deal['id']}", json={"version": deal["version"],
                                                             "owner_id": str(people.b.id)})

    assert response.status_code == 200
    assert alert_on_id(deal_alert.id).state == "resolved"
    assert alice.get("/api/alerts").json["items"] == []
    (moved,) = bruno.get("/api/alerts").json["items"]
    assert (moved["record_id"], moved["state"]) == (deal["id"], "open")


def test_winning_the_deal_resolves_it_and_pushing_back_the_close_date_too(alice, people):
    deal = neglected_deal(people.a, expected_close_date=(utcnow() - timedelta(days=5)).date())
    swept()
    rules = {a.rule for a in db.session.scalars(select(Alert).where(
        Alert.record_id == deal.id, Alert.state == "open"))}
    assert rules == {"deal_neglected", "deal_overdue"}

    version = alice.get(f"/api/deals/{deal.id}").json["version"]
    alice.patch(f"/api/deals/{deal.id}", json={"version": version, "stage": "won"})

    db.session.expire_all()
    states = {a.rule: a.state for a in db.session.scalars(select(Alert).where(
        Alert.record_id == deal.id))}
    assert states == {"deal_neglected": "resolved", "deal_overdue": "resolved"}


def test_a_task_done_resolves_its_overdue_alert(alice, people):
    task = Task(id=uuid.uuid4(), title="Envoyer la documentation", assignee_id=people.a.id,
                created_by_id=people.b.id, due_at=utcnow() - timedelta(days=1))
    db.session.add(task)
    db.session.commit()
    swept()
    assert alert_on(task).state == "open"

    response = alice.patch(f"/api/tasks/{task.id}", json={"version": 1, "state": "done"})

    assert response.status_code == 200, response.json
    assert alert_on(task).state == "resolved"


# -- privacy -----------------------------------------------------------------------------------

def test_an_alert_never_quotes_a_private_exchange(alice, people):
    deal = neglected_deal(people.a, name="Four à pain")
    made = ExchangeFactory(starts_at=utcnow() - timedelta(days=30), private=True,
                           created_by=people.c, subject=SECRET, details=SECRET)
    db.session.execute(exchange_deals.insert().values(exchange_id=made.id, deal_id=deal.id))
    db.session.commit()
    swept()
    alert = alert_on(deal)

    shown = [alice.get(f"/api/alerts/{alert.id}", headers={"Accept-Language": lang}).get_data(
        as_text=True) for lang in ("fr", "en")]
    pulled = alice.get("/api/sync/changes").get_data(as_text=True)

    # The private exchange is not even counted: its date would tell alice it happened.
    assert alert.facts["since"][:10] != (utcnow() - timedelta(days=30)).date().isoformat()
    assert all("Zanzibar" not in text for text in [*shown, pulled, str(alert.facts)])


# -- sync --------------------------------------------------------------------------------------

def changes(auth, since: str = "0") -> dict:
    return auth.get(f"/api/sync/changes?since={since}").json


def alert_changes(page: dict) -> list[dict]:
    return [c for c in page["changes"] if c["entity"] == "alert"]


def test_my_alerts_are_pulled_by_me_only(alice, bruno, deal_alert):
    (mine,) = alert_changes(changes(alice))

    assert mine["op"] == "upsert" and mine["data"]["id"] == str(deal_alert.id)
    assert mine["data"]["title"] == "Four à pain" and mine["data"]["remedies"]
    assert alert_changes(changes(bruno)) == []


def test_a_resolved_alert_leaves_the_device(alice, deal_alert):
    cursor = changes(alice)["cursor"]
    deal_alert.state, deal_alert.resolved_at = "resolved", utcnow()
    db.session.commit()

    assert [(c["id"], c["op"]) for c in alert_changes(changes(alice, cursor))] == [
        (str(deal_alert.id), "delete")]


def test_a_deal_handed_over_leaves_the_old_owners_device_for_the_new_ones(alice, bruno,
                                                                         chloe, people,
                                                                         deal_alert):
    cursors = {who: changes(who)["cursor"] for who in (alice, bruno, chloe)}
    deal = alice.get(f"/api/deals/{deal_alert.record_id}").json
    alice.patch(f"/api/deals/{deal['id']}", json={"version": deal["version"],
                                                  "owner_id": str(people.b.id)})

    assert [(c["id"], c["op"]) for c in alert_changes(changes(alice, cursors[alice]))] == [
        (str(deal_alert.id), "delete")]
    (new,) = alert_changes(changes(bruno, cursors[bruno]))
    assert new["op"] == "upsert" and new["data"]["record_id"] == deal["id"]
    assert alert_changes(changes(chloe, cursors[chloe])) == []  # never hers: nothing at all


def push(auth, *mutations) -> list[dict]:
    numbered = [{"seq": i + 1, "entity": "alert", **m} for i, m in enumerate(mutations)]
    response = auth.post("/api/sync/push", json={"client_id": CLIENT, "mutations": numbered})
    assert response.status_code == 200, response.json
    return response.json["results"]


def test_acting_offline_goes_through_the_outbox(alice, deal_alert):
    until = (utcnow() + timedelta(days=2)).replace(microsecond=0)
    applied, stale = push(
        alice,
        {"op": "update", "id": str(deal_alert.id), "base_version": 1,
         "data": {"state": "snoozed", "snoozed_until": until.isoformat()}},
        {"op": "update", "id": str(deal_alert.id), "base_version": 1,
         "data": {"state": "dismissed", "snoozed_until": None}})

    assert applied["status"] == "applied" and applied["data"]["state"] == "snoozed"
    assert applied["data"]["snoozed_until"] == until.isoformat().replace("+00:00", "Z")
    assert stale["status"] == "conflict" and stale["current"]["state"] == "snoozed"
    assert alert_on_id(deal_alert.id).state == "snoozed"


def test_an_offline_action_that_comes_back_late_is_not_a_dead_end(alice, deal_alert):
    other_alert = Alert(rule=deal_alert.rule, record_type="deal", record_id=deal_alert.record_id,
                        user_id=deal_alert.user_id, state="resolved", resolved_at=utcnow(),
                        facts=dict(deal_alert.facts))
    db.session.add(other_alert)
    db.session.commit()
    week_ago = (utcnow() - timedelta(days=1)).isoformat()
    late, moot = push(
        alice,
        {"op": "update", "id": str(deal_alert.id), "base_version": 1,
         "data": {"state": "snoozed", "snoozed_until": week_ago}},
        {"op": "update", "id": str(other_alert.id), "base_version": 1,
         "data": {"state": "dismissed"}})

    assert late["status"] == "applied" and late["data"]["state"] == "snoozed"
    assert alert_on_id(deal_alert.id).snoozed_until <= utcnow() + timedelta(seconds=5)
    assert moot["status"] == "applied"  # resolved meanwhile: nothing left to do
    assert alert_on_id(other_alert.id).state == "resolved"


def test_the_outbox_cannot_create_delete_or_touch_others_alerts(alice, bruno, deal_alert):
    created, deleted, bad_state = push(
        alice,
        {"op": "create", "id": str(uuid.uuid4()), "data": {"rule": "deal_overdue"}},
        {"op": "delete", "id": str(deal_alert.id)},
        {"op": "update", "id": str(deal_alert.id), "base_version": 1,
         "data": {"state": "resolved"}})
    (foreign,) = push(bruno, {"op": "update", "id": str(deal_alert.id), "base_version": 1,
                              "data": {"state": "dismissed"}})

    assert [r["status"] for r in (created, deleted, bad_state, foreign)] == ["rejected"] * 4
    assert created["error"]["code"] == deleted["error"]["code"] == "read_only"
    assert foreign["error"]["code"] == "not_found"
    assert alert_on_id(deal_alert.id).state == "open"


# -- rules' settings ---------------------------------------------------------------------------

def test_anyone_reads_the_rules(alice):
    items = {r["key"]: r for r in alice.get("/api/alert-rules").json["items"]}

    assert set(items) == {"deal_neglected", "deal_overdue", "task_overdue", "client_neglected",
                          "record_unowned", "prospect_untouched"}
    assert items["deal_neglected"]["params"] == {"days": {
        "prospecting": 14, "qualification": 14, "proposal": 14, "negotiation": 14}}
    assert items["client_neglected"]["enabled"] is True
    assert items["record_unowned"]["remedies"] == ["reassign"]


def test_only_an_admin_changes_a_rule(alice, make_auth, people, db_state):
    body = {"enabled": True, "params": {"months": 1}}
    manager = make_auth(people.manager)  # before the snapshot: a login records a session
    before = db_state()
    assert_error(alice.put("/api/alert-rules/client_neglected", json=body), 403, "forbidden")
    assert_error(manager.put("/api/alert-rules/client_neglected", json=body), 403)
    assert db_state() == before

    saved = make_auth(people.admin).put("/api/alert-rules/client_neglected", json=body)

    assert saved.status_code == 200 and saved.json["params"] == {"months": 1}
    assert db.session.get(AlertRule, "client_neglected").params == {"months": 1}


def test_new_thresholds_apply_at_once(make_auth, people, alice):
    deal = neglected_deal(people.a, stage="negotiation", created_at=utcnow() - timedelta(days=10))
    admin = make_auth(people.admin)
    admin.put("/api/alert-rules/deal_neglected",
              json={"enabled": True, "params": {"days": {"negotiation": 7}}})

    assert alert_on(deal).state == "open"
    admin.put("/api/alert-rules/deal_neglected", json={"enabled": False})
    assert alert_on(deal).state == "resolved"


def test_an_unknown_rule_is_404(make_auth, people):
    admin = make_auth(people.admin)
    assert_error(admin.put("/api/alert-rules/nope", json={"enabled": True}), 404)
