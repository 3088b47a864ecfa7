"""Notification inbox schemas."""

from __future__ import annotations

from marshmallow import fields

from app.schemas.common import ArgsSchema, StrictSchema, UTCDateTime


class NotificationSchema(StrictSchema):
    id = fields.UUID(dump_only=True)
    kind = fields.String(dump_only=True)
    title = fields.String(dump_only=True)
    body = fields.String(dump_only=True)
    url = fields.String(dump_only=True)
    record = fields.Method("record_of", dump_only=True)
    created_at = UTCDateTime(dump_only=True)
    read_at = UTCDateTime(dump_only=True, allow_none=True)

    def record_of(self, notification) -> dict | None:
        if notification.record_type is None:
            return None
        return {"type": notification.record_type, "id": str(notification.record_id)}


class InboxArgsSchema(ArgsSchema):
    unread = fields.Boolean(load_default=False)


class CountSchema(StrictSchema):
    count = fields.Integer()


notification_schema = NotificationSchema()
inbox_args_schema = InboxArgsSchema()
count_schema = CountSchema()
