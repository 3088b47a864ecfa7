"""Timeline event schemas: system entries in a record's timeline."""

from __future__ import annotations

from marshmallow import fields

from app.api.common import request_lang
from app.live.broker import texts_in
from app.schemas.common import StrictSchema, UTCDateTime


class RecordEventSchema(StrictSchema):
    id = fields.UUID(dump_only=True)
    record_type = fields.String(dump_only=True)
    record_id = fields.UUID(dump_only=True)
    kind = fields.String(dump_only=True)
    title = fields.Method("_title", dump_only=True)
    body = fields.Method("_body", dump_only=True)
    actor_id = fields.UUID(dump_only=True, allow_none=True)
    exchange_id = fields.UUID(dump_only=True, allow_none=True)
    at = UTCDateTime(dump_only=True)

    def _texts(self, event) -> dict:
        if getattr(event, "title", None) is not None:  # already put in a language
            return {"title": event.title, "body": event.body}
        return texts_in(event.texts, request_lang())

    def _title(self, event) -> str:
        return self._texts(event).get("title", "")

    def _body(self, event) -> str:
        return self._texts(event).get("body", "")


class SyncedRecordEventSchema(RecordEventSchema):
    """What a device stores: both languages too (its user may switch), and the version."""

    texts = fields.Dict(dump_only=True)
    version = fields.Integer(dump_only=True)
    created_at = UTCDateTime(dump_only=True)
    updated_at = UTCDateTime(dump_only=True)


record_event_schema = RecordEventSchema()
synced_record_event_schema = SyncedRecordEventSchema()
