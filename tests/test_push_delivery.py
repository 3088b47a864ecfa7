"""From an exchange logged to a push decrypted by the device: trigger, jobs, pywebpush, peer.

Jobs go through the app's real Huey queue (a SQLite file); most tests run them in the test
thread with run_jobs() so that "nothing was sent" is a fact, not a timeout. The retry test runs
the threaded consumer that `tournee run` starts.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

from app.extensions import db
from app.models import PushSubscription
from tests.conftest import retry_scheduled, run_jobs
from tests.factories import CompanyFactory, ContactFactory, DealFactory


def subscribe(auth, peer, lang: str = "fr"):
    device, info = peer.new_device()
    response = auth.post("/api/push/subscriptions", json=info, headers={"Accept-Language": lang})
    assert response.status_code == 201
    return device


def log(auth, **fields):
    body = {"kind": "call", "starts_at": "2026-11-24T09:00:00Z", "subject": "Relance devis",
            **fields}
    response = auth.post("/api/exchanges", json=body)
    assert response.status_code == 201, response.json
    return response.json


def test_an_exchange_on_my_company_reaches_my_phone(app, people, alice, bruno, push_peer):
    company = CompanyFactory(name="Boulangerie Martin", owner=people.b)
    db.session.commit()
    phone = subscribe(bruno, push_peer)

    log(alice, company_id=str(company.id))
    run_jobs(app)

    (got,) = push_peer.wait_for(1)
    assert got.token == phone.token
    assert got.payload["title"] == "Boulangerie Martin"
    assert got.payload["body"] == "Alice Sales · Appel : Relance devis"
    assert got.payload["url"] == f"/#/companies/{company.id}"
    assert got.payload["tag"] == f"company:{company.id}"
    assert got.payload["kind"] == "exchange_logged"
    assert got.payload["record"] == {"type": "company", "id": str(company.id)}
    assert got.ttl == 12 * 3600 and got.urgency == "normal"
    assert got.topic == company.id.hex  # one Topic per record
    assert got.claims["aud"] == push_peer.origin
    assert got.claims["sub"] == app.config["VAPID_SUBJECT"]
    assert got.claims["exp"] - time.time() > 3600
    assert push_peer.rejections == []


def test_each_owner_hears_once_of_their_own_record(app, people, alice, bruno, chloe, push_peer):
    company = CompanyFactory(owner=people.b)
    contact = ContactFactory(owner=people.c)
    deal = DealFactory(company=company, owner=people.b, name="Four à pain")
    db.session.commit()
    bruno_phone = subscribe(bruno, push_peer, lang="en")
    chloe_phone = subscribe(chloe, push_peer)
    alice_phone = subscribe(alice, push_peer)

    log(alice, company_id=str(company.id), contact_id=str(contact.id), deal_ids=[str(deal.id)])
    run_jobs(app)

    got = {r.token: r for r in push_peer.wait_for(2)}
    assert set(got) == {bruno_phone.token, chloe_phone.token}  # not the author
    assert got[bruno_phone.token].payload["url"] == f"/#/deals/{deal.id}"  # the most specific
    assert got[bruno_phone.token].payload["title"] == "Four à pain"
    assert got[bruno_phone.token].payload["body"] == "Alice Sales · Call: Relance devis"
    assert got[chloe_phone.token].payload["url"] == f"/#/contacts/{contact.id}"
    assert push_peer.received_by(alice_phone) == []


def test_a_private_exchange_is_pushed_to_participant_owners_only(app, people, alice, bruno,
                                                                chloe, push_peer):
    company = CompanyFactory(owner=people.b)
    contact = ContactFactory(owner=people.c)
    db.session.commit()
    bruno_phone = subscribe(bruno, push_peer)
    chloe_phone = subscribe(chloe, push_peer)

    log(alice, company_id=str(company.id), contact_id=str(contact.id), private=True,
        participant_ids=[str(people.c.id)], subject="Négociation confidentielle")
    run_jobs(app)

    (got,) = push_peer.wait_for(1)
    assert got.token == chloe_phone.token
    assert push_peer.received_by(bruno_phone) == []
    assert all("confidentielle" not in str(r.payload) for r in push_peer.received_by(bruno_phone))


def test_my_own_exchange_and_a_replay_notify_nobody(app, people, alice, push_peer):
    company = CompanyFactory(owner=people.a)
    db.session.commit()
    subscribe(alice, push_peer)
    exchange_id = str(uuid.uuid4())

    log(alice, id=exchange_id, company_id=str(company.id))
    replay = alice.post("/api/exchanges", json={"id": exchange_id, "kind": "call",
                                                "starts_at": "2026-11-24T09:00:00Z",
                                                "subject": "Relance devis",
                                                "company_id": str(company.id)})

    assert replay.status_code == 200
    assert run_jobs(app) == 0
    assert push_peer.attempts == []


def test_a_sync_batch_notifies_of_what_it_applied_only(app, people, alice, bruno, push_peer):
    company = CompanyFactory(owner=people.b)
    db.session.commit()
    subscribe(bruno, push_peer)
    good, bad = str(uuid.uuid4()), str(uuid.uuid4())
    mutation = {"entity": "exchange", "op": "create",
                "data": {"kind": "call", "starts_at": "2026-11-24T09:00:00Z",
                         "company_id": str(company.id), "subject": "ok"}}
    batch = [{**mutation, "seq": 1, "id": good},
             {**mutation, "seq": 2, "id": bad,
              "data": {**mutation["data"], "subject": "refusé", "kind": "nope"}}]

    response = alice.post("/api/sync/push", json={"client_id": str(uuid.uuid4()),
                                                  "mutations": batch})
    run_jobs(app)

    assert [r["status"] for r in response.json["results"]] == ["applied", "rejected"]
    (got,) = push_peer.wait_for(1)
    assert got.payload["body"].endswith(": ok")


def test_a_kind_switched_off_is_not_pushed(app, people, alice, bruno, push_peer):
    company = CompanyFactory(owner=people.b)
    db.session.commit()
    subscribe(bruno, push_peer)
    bruno.put("/api/push/preferences", json={"kinds": {"exchange_logged": False},
                                             "timezone": "Europe/Paris", "quiet_hours": None})

    log(alice, company_id=str(company.id))

    assert run_jobs(app) == 1  # the fan-out job ran, and sent nothing
    assert push_peer.attempts == []


def test_quiet_hours_hold_the_push_until_they_end(app, people, alice, bruno, push_peer):
    company = CompanyFactory(owner=people.b)
    db.session.commit()
    subscribe(bruno, push_peer)
    now = datetime.now(UTC)
    # Around now, whatever the minute (HH:00-HH:59 would miss at HH:59).
    start, end = ((now - timedelta(minutes=30)).strftime("%H:%M"),
                  (now + timedelta(minutes=30)).strftime("%H:%M"))
    bruno.put("/api/push/preferences", json={"kinds": {}, "timezone": "UTC",
                                             "quiet_hours": {"start": start, "end": end}})

    log(alice, company_id=str(company.id))
    run_jobs(app)

    huey = app.extensions["jobs"].huey
    (held,) = huey.scheduled()
    assert push_peer.attempts == []
    assert held.eta.strftime("%H:%M") == end  # UTC, naive as Huey keeps it


def test_quiet_hours_drop_a_push_that_would_be_stale_when_they_end(app, people, bruno,
                                                                   push_peer):
    from app.jobs import push_to_user

    subscribe(bruno, push_peer)
    now = datetime.now(UTC)
    bruno.put("/api/push/preferences", json={
        "kinds": {}, "timezone": "UTC", "quiet_hours": {
            "start": (now - timedelta(minutes=30)).strftime("%H:%M"),
            "end": (now + timedelta(minutes=30)).strftime("%H:%M")}})
    queue = app.extensions["jobs"]
    reminder = {"type": "notification", "kind": "appointment_reminder", "texts": {},
                "at": now.isoformat(), "ttl": 60,
                "expires_at": (now + timedelta(minutes=1)).isoformat()}
    push_to_user.fn(str(people.b.id), reminder)  # the appointment starts in a minute
    assert queue.pending() == 0
    later = (now + timedelta(hours=2)).isoformat()
    push_to_user.fn(str(people.b.id), {**reminder, "expires_at": later})  # still useful then
    push_to_user.fn(str(people.b.id), {**reminder, "kind": "deal_won", "expires_at": None,
                                       "ttl": 60})  # a fact: held, whatever its push TTL
    assert queue.pending() == 2


def test_a_device_gone_from_its_push_service_is_pruned(app, people, alice, bruno, push_peer):
    company = CompanyFactory(owner=people.b)
    db.session.commit()
    gone = subscribe(bruno, push_peer)
    kept = subscribe(bruno, push_peer)
    push_peer.script(gone, 410)

    log(alice, company_id=str(company.id))
    run_jobs(app)

    assert push_peer.wait_for(1)[0].token == kept.token
    assert (gone.token, 410) in push_peer.attempts
    endpoints = db.session.scalars(db.select(PushSubscription.endpoint)).all()
    assert len(endpoints) == 1 and endpoints[0].endswith(kept.token)


def test_a_busy_push_service_is_retried_with_backoff(app, people, alice, bruno, push_peer,
                                                     worker):
    company = CompanyFactory(owner=people.b)
    db.session.commit()
    phone = subscribe(bruno, push_peer)
    push_peer.script(phone, 503, 429, retry_after=1)

    log(alice, company_id=str(company.id))

    (got,) = push_peer.wait_for(1, timeout=15)
    assert [status for _, status in push_peer.attempts] == [503, 429, 201]
    assert got.payload["kind"] == "exchange_logged"
    sub = wait_until(lambda: db.session.scalar(db.select(PushSubscription).where(
        PushSubscription.last_used_at.is_not(None))))
    assert sub.failures == 0  # counted 2 failures, then reset by the delivery


def wait_until(read, timeout: float = 5.0):
    """Poll what the worker commits (it writes after the peer has answered)."""
    deadline = time.monotonic() + timeout
    while True:
        db.session.rollback()
        value = read()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def test_a_push_in_flight_does_not_hold_up_other_writes(app, people, alice, bruno, push_peer,
                                                        worker):
    phone = subscribe(bruno, push_peer)
    push_peer.delay = 2.0  # a push service far away
    bruno.post("/api/push/test")
    wait_until(lambda: app.extensions["jobs"].pending() == 0)  # send_push was taken
    time.sleep(0.3)  # ...and is now waiting on the push service

    started = time.monotonic()
    response = alice.post("/api/companies", json={"name": "Écrite pendant un envoi"})
    elapsed = time.monotonic() - started

    assert response.status_code == 201
    assert elapsed < 1.0, elapsed  # not queued behind the push's write lock (2 s)
    assert push_peer.wait_for(1, timeout=10)[0].token == phone.token


def test_an_exchange_made_private_in_the_same_batch_tells_nobody(app, people, alice, bruno,
                                                                 push_peer):
    company = CompanyFactory(owner=people.b)
    db.session.commit()
    subscribe(bruno, push_peer)
    exchange_id = str(uuid.uuid4())
    batch = [{"seq": 1, "entity": "exchange", "op": "create", "id": exchange_id,
              "data": {"kind": "call", "starts_at": "2026-11-24T09:00:00Z",
                       "company_id": str(company.id), "subject": "SECRET"}},
             {"seq": 2, "entity": "exchange", "op": "update", "id": exchange_id,
              "base_version": 1, "data": {"private": True}}]

    response = alice.post("/api/sync/push", json={"client_id": str(uuid.uuid4()),
                                                   "mutations": batch})

    assert [r["status"] for r in response.json["results"]] == ["applied", "applied"]
    assert run_jobs(app) == 0  # the notice was decided on what was committed: private
    assert push_peer.attempts == []


def test_a_held_push_is_dropped_if_the_exchange_became_private(app, people, alice, bruno,
                                                               push_peer):
    from app.jobs import push_to_user

    company = CompanyFactory(owner=people.b)
    db.session.commit()
    subscribe(bruno, push_peer)
    now = datetime.now(UTC)
    bruno.put("/api/push/preferences", json={
        "kinds": {}, "timezone": "UTC", "quiet_hours": {
            "start": (now - timedelta(minutes=30)).strftime("%H:%M"),
            "end": (now + timedelta(minutes=30)).strftime("%H:%M")}})
    exchange = log(alice, company_id=str(company.id), subject="Plan social")
    run_jobs(app)
    (held,) = app.extensions["jobs"].huey.scheduled()

    hidden = alice.patch(f"/api/exchanges/{exchange['id']}",
                         json={"version": exchange["version"], "private": True})
    push_to_user.fn(*held.args)  # the quiet hours end
    run_jobs(app)

    assert hidden.status_code == 200
    assert push_peer.attempts == []


def test_a_retry_never_reaches_a_device_that_changed_hands(app, people, alice, bruno,
                                                           push_peer, caplog):
    company = CompanyFactory(owner=people.b)
    db.session.commit()
    tablet, info = push_peer.new_device()
    bruno.post("/api/push/subscriptions", json=info)
    push_peer.script(tablet, 503)
    log(alice, company_id=str(company.id), subject="Pour Bruno seulement")
    run_jobs(app)  # the first try fails: a retry is scheduled
    assert [status for _, status in push_peer.attempts] == [503]

    alice.post("/api/push/subscriptions", json=info)  # the shared tablet, now Alice's
    assert retry_scheduled(app) == 1  # the retry runs, as its time comes

    assert [status for _, status in push_peer.attempts] == [503]  # no second attempt
    assert "Pour Bruno" not in caplog.text  # logs name jobs by ids, never by their texts
