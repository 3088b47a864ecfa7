"""Domain errors; the API turns each into the one error shape."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    code = "bad_request"
    retry_after: int | None = None  # seconds, sent as Retry-After (429, 503)

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None,
                 code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields
        if code:
            self.code = code


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Invalid(DomainError):
    status = 422
    code = "validation_error"


class Conflict(DomainError):
    """The request disagrees with the stored record; `current` is sent back."""

    status = 409
    code = "conflict"

    def __init__(self, message: str, *, current: Any = None, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.current = current


SURROGATES = frozenset(chr(c) for c in range(0xD800, 0xE000))


def unstorable(text: str) -> bool:
    """True for text no database can store: U+0000 (PostgreSQL), or a lone UTF-16 surrogate
    (JSON lets "\\ud800" through; it cannot be encoded to UTF-8)."""
    return "\x00" in text or not SURROGATES.isdisjoint(text)
