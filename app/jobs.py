"""Background jobs: pushes to devices (e-mail and alert sweeps come with notifications)."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from app.extensions import db, jobs
from app.job_queue import GiveUp, RetryLater
from app.models import Exchange, PushSubscription, User, utcnow
from app.models.events import writing
from app.services import mail, push
from app.services.notify import may_hear_of

log = logging.getLogger("tournee.jobs")


def _recipient(user_id: str, message: dict) -> User | None:
    """The user, if they may still be told: active, and still allowed to see what it is about
    (a held or retried push must not reveal an exchange made private or deleted meanwhile)."""
    user = db.session.get(User, uuid.UUID(user_id))
    if user is None or not user.is_active:
        return None
    if message.get("exchange_id"):
        exchange = db.session.get(Exchange, uuid.UUID(message["exchange_id"]))
        if exchange is None or not may_hear_of(user, exchange):
            return None
    return user


def _expiry(message: dict) -> datetime | None:
    """When a message stops being worth pushing, if it says (a reminder: the start)."""
    try:
        return datetime.fromisoformat(message["expires_at"])
    except (KeyError, TypeError, ValueError):
        return None


@jobs.job(retries=3)
def push_to_user(user_id: str, message: dict) -> None:
    """Fan a message out to each of the user's devices, as the user's preferences allow."""
    user = _recipient(user_id, message)
    if user is None:
        return
    prefs = push.preferences(db.session, user)
    kind = message.get("kind")
    if not push.enabled_kinds(prefs).get(kind, True):
        return
    held_until = push.quiet_until(prefs, utcnow()) if kind != "test" else None
    if held_until is not None:  # quiet hours: sent when they end, not lost...
        expires = _expiry(message)
        if expires is None:
            push_to_user.schedule(user_id, message, eta=held_until)
        elif held_until < expires:  # the push service keeps it until then, no longer
            ttl = int((expires - held_until).total_seconds())
            push_to_user.schedule(user_id, {**message, "ttl": ttl}, eta=held_until)
        return  # ...unless stale by then (a reminder for an appointment already begun)
    ids = list(db.session.scalars(select(PushSubscription.id).where(
        PushSubscription.user_id == user.id)))
    for sub_id in ids:
        try:  # one device's job not queued must not make the others get it twice
            send_push.enqueue(str(sub_id), user_id, message)
        except Exception:
            log.exception("push to device %s not queued", sub_id)


@jobs.job(retries=6, base_delay=5.0)
def send_push(subscription_id: str, user_id: str, message: dict) -> None:
    """Encrypt and send one message to one device; prune it if its push service forgot it."""
    sub = db.session.get(PushSubscription, uuid.UUID(subscription_id))
    if sub is None or str(sub.user_id) != user_id or _recipient(user_id, message) is None:
        return  # unsubscribed, moved to another user, or no longer theirs to hear
    # No transaction during the HTTP call: on SQLite a held write lock would queue every
    # other writer (and every other push) behind a push service's round trip.
    db.session.expunge(sub)
    db.session.rollback()
    sent = push.send(current_app.extensions["vapid"], sub, message)
    with writing():
        sub = db.session.get(PushSubscription, sub.id)
        if sub is not None:
            push.record_outcome(db.session, sub, sent)
            db.session.commit()
    if sent.outcome == "retry":
        raise RetryLater(f"push service answered {sent.status or 'nothing'}", sent.retry_after)
    if sent.outcome == "refused":
        raise GiveUp(f"push service refused the message ({sent.status})")


@jobs.job(retries=8, base_delay=30.0, max_delay=3600.0)
def send_mail(user_id: str, message: dict) -> None:
    """Mail a notice to its recipient, if they may still hear of it and still want it mailed."""
    user = _recipient(user_id, message)
    if user is None or not push.wants(push.preferences(db.session, user), "email",
                                      message.get("kind")):
        return
    config = current_app.config
    base_url = config["BASE_URL"] or f"http://localhost:{config['PORT']}"
    composed = mail.compose(user, message, config["MAIL_FROM"], base_url)
    db.session.rollback()  # no transaction held while an SMTP server takes its time
    sent = mail.send(config.get("SMTP_URL"), composed)
    if sent.outcome == "retry":
        raise RetryLater(f"mail server: {sent.detail}")
    if sent.outcome == "refused":
        raise GiveUp(f"mail server refused the message: {sent.detail}")


@jobs.periodic(every_minutes=1)
def send_reminders() -> None:
    """Push the appointment reminders due this minute (each once per start time)."""
    from app.services import reminders

    with writing():
        db.session.rollback()
        sent = reminders.send_reminders(db.session, utcnow())
        db.session.commit()
    if sent:
        log.info("appointment reminders: %d sent", sent)


@jobs.periodic(every_minutes=15)
def sweep_alerts() -> None:
    """Evaluate the alert rules: open, move, reopen and resolve alerts."""
    from app.services.alerts.engine import sweep

    with writing():
        db.session.rollback()
        report = sweep(db.session)
        db.session.commit()
    log.info("alerts sweep: %s", report.counts())
