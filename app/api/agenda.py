"""/api/agenda and /api/calendar-feed: my appointments, in the app and in calendar apps."""

from __future__ import annotations

from flask import Blueprint, url_for
from flask_login import current_user

from app.api.common import endpoint
from app.calendar import base_url
from app.extensions import db
from app.models import CalendarFeed
from app.models.events import writing
from app.schemas.agenda import agenda_args_schema, calendar_feed_schema
from app.schemas.exchange import exchange_schema
from app.services import agenda, calendar_feed
from app.services.pagination import Page

bp = Blueprint("agenda", __name__)


@bp.get("/agenda")
@endpoint(args=agenda_args_schema, out=exchange_schema, page=True)
def my_agenda(args: dict) -> Page:
    """My planned exchanges between `from` and `to` (default: today and the next 6 days)."""
    return agenda.agenda(db.session, current_user, args)


def _url(feed: CalendarFeed) -> dict:
    path = url_for("calendar.feed", token=feed.token)
    return {"url": f"{base_url()}{path}"}


@bp.get("/calendar-feed")
@endpoint(out=calendar_feed_schema)
def get_calendar_feed() -> dict:
    """The secret address of my calendar feed (made on first ask)."""
    feed = calendar_feed.find_feed(db.session, current_user)
    if feed is None:  # a GET that writes once: take the write lock first
        db.session.rollback()
        with writing():
            feed = calendar_feed.feed_of(db.session, current_user)
            db.session.commit()
    return _url(feed)


@bp.post("/calendar-feed/rotate")
@endpoint(out=calendar_feed_schema)
def rotate_calendar_feed() -> dict:
    """Give my calendar feed a new address; the old one stops working."""
    return _url(calendar_feed.rotate(db.session, current_user))
