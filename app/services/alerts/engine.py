"""The sweep: keep one alert per (rule, record) in step with what the rules find now.

A bounded number of queries whatever the number of records: the rules' settings, the active
users, one query per rule, the alerts not yet resolved, then the writes of one flush (batched
by SQLAlchemy). New alerts are told to their user (inbox, live, push with remedy buttons);
alerts for nobody in particular (user_id None) are not pushed to anyone: every manager and
admin sees them in their list and gets a live message, but a phone buzzing for each unowned
record would teach them to ignore alerts.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import Session

from app.live.commit import on_commit
from app.models import (
    Alert,
    AlertRule,
    CompanyContact,
    Deal,
    NotificationPreference,
    User,
    utcnow,
)
from app.services.alerts import texts
from app.services.alerts.rules import RULES, Match, Scope
from app.services.notify import Notice, store_and_deliver

# A first sweep may open dozens of alerts for one person: the first few are pushed, the
# rest wait in the alert list (and its badge) rather than buzzing a phone dozens of times.
MAX_NOTICES_PER_USER = 3


@dataclass
class AlertNotice(Notice):
    """An `alert` notice: opens the alert (with its remedies); its push buttons act on it."""

    alert_id: str | None = None

    def message(self) -> dict:
        return {**super().message(), "alert_id": self.alert_id}


@dataclass
class Report:
    """What one sweep changed."""

    opened: list[Alert] = field(default_factory=list)
    reopened: list[Alert] = field(default_factory=list)
    moved: list[Alert] = field(default_factory=list)  # opened for a record's new owner
    updated: list[Alert] = field(default_factory=list)
    resolved: list[Alert] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name))
                for name in ("opened", "reopened", "moved", "updated", "resolved")}


def settings(session: Session) -> dict[str, tuple[bool, dict]]:
    """Each rule's (enabled, params): the admin's row over the defaults."""
    rows = {row.key: row for row in session.scalars(select(AlertRule))}
    out = {}
    for key, rule in RULES.items():
        row = rows.get(key)
        params = {**rule.defaults, **(row.params or {})} if row else rule.defaults
        out[key] = (row.enabled if row else True, params)
    return out


def sweep(session: Session, now: datetime | None = None, rules: list[str] | None = None,
          records: dict[str, set[uuid.UUID]] | None = None,
          opening: Collection[str] | None = None) -> Report:
    """Evaluate the rules (all, or `rules`) on all records (or `records`, by type) at `now`:
    open, move, reopen (snooze over) and resolve alerts; only the rules in `opening` (default:
    all) may open new ones. The caller commits."""
    now = now or utcnow()
    keys = list(rules or RULES)
    scope = _expand(session, records) if records is not None else None
    config = settings(session)
    users = dict(session.execute(select(User.id, User.role).where(
        User.active.is_(True), User.deleted_at.is_(None))).all())
    found: dict[tuple, Match] = {}
    for key in keys:
        enabled, params = config[key]
        if enabled and _concerned(RULES[key].record_types, scope):
            for match in RULES[key].find(session, now, params, scope):
                found[(key, match.record_type, match.record_id)] = match
    report = Report()
    for alert in _live(session, keys, scope):
        match = found.pop((alert.rule, alert.record_type, alert.record_id), None)
        if match is not None and alert.user_id != _assignee(match.user_id, users):
            # The record changed hands: this alert ends for its user, a new one opens for
            # the new one (so an alert's user never changes, and no device keeps a stale one).
            _resolve(alert, now, report)
            report.moved.append(_open(session, alert.rule, match, users, report))
        else:
            _refresh(alert, match, now, report)
    for (key, _, _), match in found.items():
        if opening is None or key in opening:
            _open(session, key, match, users, report)
    session.flush()
    _tell(session, report, users, now)
    return report


def _expand(session: Session, records: dict[str, set[uuid.UUID]]) -> Scope:
    """A company's rules read its contacts' and deals' exchanges: add their companies."""
    scope = {kind: set(ids) for kind, ids in records.items()}
    companies = scope.setdefault("company", set())
    if scope.get("contact"):
        companies.update(session.scalars(select(CompanyContact.company_id).where(
            CompanyContact.contact_id.in_(scope["contact"]))))
    if scope.get("deal"):
        companies.update(session.scalars(select(Deal.company_id).where(
            Deal.id.in_(scope["deal"]))))
    return scope


def _concerned(record_types: tuple[str, ...], scope: Scope) -> bool:
    return scope is None or any(scope.get(kind) for kind in record_types)


def _live(session: Session, keys: list[str], scope: Scope) -> list[Alert]:
    """The alerts not resolved of these rules (and records), in one query."""
    stmt = select(Alert).where(Alert.state != "resolved", Alert.rule.in_(keys))
    if scope is not None:
        stmt = stmt.where(or_(false(), *(and_(Alert.record_type == kind, Alert.record_id.in_(ids))
                                         for kind, ids in scope.items() if ids)))
    return list(session.scalars(stmt))


def _assignee(user_id: uuid.UUID | None, users: dict) -> uuid.UUID | None:
    """The rule's person if they can act on it, else nobody in particular (the managers)."""
    return user_id if user_id in users else None


def _open(session: Session, rule: str, match: Match, users: dict, report: Report) -> Alert:
    alert = Alert(id=uuid.uuid4(), rule=rule, record_type=match.record_type,
                  record_id=match.record_id, user_id=_assignee(match.user_id, users),
                  state="open", facts=match.facts)
    session.add(alert)
    report.opened.append(alert)
    return alert


def _resolve(alert: Alert, now: datetime, report: Report) -> None:
    alert.state, alert.resolved_at, alert.snoozed_until = "resolved", now, None
    report.resolved.append(alert)


def _refresh(alert: Alert, match: Match | None, now: datetime, report: Report) -> None:
    if match is None:  # the condition cleared, whatever the user did with the alert
        _resolve(alert, now, report)
        return
    if alert.state == "snoozed" and (alert.snoozed_until is None or alert.snoozed_until <= now):
        alert.state, alert.snoozed_until = "open", None
        report.reopened.append(alert)
    if alert.facts != match.facts:
        alert.facts = match.facts
        report.updated.append(alert)


def _tell(session: Session, report: Report, users: dict, now: datetime) -> None:
    """Notices for alerts (re)opened for someone; live messages for every change."""
    told: Counter = Counter()
    chosen = []
    for alert in [*report.opened, *report.reopened]:
        if alert.user_id is not None and told[alert.user_id] < MAX_NOTICES_PER_USER:
            told[alert.user_id] += 1
            chosen.append(alert)
    # The recipients and their settings in two queries; held here, since the session's
    # identity map only keeps what is referenced. No flush per notice: one at the end.
    held = [*session.scalars(select(User).where(User.id.in_(told))),
            *session.scalars(select(NotificationPreference).where(
                NotificationPreference.user_id.in_(told)))] if told else []
    with session.no_autoflush:
        for alert in chosen:
            notice = AlertNotice(user_id=alert.user_id, kind="alert",
                                 texts=texts.texts(alert.rule, alert.facts, now),
                                 record={"type": alert.record_type, "id": str(alert.record_id)},
                                 actions=texts.push_actions(alert.rule), alert_id=str(alert.id),
                                 link=f"/#/alerts/{alert.id}")
            store_and_deliver(session, notice, None, guard=alert)
    del held
    managers = [str(uid) for uid, role in users.items() if role in ("admin", "manager")]
    messages = []
    changed = [*report.opened, *report.reopened, *report.resolved, *report.updated]
    for alert in changed:
        messages.append((_audience(alert.user_id, managers), live_message(alert, now)))
    if messages:
        on_commit(session, _publish, messages)


def _audience(user_id: uuid.UUID | None, managers: list[str]) -> list[str]:
    return [str(user_id)] if user_id is not None else managers


def live_message(alert: Alert, now: datetime | None = None) -> dict:
    """The `alert` message of /api/live (texts resolved per socket by the broker)."""
    return {"type": "alert", "id": str(alert.id), "rule": alert.rule, "state": alert.state,
            "user_id": str(alert.user_id) if alert.user_id else None,
            "record": {"type": alert.record_type, "id": str(alert.record_id),
                       "title": (alert.facts or {}).get("title", "")},
            "texts": texts.texts(alert.rule, alert.facts or {}, now)}


def _publish(messages: list[tuple[list[str], dict]]) -> None:
    broker = current_app.extensions.get("live")
    if broker is None:
        return
    for users, message in messages:
        if users:
            broker.publish(message, users=users)
