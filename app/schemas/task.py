"""Task schemas: instructions handed to colleagues."""

from __future__ import annotations

from flask import has_request_context
from flask_login import current_user
from marshmallow import fields, post_dump, validate

from app.models import TASK_PRIORITIES, TASK_STATES
from app.schemas.common import ArgsSchema, RecordSchema, UTCDateTime, patch_schema, text

SCOPES = ("mine", "created", "team")


def exchange_shown(task) -> bool:
    """Whether the reader may learn which exchange the task links (a private one: its people).

    Read from the logged-in user: every door a task leaves by (its API, sync, conflict
    bodies) is a request; anywhere else, a private exchange is not named.
    """
    from app.services.exchanges import can_see  # exchanges -> notify -> schemas

    exchange = task.exchange
    if exchange is None or not exchange.private:
        return True
    viewer = current_user if has_request_context() else None
    return bool(viewer is not None and viewer.is_authenticated and can_see(viewer, exchange))


class TaskSchema(RecordSchema):
    title = text(200, required=True)
    details = text(20000)
    assignee_id = fields.UUID()  # left out on create: the creator
    created_by = fields.UUID(attribute="created_by_id", dump_only=True)
    due_at = UTCDateTime(allow_none=True)
    priority = fields.String(load_default="normal", validate=validate.OneOf(TASK_PRIORITIES))
    state = fields.String(load_default="open", validate=validate.OneOf(TASK_STATES))
    done_at = UTCDateTime(dump_only=True, allow_none=True)
    company_id = fields.UUID(allow_none=True)
    contact_id = fields.UUID(allow_none=True)
    deal_id = fields.UUID(allow_none=True)
    exchange_id = fields.UUID(allow_none=True)

    @post_dump(pass_original=True)
    def _hide_private_exchange(self, data: dict, task, **_kwargs) -> dict:
        if data.get("exchange_id") is not None and not exchange_shown(task):
            data["exchange_id"] = None
        return data


class TaskArgsSchema(ArgsSchema):
    scope = fields.String(load_default="mine", validate=validate.OneOf(SCOPES))
    state = fields.String(load_default=None, validate=validate.OneOf(TASK_STATES))
    due_before = UTCDateTime(load_default=None)


task_schema = TaskSchema()
task_patch_schema = patch_schema(TaskSchema)
task_args_schema = TaskArgsSchema()
