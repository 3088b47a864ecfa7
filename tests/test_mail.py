"""E-mail: from a notice to a message a real SMTP server (aiosmtpd) accepted, or to the log.

Jobs run in the test thread with run_jobs(), so "nothing was mailed" is a fact; the SMTP server
is a real one on 127.0.0.1 (tests/mail_peer.py) that asks for the configured login.
"""

from __future__ import annotations

import logging

import pytest

from app.extensions import db
from app.models import User
from app.services.mail import parse_smtp_url
from tests.conftest import retry_scheduled, run_jobs
from tests.factories import CompanyFactory, UserFactory


def log(auth, **fields) -> dict:
    body = {"kind": "visit", "starts_at": "2026-11-24T09:00:00Z", "subject": "Relance devis",
            **fields}
    response = auth.post("/api/exchanges", json=body)
    assert response.status_code == 201, response.json
    return response.json


def test_an_exchange_shared_with_me_is_mailed_in_french(app, people, alice, mail_peer):
    company = CompanyFactory(name="Boulangerie <Martin>", owner=people.a)
    db.session.commit()

    log(alice, company_id=str(company.id), participant_ids=[str(people.b.id)])
    run_jobs(app)

    (got,) = mail_peer.wait_for(1)
    assert got.rcpt_tos == ["bruno@example.fr"] and got.login == "tournee"
    assert got.message["Subject"] == "Un échange avec vous : Boulangerie <Martin>"
    assert got.message["From"] == app.config["MAIL_FROM"]
    assert got.message["To"] == "Bruno Sales <bruno@example.fr>"
    assert got.message["Auto-Submitted"] == "auto-generated"
    link = f"https://tournee.test/#/companies/{company.id}"
    assert "Alice Sales a noté un échange avec vous (Visite) : Relance devis" in got.text
    assert f"Ouvrir dans Tournée : {link}" in got.text
    assert f'href="{link}"' in got.html
    assert "Boulangerie &lt;Martin&gt;" in got.html and "<Martin>" not in got.html  # escaped


def test_in_english_for_an_english_speaker(app, people, alice, mail_peer):
    UserFactory(name="Emma Jones", email="emma@example.com", locale="en")
    db.session.commit()
    emma = db.session.scalar(db.select(User).where(User.email == "emma@example.com"))
    company = CompanyFactory(name="Dupont SARL", owner=people.a)
    db.session.commit()

    log(alice, company_id=str(company.id), state="planned", participant_ids=[str(emma.id)],
        details="@Emma Jones can you join?")
    run_jobs(app)

    (got,) = mail_peer.wait_for(1)  # named and invited: one mail, for the mention
    assert got.message["Subject"] == "You were mentioned: Dupont SARL"
    assert "Hello Emma Jones," in got.text
    assert "Alice Sales mentioned you (Visit): Relance devis" in got.text
    assert f"Open in Tournée: https://tournee.test/#/companies/{company.id}" in got.text
    assert 'lang="en"' in got.html


def test_a_private_exchange_never_mails_anyone_outside_it(app, people, alice, chloe, mail_peer):
    company = CompanyFactory(owner=people.c)  # Chloé owns the company...
    db.session.commit()
    chloe.put("/api/push/preferences", json={"kinds": {}, "timezone": "Europe/Paris",
                                             "email": {"exchange_logged": True}})

    log(alice, company_id=str(company.id), private=True, participant_ids=[str(people.b.id)],
        details="Ne pas en parler à @Chloé Sales")  # ...and is named, but not in it
    run_jobs(app)

    assert [d.rcpt_tos for d in mail_peer.wait_for(1)] == [["bruno@example.fr"]]
    assert mail_peer.to("chloe@example.fr") == []


def test_an_exchange_made_private_before_the_mail_goes_is_not_mailed(app, people, alice,
                                                                    mail_peer):
    exchange = log(alice, subject="Restructuration", details="@Chloé Sales pour info")

    alice.patch(f"/api/exchanges/{exchange['id']}",
                json={"version": exchange["version"], "private": True})
    run_jobs(app)  # the mail job checks again when it runs

    assert mail_peer.received == [] and mail_peer.attempts == []


def test_a_user_deactivated_before_the_mail_goes_is_not_mailed(app, people, alice, mail_peer):
    log(alice, participant_ids=[str(people.b.id)])
    people.b.active = False
    db.session.commit()

    run_jobs(app)

    assert mail_peer.attempts == []


def test_email_switched_off_or_on_per_kind(app, people, alice, bruno, chloe, mail_peer):
    company = CompanyFactory(owner=people.c)
    db.session.commit()
    bruno.put("/api/push/preferences", json={"kinds": {}, "timezone": "Europe/Paris",
                                             "email": {"exchange_shared": False}})
    chloe.put("/api/push/preferences", json={"kinds": {}, "timezone": "Europe/Paris",
                                             "email": {"exchange_logged": True}})

    log(alice, company_id=str(company.id), participant_ids=[str(people.b.id)])
    run_jobs(app)

    (got,) = mail_peer.wait_for(1)
    assert got.rcpt_tos == ["chloe@example.fr"]  # the owner, who asked for it
    assert got.message["Subject"].startswith("Nouvel échange : ")
    assert [i["kind"] for i in bruno.get("/api/notifications").json["items"]] == [
        "exchange_shared"]  # switched off by mail, still in the inbox


def test_without_smtp_the_mail_is_written_to_the_log(app, people, alice, caplog):
    assert app.config["SMTP_URL"] is None
    company = CompanyFactory(name="Cave Dupuis", owner=people.a)
    db.session.commit()

    with caplog.at_level(logging.INFO, logger="app.mail"):
        log(alice, company_id=str(company.id), participant_ids=[str(people.b.id)])
        run_jobs(app)

    (record,) = [r for r in caplog.records if r.name == "app.mail"]
    assert record.levelno == logging.INFO
    assert "Bruno Sales <bruno@example.fr>" in record.getMessage()
    assert "Subject: Un échange avec vous : Cave Dupuis" in record.getMessage()
    assert f"https://tournee.test/#/companies/{company.id}" in record.getMessage()


def test_a_server_asking_to_try_later_is_retried(app, people, alice, mail_peer, caplog):
    mail_peer.refuse(2, 451)
    log(alice, participant_ids=[str(people.b.id)], subject="Secret de fabrication")
    run_jobs(app)
    assert mail_peer.attempts == [451] and mail_peer.received == []

    assert retry_scheduled(app) == 1
    assert retry_scheduled(app) == 1

    assert mail_peer.attempts == [451, 451, 250]
    assert len(mail_peer.wait_for(1)) == 1
    assert retry_scheduled(app) == 0  # delivered: nothing left to try
    assert "Secret de fabrication" not in caplog.text  # job logs name ids only


def test_a_server_refusing_for_good_is_not_retried(app, people, alice, mail_peer):
    mail_peer.refuse(1, 550)
    log(alice, participant_ids=[str(people.b.id)])

    run_jobs(app)

    assert mail_peer.attempts == [550]
    assert app.extensions["jobs"].huey.scheduled() == []


def test_an_unreachable_server_is_retried(app, people, alice):
    from tests.mail_peer import free_port

    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"  # nobody listens there
    log(alice, participant_ids=[str(people.b.id)])

    run_jobs(app)

    (retry,) = app.extensions["jobs"].huey.scheduled()
    assert retry.name == "send_mail" and retry.kwargs == {"attempt": 1}
    app.config["SMTP_URL"] = None


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://mail.example.fr", ("smtp", "mail.example.fr", 25, None, None)),
    ("smtp+starttls://u%40x:p%3Aw@mail.example.fr", ("smtp+starttls", "mail.example.fr", 587,
                                                     "u@x", "p:w")),
    ("smtps://u:@mail.example.fr:2465", ("smtps", "mail.example.fr", 2465, "u", "")),
])
def test_smtp_urls(url, expected):
    target = parse_smtp_url(url)

    assert (target.scheme, target.host, target.port, target.username,
            target.password) == expected


@pytest.mark.parametrize("url", ["http://mail.example.fr", "smtp://", "mail.example.fr:25"])
def test_not_smtp_urls(url):
    with pytest.raises(ValueError):
        parse_smtp_url(url)


@pytest.mark.parametrize("tls", ["starttls", "implicit"])
def test_tls_to_the_server_and_its_certificate_checked(app, people, tls):
    from app.services import mail
    from tests.mail_peer import MailPeer

    message = {"kind": "task_assigned", "url": "/#/tasks",
               "texts": {"fr": {"title": "Rappeler Dupont", "body": "Alice vous confie"}}}
    with app.test_request_context(), MailPeer("tournee", "pw", tls=tls) as peer:
        composed = mail.compose(people.b, message, "Tournée <t@example.fr>", "https://x.test")
        untrusted = mail.send(peer.url, composed)  # the system's CAs do not know this one
        assert untrusted.outcome == "retry" and peer.received == []

        sent = mail.send(peer.url, composed, context=peer.client_context())

        assert sent.outcome == "sent"
        (got,) = peer.wait_for(1)
        assert got.login == "tournee" and got.message["Subject"] == (
            "Nouvelle tâche : Rappeler Dupont")
