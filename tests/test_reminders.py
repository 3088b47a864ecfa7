"""Appointment reminders: pushed N minutes before the start, once per start time, to its people.

Time is the test's: send_reminders() takes `now`. Pushes go through the real queue (run_jobs),
pywebpush and the fake push service, which decrypts them as a phone would.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import event

from app.extensions import db
from app.models import NotificationPreference, ReminderSent, utcnow
from app.services import reminders
from tests.conftest import run_jobs
from tests.factories import CompanyFactory, ExchangeFactory, UserFactory

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
BEFORE_15 = START - timedelta(minutes=15)


def subscribe(auth, peer, lang: str = "fr"):
    device, info = peer.new_device()
    response = auth.post("/api/push/subscriptions", json=info, headers={"Accept-Language": lang})
    assert response.status_code == 201
    return device


def run(app, now: datetime) -> int:
    sent = reminders.send_reminders(db.session, now)
    db.session.commit()
    run_jobs(app)
    return sent


def visit(people, **fields):
    base = {"created_by": people.a, "state": "planned", "kind": "visit", "subject": "Démo",
            "starts_at": START, "company": CompanyFactory(name="Dupont SA")}
    exchange = ExchangeFactory(**{**base, **fields})
    db.session.commit()
    return exchange


def reminders_off(user) -> None:
    prefs = NotificationPreference(user_id=user.id, kinds={})
    db.session.add(prefs)
    db.session.commit()
    # Set on the stored row: an INSERT given None takes the column's default (15) instead.
    prefs.reminder_minutes = None
    db.session.commit()


def test_a_reminder_reaches_the_phone_once(app, people, alice, push_peer):
    phone = subscribe(alice, push_peer)
    exchange = visit(people)

    assert run(app, BEFORE_15) == 1

    (got,) = push_peer.wait_for(1)
    assert got.token == phone.token
    assert got.payload["kind"] == "appointment_reminder"
    assert got.payload["title"] == "Démo"
    assert got.payload["body"] == "Dans 15 min : Visite — Dupont SA"
    assert got.payload["url"] == f"/#/companies/{exchange.company_id}"
    assert got.urgency == "high" and got.ttl == 15 * 60
    assert got.topic == exchange.id.hex
    assert run(app, BEFORE_15 + timedelta(minutes=1)) == 0
    assert run(app, BEFORE_15 + timedelta(minutes=14)) == 0
    assert len(push_peer.received_by(phone)) == 1
    (item,) = alice.get("/api/notifications").json["items"]
    assert item["kind"] == "appointment_reminder"


def test_not_before_the_lead_and_in_english_for_english_devices(app, people, alice, push_peer):
    subscribe(alice, push_peer, lang="en")
    visit(people)

    assert run(app, BEFORE_15 - timedelta(seconds=30)) == 0
    assert run(app, START - timedelta(minutes=9, seconds=30)) == 1

    (got,) = push_peer.wait_for(1)
    assert got.payload["body"] == "In 10 min: Visit — Dupont SA"


def test_each_user_their_own_lead_and_none_for_reminders_off(app, people, alice, bruno, chloe,
                                                             push_peer):
    db.session.add(NotificationPreference(user_id=people.b.id, kinds={}, reminder_minutes=60))
    db.session.commit()
    reminders_off(people.c)
    bruno_phone = subscribe(bruno, push_peer)
    chloe_phone = subscribe(chloe, push_peer)
    visit(people, participants=[people.b, people.c])

    assert run(app, START - timedelta(minutes=60)) == 1  # Bruno only, an hour before
    assert push_peer.wait_for(1)[0].payload["body"] == "Dans 1 h : Visite — Dupont SA"
    assert run(app, BEFORE_15) == 1  # Alice; Chloé never
    assert [r.token for r in push_peer.received_by(bruno_phone)] == [bruno_phone.token]
    assert push_peer.received_by(chloe_phone) == []
    assert chloe.get("/api/notifications").json["items"] == []


def test_a_private_appointment_is_reminded_to_its_people_only(app, people, alice, bruno, chloe,
                                                              push_peer, make_auth):
    phones = {name: subscribe(helper, push_peer) for name, helper in (
        ("a", alice), ("b", bruno), ("c", chloe), ("m", make_auth(people.manager)))}
    visit(people, private=True, participants=[people.b], subject="Zanzibar",
          company=CompanyFactory(name="Dupont SA", owner=people.c))

    assert run(app, BEFORE_15) == 2

    got = {r.token for r in push_peer.wait_for(2)}
    assert got == {phones["a"].token, phones["b"].token}
    assert all("Zanzibar" not in str(r.payload) for r in push_peer.received_by(phones["c"]))
    assert chloe.get("/api/notifications").json["items"] == []


def test_a_moved_appointment_is_reminded_again(app, people, alice, push_peer):
    subscribe(alice, push_peer)
    exchange = visit(people)
    assert run(app, BEFORE_15) == 1

    exchange.starts_at = START + timedelta(hours=2)
    db.session.commit()

    assert run(app, BEFORE_15 + timedelta(minutes=1)) == 0
    assert run(app, BEFORE_15 + timedelta(hours=2)) == 1
    assert len(push_peer.wait_for(2)) == 2
    assert db.session.query(ReminderSent).count() == 2


def test_done_cancelled_deleted_past_and_inactive_are_not_reminded(app, people, alice):
    gone = UserFactory(active=False)
    visit(people, state="done")
    visit(people, state="cancelled")
    visit(people, deleted_at=utcnow())
    visit(people, starts_at=BEFORE_15 - timedelta(minutes=5))  # began 5 minutes ago
    visit(people, created_by=gone)

    assert reminders.due_reminders(db.session, BEFORE_15) == []


def test_an_appointment_at_the_minute_it_is_planned_for_is_still_told(app, people, alice):
    visit(people, starts_at=BEFORE_15 + timedelta(seconds=20))

    (due,) = reminders.due_reminders(db.session, BEFORE_15 + timedelta(seconds=30))

    assert due.minutes_left == 0
    assert reminders._texts(due.exchange, None, 0)["fr"]["body"] == "Maintenant : visit — Dupont SA"


def test_queries_do_not_grow_with_the_appointments(app, people):
    def count_queries(n: int) -> int:
        for i in range(n):
            visit(people, participants=[people.b, people.c],
                  starts_at=START - timedelta(minutes=i % 10))
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            due = reminders.due_reminders(db.session, BEFORE_15)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        db.session.rollback()
        return len(due), len(statements)

    few = count_queries(2)
    many = count_queries(25)

    assert few[0] == 3 * 2 and many[0] == 3 * 27
    assert many[1] == few[1]


def test_the_periodic_job_sends_what_is_due(app, people, alice, push_peer):
    from app.extensions import jobs

    subscribe(alice, push_peer)
    visit(people, starts_at=utcnow() + timedelta(minutes=5))
    job = jobs.registry["send_reminders"]

    job.fn()
    run_jobs(app)
    job.fn()
    run_jobs(app)

    assert job.every_minutes == 1
    (got,) = push_peer.wait_for(1)
    assert got.payload["body"].startswith("Dans 5 min : Visite")
