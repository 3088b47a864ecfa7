"""The built-in alert rules: what each looks for, for whom, with which default thresholds.

Each rule finds every record currently matching in ONE set-based query (whatever the number of
records), optionally narrowed to some records (`scope`, for the re-evaluation after a write).
A private exchange counts as contact made only for an alert whose user wrote it or takes part
in it: an alert clearing must not tell anyone else that a private exchange happened. No rule
ever puts an exchange's subject or details in its facts.
"""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, case, false, func, literal, or_, select, true, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.functions import ReturnTypeFromArgs

from app.models import (
    STAGES,
    Company,
    CompanyContact,
    Contact,
    Deal,
    Exchange,
    Task,
    exchange_deals,
    exchange_participants,
)
from app.services.errors import Invalid

OPEN_STAGES = tuple(s for s in STAGES if s not in ("won", "lost"))
# The firm's calendar day decides when a close date has passed (the team works in France).
HOME = ZoneInfo("Europe/Paris")

Scope = dict[str, set[uuid.UUID]] | None  # record ids to look at, by type; None: all


@dataclass(frozen=True)
class Match:
    """A record a rule found, who should handle it (None: every manager), and what was seen."""

    record_type: str
    record_id: uuid.UUID
    user_id: uuid.UUID | None
    facts: dict


@dataclass(frozen=True)
class Rule:
    key: str
    record_types: tuple[str, ...]
    defaults: dict
    remedies: tuple[str, ...]
    find: Callable[[Session, datetime, dict, Scope], list[Match]]
    limits: dict[str, tuple[int, int]] = field(default_factory=dict)  # param -> (min, max)

    def check(self, params: object) -> dict:
        """Validate an admin's params; return them completed with the defaults."""
        if not isinstance(params, dict):
            raise Invalid("Some fields are not valid.", fields={"params": ["Not a valid mapping."]})
        errors: dict[str, list[str]] = {}
        out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in self.defaults.items()}
        for name, value in params.items():
            if name not in self.defaults:
                errors[f"params.{name}"] = ["Unknown field."]
            elif isinstance(self.defaults[name], dict):
                out[name] = _check_map(value, self.defaults[name], self.limits[name],
                                       f"params.{name}", errors)
            else:
                out[name] = _check_int(value, self.limits[name], f"params.{name}", errors)
        if errors:
            raise Invalid("Some fields are not valid.", fields=errors)
        return out


def _check_int(value: object, limits: tuple[int, int], name: str, errors: dict) -> object:
    low, high = limits
    if isinstance(value, bool) or not isinstance(value, int):
        errors[name] = ["An integer is required."]
    elif not low <= value <= high:
        errors[name] = [f"Must be greater than or equal to {low} and less than or equal to "
                        f"{high}."]
    return value


def _check_map(value: object, defaults: dict, limits: tuple[int, int], name: str,
               errors: dict) -> dict:
    if not isinstance(value, dict):
        errors[name] = ["Not a valid mapping."]
        return dict(defaults)
    out = dict(defaults)
    for key, item in value.items():
        if key not in defaults:
            errors[f"{name}.{key}"] = ["Unknown field."]
        else:
            out[key] = _check_int(item, limits, f"{name}.{key}", errors)
    return out


# -- helpers -----------------------------------------------------------------------------------

def iso(moment: datetime | date) -> str:
    """ISO 8601, UTC datetimes ending in Z."""
    return moment.isoformat().replace("+00:00", "Z")


def months_before(moment: datetime, months: int) -> datetime:
    """The same time `months` calendar months earlier (the 31st becomes the month's last day)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


class greatest(ReturnTypeFromArgs):
    """GREATEST(a, b, ...); SQLite spells it max(a, b, ...). Arguments must not be NULL."""

    inherit_cache = True


@compiles(greatest, "sqlite")
def _greatest_sqlite(element, compiler, **kw) -> str:
    return f"max({compiler.process(element.clauses, **kw)})"


def _later(first, second):
    """The later of two timestamps, the second possibly NULL (GREATEST is not portable)."""
    return case((second.is_(None), first), (second > first, second), else_=first)


def _in_scope(column, scope: Scope, record_type: str):
    if scope is None:
        return true()
    ids = scope.get(record_type) or ()
    return column.in_(ids) if ids else false()


def _matches(session: Session, stmt: Select, record_type: str,
             facts: Callable[[object], dict]) -> list[Match]:
    return [Match(record_type, row.id, row.user_id, facts(row)) for row in session.execute(stmt)]


def _known_to(user_id):
    """The exchange is public, or `user_id` (the alert's user) wrote it or takes part in it."""
    return or_(Exchange.private.is_(False), Exchange.created_by_id == user_id,
               select(exchange_participants.c.user_id).where(
                   exchange_participants.c.exchange_id == Exchange.id,
                   exchange_participants.c.user_id == user_id).exists())


def _deal_touches(scope: Scope):
    """Per deal, the start of its latest done exchange that its owner may know of."""
    owned = aliased(Deal)
    return (select(exchange_deals.c.deal_id, func.max(Exchange.starts_at).label("at"))
            .join(Exchange, Exchange.id == exchange_deals.c.exchange_id)
            .join(owned, owned.id == exchange_deals.c.deal_id)
            .where(Exchange.state == "done", Exchange.deleted_at.is_(None),
                   _known_to(owned.owner_id),
                   _in_scope(exchange_deals.c.deal_id, scope, "deal"))
            .group_by(exchange_deals.c.deal_id).subquery())


def _company_exchanges(column, *, done_only: bool, since: datetime | None = None) -> list:
    """`column` over the exchanges of the outer query's company (correlated): on the company,
    on one of its contacts, on one of its deals (each path walks its own index)."""
    live = [Exchange.deleted_at.is_(None), _known_to(Company.owner_id)]
    if done_only:
        live.append(Exchange.state == "done")
    if since is not None:
        live.append(Exchange.starts_at >= since)
    return [
        select(column).where(Exchange.company_id == Company.id, *live),
        select(column).select_from(CompanyContact)
        .join(Exchange, Exchange.contact_id == CompanyContact.contact_id)
        .where(CompanyContact.company_id == Company.id, *live),
        select(column).select_from(Deal)
        .join(exchange_deals, exchange_deals.c.deal_id == Deal.id)
        .join(Exchange, Exchange.id == exchange_deals.c.exchange_id)
        .where(Deal.company_id == Company.id, *live),
    ]


def _none_of(paths: list):
    return and_(*(~path.exists() for path in paths))


# -- the rules ---------------------------------------------------------------------------------

def _deal_neglected(session: Session, now: datetime, params: dict, scope: Scope) -> list[Match]:
    touches = _deal_touches(scope)
    since = _later(Deal.created_at, touches.c.at)
    late = [and_(Deal.stage == stage, since < now - timedelta(days=days))
            for stage, days in params["days"].items()]
    stmt = (select(Deal.id, Deal.owner_id.label("user_id"), Deal.name, Deal.stage,
                   since.label("since"))
            .outerjoin(touches, touches.c.deal_id == Deal.id)
            .where(Deal.deleted_at.is_(None), _in_scope(Deal.id, scope, "deal"), or_(*late)))
    return _matches(session, stmt, "deal", lambda r: {
        "title": r.name, "since": iso(r.since), "stage": r.stage,
        "limit_days": params["days"][r.stage]})


def _deal_overdue(session: Session, now: datetime, params: dict, scope: Scope) -> list[Match]:
    today = now.astimezone(HOME).date()
    stmt = select(Deal.id, Deal.owner_id.label("user_id"), Deal.name,
                  Deal.expected_close_date).where(
        Deal.deleted_at.is_(None), Deal.stage.in_(OPEN_STAGES),
        Deal.expected_close_date < today, _in_scope(Deal.id, scope, "deal"))
    return _matches(session, stmt, "deal", lambda r: {
        "title": r.name, "date": iso(r.expected_close_date)})


def _task_overdue(session: Session, now: datetime, params: dict, scope: Scope) -> list[Match]:
    stmt = select(Task.id, Task.assignee_id.label("user_id"), Task.title, Task.due_at).where(
        Task.deleted_at.is_(None), Task.state == "open", Task.due_at < now,
        _in_scope(Task.id, scope, "task"))
    return _matches(session, stmt, "task", lambda r: {"title": r.title, "due_at": iso(r.due_at)})


def _client_neglected(session: Session, now: datetime, params: dict,
                      scope: Scope) -> list[Match]:
    cutoff = months_before(now, params["months"])
    # The latest contact is computed for the companies found only (the select list).
    latest = [func.coalesce(path.scalar_subquery(), Company.created_at)
              for path in _company_exchanges(func.max(Exchange.starts_at), done_only=True)]
    since = greatest(Company.created_at, *latest)
    stmt = select(Company.id, Company.owner_id.label("user_id"), Company.name,
                  since.label("since")).where(
        Company.deleted_at.is_(None), Company.status == "client",
        _in_scope(Company.id, scope, "company"), Company.created_at < cutoff,
        _none_of(_company_exchanges(Exchange.id, done_only=True, since=cutoff)))
    return _matches(session, stmt, "company", lambda r: {
        "title": r.name, "since": iso(r.since), "limit_months": params["months"]})


def _prospect_untouched(session: Session, now: datetime, params: dict,
                        scope: Scope) -> list[Match]:
    stmt = select(Company.id, Company.owner_id.label("user_id"), Company.name,
                  Company.created_at).where(
        Company.deleted_at.is_(None), Company.status == "prospect",
        _in_scope(Company.id, scope, "company"),
        Company.created_at < now - timedelta(hours=params["hours"]),
        _none_of(_company_exchanges(Exchange.id, done_only=False)))
    return _matches(session, stmt, "company", lambda r: {
        "title": r.name, "since": iso(r.created_at), "limit_hours": params["hours"]})


def _record_unowned(session: Session, now: datetime, params: dict, scope: Scope) -> list[Match]:
    contact_name = func.trim(func.coalesce(Contact.first_name, "") + " " + Contact.last_name)
    companies = select(literal("company").label("type"), Company.id, Company.name.label("title")
                       ).where(Company.deleted_at.is_(None), Company.owner_id.is_(None),
                               _in_scope(Company.id, scope, "company"))
    contacts = select(literal("contact"), Contact.id, contact_name).where(
        Contact.deleted_at.is_(None), Contact.owner_id.is_(None),
        _in_scope(Contact.id, scope, "contact"))
    return [Match(row.type, row.id, None, {"title": row.title})
            for row in session.execute(union_all(companies, contacts))]


RULES: dict[str, Rule] = {rule.key: rule for rule in (
    Rule("deal_neglected", ("deal",), {"days": dict.fromkeys(OPEN_STAGES, 14)},
         ("log_call", "plan_visit", "snooze"), _deal_neglected, {"days": (1, 365)}),
    Rule("deal_overdue", ("deal",), {}, ("log_call", "plan_visit", "snooze"), _deal_overdue),
    Rule("task_overdue", ("task",), {}, ("open_task", "snooze"), _task_overdue),
    Rule("client_neglected", ("company",), {"months": 3}, ("log_call", "plan_visit", "snooze"),
         _client_neglected, {"months": (1, 36)}),
    Rule("record_unowned", ("company", "contact"), {}, ("reassign",), _record_unowned),
    Rule("prospect_untouched", ("company",), {"hours": 48}, ("log_call", "plan_visit", "reassign"),
         _prospect_untouched, {"hours": (1, 24 * 90)}),
)}
