"""An alert that opens reaches its user's phones: decrypted at the push service peer, in each
device's language, with its remedy buttons and the alert they act on."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import Alert, utcnow
from app.services.alerts.engine import sweep
from tests.conftest import run_jobs
from tests.factories import CompanyFactory, DealFactory
from tests.test_push_delivery import subscribe


def neglect(owner, name: str):
    company = CompanyFactory(owner=owner, status="prospect")
    return DealFactory(owner=owner, company=company, name=name,
                       created_at=utcnow() - timedelta(days=30))


def swept() -> None:
    sweep(db.session)
    db.session.commit()


def test_an_alert_is_pushed_with_its_buttons_in_the_devices_language(app, people, alice,
                                                                     push_peer):
    english = subscribe(alice, push_peer, lang="en")
    french = subscribe(alice, push_peer, lang="fr")
    deal = neglect(people.a, "Four à pain")

    swept()
    run_jobs(app)

    alert = db.session.scalar(select(Alert).where(Alert.record_id == deal.id))
    got = {r.token: r for r in push_peer.wait_for(2)}
    en, fr = got[english.token].payload, got[french.token].payload
    assert (en["kind"], en["alert_id"]) == ("alert", str(alert.id))
    assert en["title"] == "Four à pain"
    assert en["body"] == "No exchange on this deal for 30 days"
    assert fr["body"] == "Aucun échange sur cette affaire depuis 30 jours"
    assert en["url"] == f"/#/alerts/{alert.id}"
    assert en["record"] == {"type": "deal", "id": str(deal.id)}
    assert en["actions"] == [{"action": "snooze", "title": "Snooze 7 d"},
                             {"action": "log_call", "title": "Log a call"}]
    assert fr["actions"] == [{"action": "snooze", "title": "Reporter 7 j"},
                             {"action": "log_call", "title": "Noter un appel"}]
    assert push_peer.rejections == []


def test_a_steady_sweep_pushes_nothing_more(app, people, alice, push_peer):
    subscribe(alice, push_peer)
    neglect(people.a, "Four à pain")
    swept()
    run_jobs(app)
    push_peer.wait_for(1)

    swept()

    assert run_jobs(app) == 0
    assert len(push_peer.attempts) == 1


def test_an_alert_for_nobody_buzzes_no_phone(app, people, make_auth, push_peer):
    subscribe(make_auth(people.manager), push_peer)
    CompanyFactory(owner=None, status="suspect")

    swept()

    assert run_jobs(app) == 0
    assert push_peer.attempts == []
