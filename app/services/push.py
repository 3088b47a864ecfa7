"""Web push: VAPID keys, devices' subscriptions, preferences, and one push to one device."""

from __future__ import annotations

import base64
import json
import logging
import threading
import time as clock
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import requests
from cryptography.hazmat.primitives import serialization
from flask import Flask
from py_vapid import Vapid02
from pywebpush import WebPusher
from sqlalchemy import null, select
from sqlalchemy.orm import Session

from app.config import write_once
from app.live.broker import texts_in
from app.models import NotificationPreference, PushSubscription, User, utcnow
from app.services.errors import NotFound

log = logging.getLogger("tournee.push")

# What a user may switch off, and whether it is pushed to someone who never chose.
KINDS = {"exchange_logged": True, "deal_stage_changed": True, "owner_changed": True,
         "record_created": True, "deal_won": True, "deal_lost": True, "mentioned": True,
         "exchange_shared": True, "task_assigned": True, "task_done": True, "alert": True,
         "appointment_reminder": True}
# The other channels' defaults: every kind lands in the inbox; only what is addressed to the
# user in person is mailed unless they choose otherwise.
CHANNEL_DEFAULTS = {
    "inapp": dict.fromkeys(KINDS, True),
    "email": {kind: kind in ("task_assigned", "exchange_shared", "mentioned") for kind in KINDS},
}
MAX_PAYLOAD = 3000  # bytes of JSON; push services take 4 KB once encrypted
PUSH_ONLY = frozenset({"ttl", "urgency", "topic"})  # headers of the push, not its payload


def b64url(raw: bytes) -> str:
    """Base64url without padding, as the Push API writes keys."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Vapid:
    """The server's VAPID identity; signed tokens are reused per push service for an hour."""

    TOKEN_LIFETIME = 12 * 3600

    def __init__(self, key: Vapid02, subject: str) -> None:
        self.key = key
        self.subject = subject
        raw = key.public_key.public_bytes(serialization.Encoding.X962,
                                          serialization.PublicFormat.UncompressedPoint)
        self.public_key = b64url(raw)
        self._tokens: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def authorization(self, endpoint: str) -> str:
        """The Authorization header for a push service (aud = the endpoint's origin)."""
        parts = requests.utils.urlparse(endpoint)
        aud = f"{parts.scheme}://{parts.netloc}"
        now = clock.time()
        with self._lock:
            cached = self._tokens.get(aud)
            if cached and cached[0] - now > self.TOKEN_LIFETIME - 3600:
                return cached[1]
            exp = int(now) + self.TOKEN_LIFETIME
            header = self.key.sign({"aud": aud, "exp": exp, "sub": self.subject})
            self._tokens[aud] = (exp, header["Authorization"])
            return header["Authorization"]


def load_vapid(app: Flask) -> Vapid:
    """The key from TOURNEE_VAPID_PRIVATE_KEY, else instance/vapid_private.pem (made once)."""
    configured = app.config.get("VAPID_PRIVATE_KEY")
    if configured:
        configured = configured.strip()
        key = (Vapid02.from_pem(configured.encode()) if configured.startswith("-----")
               else Vapid02.from_string(configured))
    else:
        path = Path(app.instance_path) / "vapid_private.pem"
        key = Vapid02.from_pem(path.read_bytes() if path.exists()
                               else write_once(path, _new_private_pem()))
    return Vapid(key, app.config["VAPID_SUBJECT"])


def _new_private_pem() -> bytes:
    key = Vapid02()
    key.generate_keys()
    return key.private_pem()


# -- subscriptions -----------------------------------------------------------------------------

def subscribe(session: Session, user: User, data: dict, lang: str) -> tuple[PushSubscription, bool]:
    """Record this device's endpoint for `user`; a known endpoint moves to the new user."""
    sub = session.scalar(select(PushSubscription).where(
        PushSubscription.endpoint == data["endpoint"]))
    created = sub is None
    if created:
        sub = PushSubscription(id=uuid.uuid4(), endpoint=data["endpoint"])
        session.add(sub)
    # The browser's keys and owner win: a device signed in as someone else is theirs now.
    if sub.user_id != user.id:
        sub.label = None  # "Bruno's phone" is not a name for Alice's device
    sub.user_id = user.id
    sub.p256dh = data["keys"]["p256dh"]
    sub.auth = data["keys"]["auth"]
    sub.label = data.get("label") or sub.label
    sub.lang = lang
    sub.failures = 0
    session.flush()
    return sub, created


def devices(session: Session, user: User) -> list[PushSubscription]:
    """This user's subscribed devices, newest first."""
    return list(session.scalars(select(PushSubscription).where(
        PushSubscription.user_id == user.id).order_by(PushSubscription.created_at.desc())))


def unsubscribe(session: Session, user: User, subscription_id: uuid.UUID) -> None:
    """Forget one of this user's devices."""
    sub = session.get(PushSubscription, subscription_id)
    if sub is None or sub.user_id != user.id:
        raise NotFound("No such device.")
    session.delete(sub)
    session.flush()


def unsubscribe_endpoint(session: Session, user: User, endpoint: str) -> None:
    """Forget this user's device with this endpoint."""
    sub = session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if sub is None or sub.user_id != user.id:
        raise NotFound("No such device.")
    session.delete(sub)
    session.flush()


# -- preferences -------------------------------------------------------------------------------

def preferences(session: Session, user: User) -> NotificationPreference:
    """This user's notification preferences (defaults when never saved)."""
    prefs = session.get(NotificationPreference, user.id)
    return prefs or NotificationPreference(user_id=user.id, kinds={}, timezone=user.timezone,
                                           channels={}, auto_follow=[], reminder_minutes=15)


def enabled_kinds(prefs: NotificationPreference) -> dict[str, bool]:
    """Each kind's push switch: the user's choice, else the kind's default."""
    return {kind: (prefs.kinds or {}).get(kind, default) for kind, default in KINDS.items()}


def channel_switches(prefs: NotificationPreference, channel: str) -> dict[str, bool]:
    """Each kind's switch on the "email" or "inapp" channel: the user's choice, else default."""
    chosen = (prefs.channels or {}).get(channel) or {}
    return {kind: chosen.get(kind, default)
            for kind, default in CHANNEL_DEFAULTS[channel].items()}


def wants(prefs: NotificationPreference, channel: str, kind: str) -> bool:
    """Whether this kind goes out on this channel ("push", "email", "inapp") for this user.
    A kind no switch knows (a test push) goes out."""
    switches = enabled_kinds(prefs) if channel == "push" else channel_switches(prefs, channel)
    return switches.get(kind, True)


def save_preferences(session: Session, user: User, data: dict) -> NotificationPreference:
    """Replace this user's push preferences; the other settings only when given."""
    prefs = session.get(NotificationPreference, user.id)
    if prefs is None:
        prefs = NotificationPreference(user_id=user.id, channels={}, auto_follow=[],
                                       reminder_minutes=15)
        session.add(prefs)
    prefs.kinds = {**KINDS, **data["kinds"]}  # the schema admits known kinds only
    quiet = data.get("quiet_hours")
    prefs.quiet_start, prefs.quiet_end = (quiet["start"], quiet["end"]) if quiet else (None, None)
    prefs.timezone = data["timezone"]
    channels = dict(prefs.channels or {})
    for channel in CHANNEL_DEFAULTS:
        if channel in data:  # a new dict: JSON columns notice replacement, not mutation
            channels[channel] = {**CHANNEL_DEFAULTS[channel], **data[channel]}
    prefs.channels = channels
    if "auto_follow" in data:
        prefs.auto_follow = list(dict.fromkeys(data["auto_follow"]))
    if "reminder_minutes" in data:  # null(): a plain None on a new row gets the default, 15
        minutes = data["reminder_minutes"]
        prefs.reminder_minutes = null() if minutes is None else minutes
    session.flush()
    return preferences(session, user)


def quiet_until(prefs: NotificationPreference, now: datetime) -> datetime | None:
    """When this user's quiet hours end, if `now` falls inside them (UTC), else None."""
    start, end = prefs.quiet_start, prefs.quiet_end
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(ZoneInfo(prefs.timezone))
    at = local.time().replace(tzinfo=None)
    inside = start <= at < end if start < end else (at >= start or at < end)
    if not inside:
        return None
    end_day = local.date() if at < end else local.date() + timedelta(days=1)
    local_end = datetime.combine(end_day, end, tzinfo=local.tzinfo).astimezone(UTC)
    # The night clocks go back, an end time can come twice: take the later one, never the past.
    if local_end <= now:
        local_end = datetime.combine(end_day, end, tzinfo=local.tzinfo).replace(
            fold=1).astimezone(UTC)
    return local_end if local_end > now else None


def parse_hhmm(value: str) -> time:
    """'07:30' -> time(7, 30)."""
    return datetime.strptime(value, "%H:%M").time()


# -- sending -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sent:
    """What one attempt came to: delivered, gone (pruned), retry (after seconds) or refused."""

    outcome: str
    status: int | None = None
    retry_after: float | None = None


_sessions = threading.local()


def _http() -> requests.Session:
    # One keep-alive HTTP session per worker thread: push services are few, pushes many.
    if not hasattr(_sessions, "value"):
        _sessions.value = requests.Session()
    return _sessions.value


def payload_for(sub: PushSubscription, message: dict) -> bytes:
    """The JSON a device decrypts: the message in the device's language."""
    body = {k: v for k, v in message.items() if k not in PUSH_ONLY | {"texts"}}
    body.update(texts_in(message.get("texts") or {}, sub.lang))
    if body.get("actions"):  # button titles {fr, en} -> the device's language
        body["actions"] = [{**a, "title": texts_in(a["title"], sub.lang)}
                           if isinstance(a.get("title"), dict) else a for a in body["actions"]]
    data = json.dumps(body, ensure_ascii=False).encode()
    if len(data) > MAX_PAYLOAD:  # a long subject: the app shows the rest when opened
        body["body"] = body.get("body", "")[:200]
        data = json.dumps(body, ensure_ascii=False).encode()
    return data


def send(vapid: Vapid, sub: PushSubscription, message: dict) -> Sent:
    """Encrypt and POST one message to one device's push service."""
    headers = {"Authorization": vapid.authorization(sub.endpoint),
               "Urgency": message.get("urgency", "normal")}
    if message.get("topic"):
        headers["Topic"] = message["topic"]
    try:
        response = WebPusher(sub.info(), requests_session=_http()).send(
            payload_for(sub, message), headers, ttl=int(message.get("ttl", 3600)),
            content_encoding="aes128gcm", timeout=10)
    except requests.RequestException as error:
        log.warning("push to %s: %s", _origin(sub.endpoint), error)
        return Sent("retry")
    except ValueError as error:  # keys no browser would give: never deliverable
        log.warning("push subscription %s cannot be encrypted for: %s", sub.id, error)
        return Sent("gone")
    status = response.status_code
    if status <= 202:
        return Sent("delivered", status)
    if status in (404, 410):
        return Sent("gone", status)
    if status == 429 or status >= 500:
        return Sent("retry", status, _retry_after(response.headers.get("Retry-After")))
    log.warning("push to %s refused: %s %s", _origin(sub.endpoint), status, response.text[:200])
    return Sent("refused", status)


def _origin(endpoint: str) -> str:
    parts = requests.utils.urlparse(endpoint)
    return f"{parts.scheme}://{parts.netloc}"  # never log the whole endpoint: it is a secret


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return min(float(value), 3600.0)
    return None


def record_outcome(session: Session, sub: PushSubscription, sent: Sent) -> None:
    """Prune a device the push service forgot; note success or failure."""
    if sent.outcome == "gone":
        log.info("push subscription %s gone (%s): pruned", sub.id, sent.status)
        session.delete(sub)
    elif sent.outcome == "delivered":
        sub.last_used_at = utcnow()
        sub.failures = 0
    else:
        sub.failures += 1


def test_message() -> dict:
    """The message of the settings screen's test button."""
    texts = {"fr": {"title": "Tournée",
                    "body": "Les notifications fonctionnent sur cet appareil."},
             "en": {"title": "Tournée", "body": "Notifications work on this device."}}
    return {"type": "notification", "kind": "test", "texts": texts,
            "url": "/#/settings/notifications", "record": None, "tag": "test",
            "ttl": 3600, "urgency": "normal",
            "at": utcnow().isoformat().replace("+00:00", "Z")}
