"""/api/attachments: photos and documents on exchanges, companies and deals."""

from __future__ import annotations

import uuid
from pathlib import Path

from flask import Blueprint, Response, current_app, send_file
from flask_login import current_user

from app.api.common import endpoint
from app.extensions import db
from app.schemas.sync import (
    attachment_args_schema,
    attachment_form_schema,
    attachment_schema,
)
from app.services import attachments
from app.services.pagination import Page

bp = Blueprint("attachments", __name__, url_prefix="/attachments")


def storage() -> Path:
    """Outside the web root: the instance folder."""
    return Path(current_app.instance_path) / "attachments"


@bp.get("")
@endpoint(args=attachment_args_schema, out=attachment_schema, page=True)
def list_attachments(args: dict) -> Page:
    """List the files of a record."""
    return Page(attachments.list_attachments(db.session, current_user, args["entity"],
                                             args["entity_id"]), None)


@bp.post("")
@endpoint(upload=attachment_form_schema, out=attachment_schema, status=201)
def upload_attachment(data: dict, file):
    """Upload a file (multipart: id, entity, entity_id, file); a replay returns it (200)."""
    attachment, created = attachments.create_attachment(
        db.session, current_user, record_id=data.get("id") or uuid.uuid4(),
        entity=data["entity"], entity_id=data["entity_id"], filename=file.filename,
        stream=file.stream, folder=storage(), max_bytes=current_app.config["MAX_UPLOAD_BYTES"])
    return attachment, 201 if created else 200


@bp.get("/<uuid:attachment_id>")
@endpoint(out=attachment_schema)
def get_attachment(attachment_id: uuid.UUID):
    """Fetch a file's description."""
    return attachments.get_attachment(db.session, current_user, attachment_id)


@bp.get("/<uuid:attachment_id>/content")
@endpoint()
def attachment_content(attachment_id: uuid.UUID) -> Response:
    """Download a file's bytes (images inline, other files as downloads)."""
    attachment = attachments.get_attachment(db.session, current_user, attachment_id)
    response = send_file(storage() / attachment.storage_key, mimetype=attachment.content_type,
                         as_attachment=not attachment.content_type.startswith("image/"),
                         download_name=attachment.filename, etag=attachment.sha256,
                         max_age=0, conditional=True)
    # send_file appends "; charset=utf-8" to text/* again: send the stored type as it is.
    response.headers["Content-Type"] = attachment.content_type
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.delete("/<uuid:attachment_id>")
@endpoint(status=204)
def delete_attachment(attachment_id: uuid.UUID) -> None:
    """Remove a file from its record (its author or a manager)."""
    attachments.delete_attachment(db.session, current_user, attachment_id)
