"""/api/live: a WebSocket telling the app, as hints, that something changed for it.

Checked before the handshake: a logged-in session and an Origin that is the app's own (a page
elsewhere cannot ride the user's cookie). One thread per socket sends what the broker queued
for it; simple-websocket pings the client every LIVE_PING_SECONDS and drops it when silent.
"""

from __future__ import annotations

import contextlib
import queue
import socket
import struct
import time

from flask import Blueprint, current_app, request
from flask_login import current_user
from simple_websocket import ConnectionClosed

from app.api.security import NotLoggedIn, lifetime, session_token
from app.extensions import db, sock
from app.live.broker import Connection
from app.services import sessions
from app.services.errors import DomainError

bp = Blueprint("live", __name__)


class ForeignOrigin(DomainError):
    status = 403
    code = "forbidden_origin"


@bp.before_request
def _check_handshake() -> None:
    """Refuse anonymous callers and pages of other origins before upgrading."""
    if not current_user.is_authenticated:
        raise NotLoggedIn("Log in first.")
    origin = request.headers.get("Origin")
    allowed = {request.host_url.rstrip("/"), *current_app.config["LIVE_ORIGINS"]}
    if origin is not None and origin not in allowed:
        raise ForeignOrigin("This page may not open the live connection.")
    if request.headers.get("Upgrade", "").lower() == "websocket" and (
            not request.headers.get("Sec-WebSocket-Key")
            or request.headers.get("Sec-WebSocket-Version") != "13"):
        raise BadHandshake("Not a WebSocket handshake this server speaks (version 13).")


class BadHandshake(DomainError):
    status = 400
    code = "bad_handshake"


class UpgradeRequired(DomainError):
    status = 426
    code = "upgrade_required"


@bp.get("/live")
def live_over_http() -> None:
    """A plain GET: say how to open it (documented with the WebSocket route below)."""
    raise UpgradeRequired("Open /api/live as a WebSocket.")


def _documented(view):
    # In /api/openapi.json like any route: a GET answered 101 Switching Protocols.
    view.api_doc = {"out": None, "body": None, "args": None, "page": False, "status": 101,
                    "versioned": False, "public": False, "upload": None,
                    "summary": view.__doc__}
    return view


@sock.route("/live", bp=bp)
@_documented
def live(ws) -> None:
    """Open the live WebSocket: hints that something changed, notifications (JSON text)."""
    lang = request.args.get("lang")
    broker = current_app.extensions["live"]
    conn = Connection(current_user.id, lang if lang in ("fr", "en") else current_user.locale)
    # The socket lives for hours and never reads the database: give back the connection (and
    # on SQLite the read snapshot, which would keep the WAL from being checkpointed).
    db.session.close()
    user_id, token = current_user.id, session_token()
    _limit_send_time(ws)
    broker.register(conn)
    try:
        _send_loop(ws, conn, lambda: _still_active(user_id, token))
    finally:
        broker.unregister(conn)


SEND_TIMEOUT_SECONDS = 10
RECHECK_SECONDS = 60


def _limit_send_time(ws) -> None:
    # A client that stops reading fills its TCP window; a send then blocks. Bounded, it fails
    # and frees this thread instead of holding it for as long as the peer stays silent.
    with contextlib.suppress(AttributeError, OSError):
        ws.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO,
                           struct.pack("ll", SEND_TIMEOUT_SECONDS, 0))


def _still_active(user_id, token: str | None) -> bool:
    """Re-read the session: a socket closes once its session ended (logout, password change)
    or its account was deactivated."""
    try:
        found = token and sessions.find_session(db.session, token, lifetime())
        return bool(found) and found.user_id == user_id and found.user.is_active
    finally:
        db.session.close()


def _send_loop(ws, conn: Connection, still_active) -> None:
    next_check = time.monotonic() + RECHECK_SECONDS
    try:
        while ws.connected and not conn.dropped:  # lost hints: close, the client re-syncs
            with contextlib.suppress(queue.Empty):
                ws.send(conn.queue.get(timeout=1.0))
            while ws.receive(timeout=0) is not None:
                pass  # the client has nothing to say; pongs are handled below us
            if time.monotonic() > next_check:
                if not still_active():
                    break
                next_check = time.monotonic() + RECHECK_SECONDS
    except (ConnectionClosed, OSError):
        pass  # gone, or not reading: the socket is closed on the way out
