"""A user's appointments as an iCalendar feed behind a secret URL (no session needed)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import CalendarFeed, Exchange, ExchangeKind, User, utcnow
from app.services import agenda, ical
from app.services.notify import ROUTES

PAST = timedelta(days=30)
AHEAD = timedelta(days=365)
DEFAULT_LENGTH = timedelta(hours=1)
MAX_EVENTS = 5000
STATUS = {"planned": "CONFIRMED", "done": "CONFIRMED", "cancelled": "CANCELLED"}
LABELS = {"fr": {"contact": "Contact", "deals": "Affaires", "participants": "Participants",
                 "open": "Ouvrir dans Tournée", "calendar": "Tournée — rendez-vous"},
          "en": {"contact": "Contact", "deals": "Deals", "participants": "Participants",
                 "open": "Open in Tournée", "calendar": "Tournée — appointments"}}


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def find_feed(session: Session, user: User) -> CalendarFeed | None:
    """The user's feed, if they ever asked for one."""
    return session.get(CalendarFeed, user.id)


def feed_of(session: Session, user: User) -> CalendarFeed:
    """The user's feed, created on first ask."""
    feed = find_feed(session, user)
    if feed is None:
        feed = CalendarFeed(user_id=user.id, token=_new_token())
        session.add(feed)
        session.flush()
    return feed


def rotate(session: Session, user: User) -> CalendarFeed:
    """Give the feed a new secret: the old URL stops working."""
    feed = feed_of(session, user)
    feed.token = _new_token()
    feed.created_at = utcnow()
    session.flush()
    return feed


def owner_of(session: Session, token: str) -> User | None:
    """The active user whose feed this token opens, or None."""
    if not token or len(token) > 64 or not token.isascii() or not token.isprintable():
        return None  # not one we made: unprintable text never reaches the database
    feed = session.scalar(select(CalendarFeed).where(CalendarFeed.token == token))
    if feed is None:
        return None
    user = session.get(User, feed.user_id)
    return user if user is not None and user.is_active else None


def events(session: Session, user: User, now: datetime) -> list[Exchange]:
    """The user's appointments and logged exchanges from 30 days back to a year ahead."""
    stmt = agenda.mine(user, ("planned", "done", "cancelled")).where(
        Exchange.starts_at >= now - PAST, Exchange.starts_at < now + AHEAD)
    return list(session.scalars(stmt.order_by(Exchange.starts_at, Exchange.id)
                                .limit(MAX_EVENTS)).unique())


def record_link(exchange: Exchange) -> str:
    """The app page of what the exchange is about (deal, contact, company), else the agenda."""
    if exchange.deals:
        return f"/#/{ROUTES['deal']}/{exchange.deals[0].id}"
    for entity, record_id in (("contact", exchange.contact_id),
                              ("company", exchange.company_id)):
        if record_id is not None:
            return f"/#/{ROUTES[entity]}/{record_id}"
    return "/#/agenda"


def render(session: Session, user: User, base_url: str, now: datetime | None = None) -> str:
    """The feed's iCalendar text, in the user's language."""
    now = now or utcnow()
    lang = user.locale if user.locale in LABELS else "fr"
    kinds = {k.key: getattr(k, f"name_{lang}") for k in session.scalars(select(ExchangeKind))}
    head = [("VERSION", "2.0"), ("PRODID", "-//Tournée//Agenda//FR"),
            ("CALSCALE", "GREGORIAN"), ("METHOD", "PUBLISH"),
            ("X-WR-CALNAME", ical.escape(f"{LABELS[lang]['calendar']} · {user.name}")),
            ("REFRESH-INTERVAL;VALUE=DURATION", "PT15M"), ("X-PUBLISHED-TTL", "PT15M")]
    return ical.calendar(head, (_event(e, kinds, lang, base_url, now)
                                for e in events(session, user, now)))


def summary(exchange: Exchange, kind_name: str) -> str:
    """"Visite — Présentation de l'offre — Dupont SA"."""
    parts = [kind_name, exchange.subject, exchange.company.name if exchange.company else None]
    return " — ".join(p.strip() for p in parts if p and p.strip())


def _description(exchange: Exchange, lang: str, base_url: str) -> str:
    labels, colon = LABELS[lang], " : " if lang == "fr" else ": "
    lines = [exchange.details.strip()] if exchange.details and exchange.details.strip() else []
    about = [("contact", exchange.contact.full_name if exchange.contact else None),
             ("deals", ", ".join(d.name for d in exchange.deals)),
             ("participants", ", ".join(u.name for u in exchange.participants)),
             ("open", f"{base_url}{record_link(exchange)}")]
    lines += [f"{labels[label]}{colon}{value}" for label, value in about if value]
    return "\n".join(lines)


def _location(exchange: Exchange) -> str | None:
    company = exchange.company
    if company is None:
        return None
    town = " ".join(p for p in (company.postal_code, company.city) if p)
    parts = [p for p in (company.street, town, company.country) if p]
    return ", ".join(parts) or None


def _event(exchange: Exchange, kinds: dict, lang: str, base_url: str,
           now: datetime) -> list[tuple[str, str]]:
    ends = exchange.ends_at or exchange.starts_at + DEFAULT_LENGTH
    event = [("UID", f"{exchange.id}@tournee"), ("DTSTAMP", ical.utc(now)),
             ("DTSTART", ical.utc(exchange.starts_at)), ("DTEND", ical.utc(ends)),
             ("SUMMARY", ical.escape(summary(exchange, kinds.get(exchange.kind, exchange.kind)))),
             ("DESCRIPTION", ical.escape(_description(exchange, lang, base_url))),
             ("STATUS", STATUS[exchange.state]), ("SEQUENCE", str(exchange.version)),
             ("CREATED", ical.utc(exchange.created_at)),
             ("LAST-MODIFIED", ical.utc(exchange.updated_at))]
    location = _location(exchange)
    if location:
        event.append(("LOCATION", ical.escape(location)))
    if exchange.location is not None:
        event.append(("GEO", f"{exchange.location['lat']:.6f};{exchange.location['lng']:.6f}"))
    if base_url:
        event.append(("URL", f"{base_url}{record_link(exchange)}"))
    return event
