"""Which schema dumps which model (conflict bodies need it without a view)."""

from __future__ import annotations

from typing import Any

from app.models import (
    Alert,
    Attachment,
    Company,
    Contact,
    Deal,
    Exchange,
    ExchangeKind,
    Outcome,
    RecordEvent,
    Task,
    User,
)
from app.schemas.company import company_schema, contact_schema, deal_schema
from app.schemas.dump import dump
from app.schemas.event import synced_record_event_schema
from app.schemas.exchange import exchange_schema, picklist_schema
from app.schemas.sync import attachment_schema
from app.schemas.task import task_schema
from app.schemas.user import user_schema

SCHEMA_OF = {Company: company_schema, Contact: contact_schema, Deal: deal_schema,
             Exchange: exchange_schema, ExchangeKind: picklist_schema, Outcome: picklist_schema,
             Attachment: attachment_schema, User: user_schema, Task: task_schema,
             RecordEvent: synced_record_event_schema}


def dump_any(obj: Any) -> dict:
    """Serialise a record with its resource's schema."""
    if isinstance(obj, Alert):  # its texts are in the request's language
        from app.api.alerts import dump_alert

        return dump_alert(obj)
    return dump(SCHEMA_OF[type(obj)], obj)
