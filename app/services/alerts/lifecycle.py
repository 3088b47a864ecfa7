"""What users do with their alerts: list, acknowledge, snooze, dismiss (also offline, by sync).

An alert is for its user; one for nobody in particular (user_id None) is for every manager and
admin. Anyone else's alert is simply not found. A resolved alert is over: acting on it is a
conflict (409, with the alert as it stands).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.models import Alert, User, utcnow
from app.services.alerts.texts import localised
from app.services.errors import Conflict, Forbidden, Invalid, NotFound
from app.services.pagination import Page, paginate

SNOOZE_DAYS = 7
MAX_SNOOZE = timedelta(days=366)
ACTIONS = {"acknowledge": "acknowledged", "snooze": "snoozed", "dismiss": "dismissed"}


def for_user(user: User):
    """The alerts this user handles: theirs, and (managers) those for nobody in particular."""
    if user.is_manager:
        return or_(Alert.user_id == user.id, Alert.user_id.is_(None))
    return Alert.user_id == user.id


def can_see(user: User, alert: Alert) -> bool:
    return alert.user_id == user.id or (alert.user_id is None and user.is_manager)


def list_alerts(session: Session, user: User, args: dict, lang: str) -> Page:
    """My alerts (a manager's team: `scope=team`), newest first; not resolved unless asked."""
    if args.get("scope") == "team":
        if not user.is_manager:
            raise Forbidden("Only managers and admins see the team's alerts.")
        stmt = select(Alert)
    else:
        stmt = select(Alert).where(for_user(user))
    state = args.get("state")
    stmt = stmt.where(Alert.state == state if state else Alert.state != "resolved")
    if args.get("record_id"):
        stmt = stmt.where(Alert.record_id == args["record_id"])
    page = paginate(session, stmt, [Alert.created_at, Alert.id], limit=args["limit"],
                    cursor=args["cursor"], descending=True)
    now = utcnow()
    return Page([localised(a, lang, now) for a in page.items], page.next_cursor)


def counts(session: Session, user: User) -> dict:
    """How many of my alerts wait (open) and are live (not resolved nor dismissed), by rule."""
    rows = session.execute(select(Alert.rule, Alert.state, func.count()).where(
        for_user(user), Alert.state.in_(("open", "acknowledged", "snoozed")))
        .group_by(Alert.rule, Alert.state)).all()
    by_rule: dict[str, int] = {}
    for rule, state, n in rows:
        if state != "snoozed":
            by_rule[rule] = by_rule.get(rule, 0) + n
    return {"open": sum(n for _, state, n in rows if state == "open"),
            "live": sum(by_rule.values()), "by_rule": by_rule}


def _mine(session: Session, user: User, alert_id: uuid.UUID) -> Alert:
    alert = session.get(Alert, alert_id)
    if alert is None or not can_see(user, alert):
        raise NotFound("No such alert.")
    return alert


def get_alert(session: Session, user: User, alert_id: uuid.UUID, lang: str) -> Alert:
    """One of my alerts."""
    return localised(_mine(session, user, alert_id), lang)


def snooze_until(data: dict, now: datetime) -> datetime:
    """When a snooze ends: `until` (future, within a year), or `days` from now (default 7)."""
    until = data.get("until")
    if until is None:
        return now + timedelta(days=data.get("days") or SNOOZE_DAYS)
    if until <= now:
        raise Invalid("Some fields are not valid.", fields={"until": ["Must be in the future."]})
    if until > now + MAX_SNOOZE:
        raise Invalid("Some fields are not valid.",
                      fields={"until": ["At most a year from now."]})
    return until


def _set_state(alert: Alert, state: str, until: datetime | None) -> Alert:
    if alert.state == "resolved":
        raise Conflict("This alert is resolved already.", current=alert, code="alert_resolved")
    alert.state, alert.snoozed_until = state, until
    return alert


def act(session: Session, user: User, alert_id: uuid.UUID, action: str, data: dict,
        lang: str) -> Alert:
    """Acknowledge, snooze or dismiss one of my alerts."""
    alert = _mine(session, user, alert_id)
    now = utcnow()
    until = snooze_until(data, now) if action == "snooze" else None
    _set_state(alert, ACTIONS[action], until)
    session.flush()
    return localised(alert, lang, now)


def update_alert(session: Session, user: User, alert_id: uuid.UUID, data: dict,
                 version: int | None) -> Alert:
    """An outbox update {state, snoozed_until} made against `version` (sync)."""
    alert = _mine(session, user, alert_id)
    if alert.state == "resolved":
        return alert  # the situation cleared while the device was offline: nothing left to do
    if alert.version != version:
        raise Conflict("The record changed since you loaded it.", current=alert,
                       code="version_conflict")
    state = data.get("state", alert.state)
    until = None
    if state == "snoozed":
        now = utcnow()
        asked = data.get("snoozed_until")
        # A snooze that ended before the device came back online: snoozed until now (the
        # sweep reopens it), not a rejection the user can do nothing about.
        until = snooze_until({"until": max(asked, now + timedelta(seconds=1))
                              if asked is not None else None}, now)
    _set_state(alert, state, until)
    session.flush()
    return alert


def refuse_create(session: Session, user: User, data: dict) -> tuple[Alert, bool]:
    """Alerts are raised by the rules, never by a device."""
    raise Invalid("Alerts are raised by the server.", code="read_only")


def refuse_delete(session: Session, user: User, alert_id: uuid.UUID) -> None:
    """Alerts end by being resolved or dismissed, never deleted by a device."""
    raise Invalid("Dismiss an alert instead of deleting it.", code="read_only")

