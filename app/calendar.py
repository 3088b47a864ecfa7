"""/calendar/<token>.ics: a user's appointments for calendar apps, behind a secret URL.

Outside /api: calendar apps send no session cookie and no CSRF token, and want text, not the
API's JSON errors. The token is the only key; an unknown or rotated one is a plain 404.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from app.extensions import db
from app.services import calendar_feed

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


def base_url() -> str:
    """The app's public address for links (TOURNEE_BASE_URL, else this request's host)."""
    return (current_app.config.get("BASE_URL") or request.host_url).rstrip("/")


@bp.get("/<token>.ics")
def feed(token: str) -> Response:
    """The user's appointments from 30 days back to a year ahead, as iCalendar."""
    try:
        user = calendar_feed.owner_of(db.session, token)
        if user is None:
            return Response("Not found\n", status=404, content_type="text/plain; charset=utf-8")
        body = calendar_feed.render(db.session, user, base_url())
    finally:
        db.session.rollback()  # read only: end the transaction before sending
    return Response(body, content_type="text/calendar; charset=utf-8", headers={
        "Cache-Control": "private, max-age=300",
        "Content-Disposition": 'inline; filename="tournee.ics"'})
