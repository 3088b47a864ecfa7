"""The sweep: one alert per (rule, record), resolved from any state when its situation clears,
reopened when a snooze ends, moved with the record's owner, told to its user, and a number of
queries that does not grow with the records. Time is fixed through `now`."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from app.extensions import db
from app.live.broker import Connection
from app.models import Alert, AlertRule, Notification, exchange_deals
from app.services.alerts.engine import MAX_NOTICES_PER_USER, sweep
from tests.conftest import run_jobs
from tests.factories import CompanyFactory, DealFactory, ExchangeFactory

NOW = datetime(2027, 3, 15, 10, 0, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=400)
DEALS = ["deal_neglected"]


def neglected_deal(owner, **fields):
    """A deal in proposal, untouched for 400 days (company owned too, so no other rule fires)."""
    company = CompanyFactory(owner=owner, status="prospect", created_at=NOW)
    return DealFactory(owner=owner, company=company, created_at=LONG_AGO, **fields)


def log_on(deal, at: datetime, author) -> None:
    made = ExchangeFactory(starts_at=at, created_by=author)
    db.session.execute(exchange_deals.insert().values(exchange_id=made.id, deal_id=deal.id))
    db.session.commit()


def alerts_of(deal) -> list[Alert]:
    db.session.expire_all()
    return list(db.session.scalars(select(Alert).where(Alert.record_id == deal.id)
                                   .order_by(Alert.created_at)))


def run(now: datetime = NOW, **kwargs):
    report = sweep(db.session, now, rules=kwargs.pop("rules", DEALS), **kwargs)
    db.session.commit()
    return report


def test_an_alert_opens_once_and_stays_one(people):
    deal = neglected_deal(people.a)

    first = run()
    again = run(NOW + timedelta(hours=1))

    (alert,) = alerts_of(deal)
    assert first.counts()["opened"] == 1 and again.counts() == dict.fromkeys(again.counts(), 0)
    assert (alert.rule, alert.record_type, alert.user_id, alert.state) == (
        "deal_neglected", "deal", people.a.id, "open")
    assert alert.facts["since"] == "2026-02-08T10:00:00Z" and alert.version == 1


@pytest.mark.parametrize("state", ["open", "acknowledged", "snoozed", "dismissed"])
def test_the_alert_resolves_from_any_state_when_the_situation_clears(people, state):
    deal = neglected_deal(people.a)
    run()
    (alert,) = alerts_of(deal)
    alert.state = state
    alert.snoozed_until = NOW + timedelta(days=5) if state == "snoozed" else None
    db.session.commit()

    log_on(deal, NOW - timedelta(hours=1), people.a)
    report = run(NOW + timedelta(minutes=15))

    (alert,) = alerts_of(deal)
    assert report.counts()["resolved"] == 1
    assert (alert.state, alert.resolved_at) == ("resolved", NOW + timedelta(minutes=15))


def test_a_situation_back_after_resolution_opens_a_new_alert(people):
    deal = neglected_deal(people.a)
    run()
    log_on(deal, NOW, people.a)
    run(NOW + timedelta(days=1))

    run(NOW + timedelta(days=15))

    old, new = alerts_of(deal)
    assert (old.state, new.state) == ("resolved", "open")
    assert new.facts["since"] == "2027-03-15T10:00:00Z"


def test_a_snooze_that_ends_reopens_the_alert_and_tells_again(people):
    deal = neglected_deal(people.a)
    run()
    (alert,) = alerts_of(deal)
    alert.state, alert.snoozed_until = "snoozed", NOW + timedelta(days=7)
    db.session.commit()

    assert run(NOW + timedelta(days=6)).counts()["reopened"] == 0
    assert alerts_of(deal)[0].state == "snoozed"
    report = run(NOW + timedelta(days=7))

    (alert,) = alerts_of(deal)
    assert report.counts()["reopened"] == 1
    assert (alert.state, alert.snoozed_until) == ("open", None)
    told = db.session.scalars(select(Notification).where(Notification.kind == "alert")).all()
    assert len(told) == 2 and {n.user_id for n in told} == {people.a.id}


def test_a_deal_handed_over_ends_the_alert_and_opens_one_for_its_new_owner(people):
    deal = neglected_deal(people.a)
    run()
    (alert,) = alerts_of(deal)
    alert.state = "dismissed"
    deal.owner_id = people.b.id
    db.session.commit()

    report = run(NOW + timedelta(minutes=15))

    old, new = alerts_of(deal)
    assert report.counts()["moved"] == 1
    assert (old.user_id, old.state) == (people.a.id, "resolved")
    assert (new.user_id, new.state) == (people.b.id, "open")  # new to Bruno, told to him
    told = db.session.scalars(select(Notification.user_id).where(
        Notification.kind == "alert")).all()
    assert sorted(told, key=str) == sorted([people.a.id, people.b.id], key=str)


def test_an_inactive_owner_leaves_the_alert_to_the_managers(people):
    deal = neglected_deal(people.a)
    people.a.active = False
    db.session.commit()

    run()

    (alert,) = alerts_of(deal)
    assert alert.user_id is None
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_switching_a_rule_off_resolves_its_alerts(people):
    deal = neglected_deal(people.a)
    run()
    db.session.add(AlertRule(key="deal_neglected", enabled=False, params={}))
    db.session.commit()

    run(NOW + timedelta(minutes=15))

    assert alerts_of(deal)[0].state == "resolved"


def test_opening_tells_the_user_with_remedy_buttons_and_the_alert_id(app, people):
    deal = neglected_deal(people.a, name="Four à pain")
    socket = Connection(people.a.id, lang="en")
    app.extensions["live"].register(socket)

    run()

    (alert,) = alerts_of(deal)
    (notice,) = db.session.scalars(select(Notification)).all()
    assert (notice.user_id, notice.kind, notice.url) == (people.a.id, "alert",
                                                         f"/#/alerts/{alert.id}")
    assert notice.texts["fr"] == {"title": "Four à pain",
                                  "body": "Aucun échange sur cette affaire depuis 400 jours"}
    messages = []
    while not socket.queue.empty():
        messages.append(json.loads(socket.queue.get_nowait()))
    by_type = {m["type"]: m for m in messages}
    assert by_type["alert"]["id"] == str(alert.id) and by_type["alert"]["state"] == "open"
    assert by_type["alert"]["title"] == "Four à pain"
    assert by_type["alert"]["body"] == "No exchange on this deal for 400 days"
    pushed = by_type["notification"]
    assert pushed["alert_id"] == str(alert.id) and pushed["kind"] == "alert"
    assert [a["action"] for a in pushed["actions"]] == ["snooze", "log_call"]


def test_a_first_sweep_tells_each_user_of_a_few_alerts_only(people):
    for _ in range(MAX_NOTICES_PER_USER + 4):
        neglected_deal(people.a)
    neglected_deal(people.b)

    report = run()

    assert report.counts()["opened"] == MAX_NOTICES_PER_USER + 5
    told = db.session.execute(select(Notification.user_id, func.count()).group_by(
        Notification.user_id)).all()
    assert dict(told) == {people.a.id: MAX_NOTICES_PER_USER, people.b.id: 1}


def test_alerts_for_nobody_in_particular_notify_nobody(people):
    CompanyFactory(owner=None, status="suspect")

    report = run(rules=["record_unowned"])

    assert report.opened[0].user_id is None
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_an_alert_for_nobody_is_shown_live_to_managers_and_admins_only(app, people):
    sockets = {who: Connection(getattr(people, who).id) for who in ("a", "manager", "admin")}
    for socket in sockets.values():
        app.extensions["live"].register(socket)
    CompanyFactory(owner=None, status="suspect", name="Sans Maître")

    run(rules=["record_unowned"])

    def alerts_seen(socket) -> list[dict]:
        seen = []
        while not socket.queue.empty():
            seen.append(json.loads(socket.queue.get_nowait()))
        return [m for m in seen if m["type"] == "alert"]

    assert alerts_seen(sockets["a"]) == []
    for boss in ("manager", "admin"):
        (message,) = alerts_seen(sockets[boss])
        assert (message["rule"], message["user_id"], message["title"]) == (
            "record_unowned", None, "Sans Maître")


def count_queries(fn) -> int:
    statements = []

    def note(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    return len(statements)


def build(people, n: int) -> None:
    """n records of each kind every rule looks at (alerts for Alice and for nobody)."""
    from app.models import Task

    for i in range(n):
        deal = neglected_deal(people.a, expected_close_date=(NOW - timedelta(days=3)).date())
        CompanyFactory(owner=people.a, status="client", created_at=LONG_AGO)
        CompanyFactory(owner=None, status="prospect", created_at=LONG_AGO)
        db.session.add(Task(id=uuid.uuid4(), title=f"Tâche {i}", assignee_id=people.a.id,
                            created_by_id=people.b.id, due_at=NOW - timedelta(days=1),
                            deal_id=deal.id))
    db.session.commit()


def test_the_number_of_queries_does_not_grow_with_the_records(app, people):
    def measure() -> tuple[int, int, int]:
        db.session.execute(Alert.__table__.delete())
        db.session.execute(Notification.__table__.delete())
        db.session.commit()
        first = count_queries(lambda: run(rules=None))
        steady = count_queries(lambda: run(NOW + timedelta(minutes=15), rules=None))
        return first, steady, db.session.scalar(select(func.count()).select_from(Alert))

    build(people, 5)
    first5, steady5, opened5 = measure()
    build(people, 45)
    first50, steady50, opened50 = measure()

    assert opened5 >= 5 * 5 and opened50 >= 50 * 5  # every rule opened alerts
    assert (first50, steady50) == (first5, steady5)
    assert steady5 <= 12


def test_the_periodic_job_is_on_the_clock_and_sweeps(app, people):
    from huey.api import PeriodicTask

    queue = app.extensions["jobs"]
    task = queue.tasks["sweep_alerts"]
    assert issubclass(task.task_class, PeriodicTask)
    at = datetime(2026, 11, 24, 9, 15)  # Huey's periodic clock is naive UTC (utc=True)
    due = {t.name for t in queue.huey.read_periodic(at)}
    assert "sweep_alerts" in due
    assert "sweep_alerts" not in {t.name for t in queue.huey.read_periodic(at.replace(minute=7))}

    CompanyFactory(owner=None)
    queue.huey.enqueue(task.s())
    assert run_jobs(app) == 1
    assert db.session.scalar(select(func.count()).select_from(Alert)) == 1


def test_ops_can_sweep_from_the_command_line(runner, people):
    CompanyFactory(owner=None)

    result = runner.invoke(args=["sweep-alerts"])

    assert result.exit_code == 0, result.output
    assert "1 opened" in result.output
    assert db.session.scalar(select(func.count()).select_from(Alert)) == 1


def test_a_sweep_still_running_elsewhere_makes_the_next_one_skip(app, people, caplog):
    caplog.set_level("INFO", logger="tournee.jobs")
    queue = app.extensions["jobs"]
    CompanyFactory(owner=None)
    db.session.commit()

    with queue.huey.lock_task("periodic:sweep_alerts"):  # another worker's sweep
        queue.huey.enqueue(queue.tasks["sweep_alerts"].s())
        assert run_jobs(app) == 1
    assert db.session.scalar(select(func.count()).select_from(Alert)) == 0
    assert "sweep_alerts skipped" in caplog.text

    db.session.rollback()  # end this test's read, as a request would
    queue.huey.enqueue(queue.tasks["sweep_alerts"].s())
    assert run_jobs(app) == 1
    assert db.session.scalar(select(func.count()).select_from(Alert)) == 1
