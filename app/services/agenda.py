"""Appointments: the planned exchanges a user wrote or takes part in, by start."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import Select, or_
from sqlalchemy.orm import Session

from app.models import Exchange, User, utcnow
from app.services import exchanges
from app.services.errors import Invalid
from app.services.pagination import Page, paginate
from app.services.users import user_zone

DEFAULT_DAYS = 7
MAX_SPAN = timedelta(days=62)


def mine(user: User, states: tuple[str, ...] = ("planned",)) -> Select:
    """Live exchanges in these states that the user wrote or takes part in (and may see)."""
    return exchanges.visible(user).where(
        Exchange.state.in_(states),
        or_(Exchange.created_by_id == user.id, exchanges.is_participant(user.id)))


def window(user: User, start: datetime | None, end: datetime | None,
           now: datetime | None = None) -> tuple[datetime, datetime]:
    """The period asked for; by default today 00:00 in the user's zone and the next 6 days."""
    if start is None:
        local = (now or utcnow()).astimezone(user_zone(user))
        start = datetime.combine(local.date(), time(), tzinfo=local.tzinfo)
    if end is None:
        end = start + timedelta(days=DEFAULT_DAYS)
    if end <= start:
        raise Invalid("The period ends before it starts.",
                      fields={"to": ["Must be after from."]})
    if end - start > MAX_SPAN:
        raise Invalid("The period is too long.", fields={"to": ["At most 62 days after from."]})
    return start, end


def agenda(session: Session, user: User, args: dict, now: datetime | None = None) -> Page:
    """My appointments between `from` and `to`, by start time."""
    start, end = window(user, args.get("starts_from"), args.get("starts_to"), now)
    stmt = mine(user).where(Exchange.starts_at >= start, Exchange.starts_at < end)
    return paginate(session, stmt, [Exchange.starts_at, Exchange.id], limit=args["limit"],
                    cursor=args["cursor"])
