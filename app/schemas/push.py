"""Web push schemas: a device's subscription, push preferences."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from marshmallow import ValidationError, fields, validate, validates, validates_schema

from app.models import FOLLOWABLE
from app.schemas.common import (
    JSONBoolean,
    JSONFloat,
    JSONInteger,
    StrictSchema,
    UTCDateTime,
    text,
)
from app.services.push import KINDS, channel_switches, enabled_kinds, parse_hhmm


def _b64url_bytes(value: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValidationError("Not valid base64url.") from exc


class Base64Key(fields.String):
    """A base64url key of an exact decoded length (and prefix byte)."""

    def __init__(self, length: int, prefix: int | None = None, **kwargs) -> None:
        super().__init__(required=True, validate=validate.Length(max=200), **kwargs)
        self.length, self.prefix = length, prefix

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        raw = _b64url_bytes(super()._deserialize(value, attr, data, **kwargs))
        if len(raw) != self.length or (self.prefix is not None and raw[0] != self.prefix):
            raise ValidationError("Not a key the Push API gives.")
        return value


class PublicPointKey(Base64Key):
    """The browser's ECDH public key: a point on P-256, or no push could be encrypted for it."""

    def __init__(self, **kwargs) -> None:
        super().__init__(65, prefix=0x04, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        value = super()._deserialize(value, attr, data, **kwargs)
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _b64url_bytes(value))
        except ValueError as exc:
            raise ValidationError("Not a key the Push API gives.") from exc
        return value


class KeysSchema(StrictSchema):
    p256dh = PublicPointKey()  # an uncompressed P-256 point
    auth = Base64Key(16)


class SubscriptionSchema(StrictSchema):
    id = fields.UUID(dump_only=True)
    endpoint = fields.String(required=True, load_only=True,
                             validate=validate.Length(min=1, max=1024))
    keys = fields.Nested(KeysSchema, required=True, load_only=True)
    # PushSubscription.toJSON() has it too; browsers send null, and renew by resubscribing.
    expirationTime = JSONFloat(load_only=True, allow_none=True)
    label = text(120)
    created_at = UTCDateTime(dump_only=True)
    last_used_at = UTCDateTime(dump_only=True, allow_none=True)
    endpoint_origin = fields.Method("origin", dump_only=True)

    def origin(self, sub) -> str:
        parts = urlsplit(sub.endpoint)
        return f"{parts.scheme}://{parts.netloc}"

    @validates("endpoint")
    def _push_service_url(self, value: str, **_kwargs) -> None:
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018  (raises on a port that is not a number)
        except ValueError as exc:
            raise ValidationError("Must be the https URL the Push API gives.") from exc
        allowed = {"https", "http"} if current_app.config["PUSH_ALLOW_HTTP"] else {"https"}
        if parts.scheme not in allowed or not parts.hostname or parts.username or parts.password:
            raise ValidationError("Must be the https URL the Push API gives.")
        hosts = current_app.config["PUSH_SERVICE_HOSTS"]
        host = parts.hostname.lower()
        if hosts and not any(host == h or host.endswith(f".{h}") for h in hosts):
            raise ValidationError("Not a known push service.")


class EndpointSchema(StrictSchema):
    endpoint = fields.String(required=True, validate=validate.Length(min=1, max=1024))


class QuietHoursSchema(StrictSchema):
    start = fields.String(required=True, validate=validate.Regexp(
        r"^([01]\d|2[0-3]):[0-5]\d\Z", error="A time like 22:00."))
    end = fields.String(required=True, validate=validate.Regexp(
        r"^([01]\d|2[0-3]):[0-5]\d\Z", error="A time like 22:00."))


class PreferencesSchema(StrictSchema):
    kinds = fields.Dict(keys=fields.String(validate=validate.OneOf(tuple(KINDS))),
                        values=JSONBoolean(), required=True)
    quiet_hours = fields.Nested(QuietHoursSchema, allow_none=True, load_default=None)
    timezone = fields.String(required=True, validate=validate.Length(min=1, max=64))
    # Optional: left out, they stay as they were.
    email = fields.Dict(keys=fields.String(validate=validate.OneOf(tuple(KINDS))),
                        values=JSONBoolean())
    inapp = fields.Dict(keys=fields.String(validate=validate.OneOf(tuple(KINDS))),
                        values=JSONBoolean())
    auto_follow = fields.List(fields.String(validate=validate.OneOf(FOLLOWABLE)),
                              validate=validate.Length(max=len(FOLLOWABLE) * 2))
    reminder_minutes = JSONInteger(allow_none=True, validate=validate.Range(0, 1440))

    @validates("timezone")
    def _known_zone(self, value: str, **_kwargs) -> None:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValidationError("Not a known time zone.") from exc

    @validates_schema
    def _distinct_hours(self, data: dict, **_kwargs) -> None:
        quiet = data.get("quiet_hours")
        if quiet and quiet["start"] == quiet["end"]:
            raise ValidationError({"quiet_hours": ["Start and end must differ."]})


class PreferencesOutSchema(StrictSchema):
    kinds = fields.Function(enabled_kinds)
    quiet_hours = fields.Method("quiet")
    timezone = fields.String()
    email = fields.Function(lambda prefs: channel_switches(prefs, "email"))
    inapp = fields.Function(lambda prefs: channel_switches(prefs, "inapp"))
    auto_follow = fields.List(fields.String())
    reminder_minutes = fields.Integer(allow_none=True)

    def quiet(self, prefs) -> dict | None:
        if prefs.quiet_start is None or prefs.quiet_end is None:
            return None
        return {"start": prefs.quiet_start.strftime("%H:%M"),
                "end": prefs.quiet_end.strftime("%H:%M")}


class VapidKeySchema(StrictSchema):
    key = fields.String()


class PushTestResultSchema(StrictSchema):
    devices = fields.Integer()


def to_times(data: dict) -> dict:
    """Quiet hours as time objects for the service."""
    quiet = data.get("quiet_hours")
    if quiet:
        data["quiet_hours"] = {"start": parse_hhmm(quiet["start"]),
                               "end": parse_hhmm(quiet["end"])}
    return data


subscription_schema = SubscriptionSchema()
endpoint_schema = EndpointSchema()
preferences_schema = PreferencesSchema()
preferences_out_schema = PreferencesOutSchema()
vapid_key_schema = VapidKeySchema()
push_test_result_schema = PushTestResultSchema()
