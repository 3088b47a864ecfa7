"""Attachments: files on exchanges, companies and deals, stored by content hash."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import uuid
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session

from app.models import Attachment, Company, Deal, Exchange, User
from app.services import records
from app.services.errors import Conflict, DomainError, Forbidden, Invalid, NotFound

OWNERS = {"exchange": Exchange, "company": Company, "deal": Deal}

def _zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def _text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:  # a cut multi-byte character at the end is fine
        return exc.start >= len(head) - 3 and b"\x00" not in head
    return b"\x00" not in head


def _heif(head: bytes) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heis")


# Extension -> (content type, check of the first bytes). Only what a salesperson sends.
KINDS = {
    "jpg": ("image/jpeg", lambda h: h.startswith(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", lambda h: h.startswith(b"\xff\xd8\xff")),
    "png": ("image/png", lambda h: h.startswith(b"\x89PNG\r\n\x1a\n")),
    "gif": ("image/gif", lambda h: h[:6] in (b"GIF87a", b"GIF89a")),
    "webp": ("image/webp", lambda h: h[:4] == b"RIFF" and h[8:12] == b"WEBP"),
    "heic": ("image/heic", _heif),
    "heif": ("image/heif", _heif),
    "pdf": ("application/pdf", lambda h: h.startswith(b"%PDF-")),
    "txt": ("text/plain; charset=utf-8", _text),
    "csv": ("text/csv; charset=utf-8", _text),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _zip),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _zip),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _zip),
    "odt": ("application/vnd.oasis.opendocument.text", _zip),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", _zip),
}
CHUNK = 1024 * 1024


class TooLarge(DomainError):
    status = 413
    code = "file_too_large"


class BadFileType(DomainError):
    status = 415
    code = "unsupported_file_type"


def _owner(session: Session, user: User, entity: str, entity_id: uuid.UUID):
    owner = session.get(OWNERS[entity], entity_id)
    if owner is None or owner.deleted_at is not None:
        raise Invalid("Unknown record.", fields={"entity_id": ["No such record."]})
    if entity == "exchange":
        from app.services.exchanges import can_see

        if not can_see(user, owner):
            raise Invalid("Unknown record.", fields={"entity_id": ["No such record."]})
    return owner


def _of_hidden_exchange(session: Session, user: User, attachment: Attachment) -> bool:
    """A file of a private exchange the user is not in (which, for them, does not exist)."""
    if attachment.entity != "exchange":
        return False
    from app.services.exchanges import can_see

    exchange = session.get(Exchange, attachment.entity_id)
    return exchange is not None and not can_see(user, exchange)


def owner_visible(session: Session, user: User, attachment: Attachment) -> bool:
    """An attachment is as visible as the live record it belongs to."""
    try:
        _owner(session, user, attachment.entity, attachment.entity_id)
    except Invalid:
        return False
    return True


def clean_filename(filename: str) -> str:
    """The base name without control characters (they would break Content-Disposition)."""
    base = re.split(r"[/\\]", filename)[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip()
    if not base:
        raise Invalid("The file has no usable name.", fields={"file": ["No usable name."]})
    return base[-255:]


def _kind(filename: str) -> tuple[str, str]:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in KINDS:
        raise BadFileType(f"Files of type .{ext or '?'} are not accepted.",
                          fields={"file": [f"Accepted: {', '.join(sorted(KINDS))}."]})
    return ext, KINDS[ext][0]


def _size(n: int) -> str:
    """A byte count as people read it (a limit below 1 MB must not read "0 MB")."""
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MB"
    return f"{n} bytes"


def _store(stream: BinaryIO, folder: Path, max_bytes: int, ext: str) -> tuple[str, int, Path]:
    """Copy the upload to a temporary file, hashing and checking it on the way."""
    folder.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".upload-")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                if size == 0 and not KINDS[ext][1](chunk[:64]):
                    raise BadFileType("The file's content does not match its extension.",
                                      fields={"file": ["Content does not match the extension."]})
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(f"Files are limited to {_size(max_bytes)}.")
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise Invalid("The file is empty.", fields={"file": ["Empty file."]})
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size, tmp


def create_attachment(session: Session, user: User, *, record_id: uuid.UUID, entity: str,
                      entity_id: uuid.UUID, filename: str, stream: BinaryIO, folder: Path,
                      max_bytes: int) -> tuple[Attachment, bool]:
    """Store an upload once; replaying the same id with the same bytes returns the record."""
    _owner(session, user, entity, entity_id)
    filename = clean_filename(filename)
    ext, content_type = _kind(filename)
    sha, size, tmp = _store(stream, folder, max_bytes, ext)
    existing = session.get(Attachment, record_id)
    if existing is not None:
        tmp.unlink(missing_ok=True)
        if _of_hidden_exchange(session, user, existing):
            raise NotFound("No such attachment.")  # never confirm a hidden id exists
        same = (existing.sha256, existing.entity, existing.entity_id) == (sha, entity, entity_id)
        if same and existing.deleted_at is None:
            return existing, False
        raise Conflict("This id is already used by another file.", code="id_conflict")
    attachment = Attachment(id=record_id, entity=entity, entity_id=entity_id,
                            filename=filename[-255:], content_type=content_type, size=size,
                            sha256=sha, created_by_id=user.id)
    final = folder / attachment.storage_key
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, final)  # atomic: a reader never sees half a file
    session.add(attachment)
    session.flush()
    return attachment, True


def get_attachment(session: Session, user: User, attachment_id: uuid.UUID) -> Attachment:
    """Return an attachment the user may see (404 otherwise)."""
    attachment = records.get_live(session, Attachment, attachment_id)
    if not owner_visible(session, user, attachment):
        raise NotFound("No such attachment.")
    return attachment


def list_attachments(session: Session, user: User, entity: str,
                     entity_id: uuid.UUID) -> list[Attachment]:
    """The files of one record, oldest first."""
    _owner(session, user, entity, entity_id)
    return list(session.scalars(records.live(Attachment).where(
        Attachment.entity == entity, Attachment.entity_id == entity_id)
        .order_by(Attachment.created_at, Attachment.id)))


def delete_attachment(session: Session, user: User, attachment_id: uuid.UUID) -> None:
    """Remove a file from its record (its author or a manager); the bytes stay for others."""
    attachment = get_attachment(session, user, attachment_id)
    if attachment.created_by_id != user.id and not user.is_manager:
        raise Forbidden("Only its author or a manager may remove this file.")
    records.soft_delete(session, attachment)


