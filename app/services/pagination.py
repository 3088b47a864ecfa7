"""Keyset pagination: stable under inserts, opaque cursors."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, Select, bindparam, literal, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from app.services.errors import DomainError, unstorable

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class BadCursor(DomainError):
    status = 400
    code = "bad_cursor"


@dataclass
class Page:
    items: list
    next_cursor: str | None


def _encode(values: Sequence[Any]) -> str:
    def plain(v: Any) -> Any:
        if isinstance(v, datetime):
            return v.isoformat()
        if isinstance(v, uuid.UUID):
            return str(v)
        return v

    raw = json.dumps([plain(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _python_type(column: InstrumentedAttribute) -> type:
    # A TypeDecorator (UTCDateTime) answers `object`; the type it wraps knows better.
    column_type = getattr(column.type, "impl_instance", column.type)
    return column_type.python_type


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:  # _encode always writes the offset: this cursor was not ours
        raise ValueError("naive datetime in cursor")
    return value.astimezone(UTC)  # OverflowError for times with no UTC equivalent


def _decode(cursor: str, columns: Sequence[InstrumentedAttribute]) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(columns):
            raise ValueError
        out = []
        for col, v in zip(columns, values, strict=True):
            kind = _python_type(col)
            if kind is datetime:
                out.append(_aware(datetime.fromisoformat(v)))
            elif kind is uuid.UUID:
                out.append(uuid.UUID(v))
            elif v is not None and (not isinstance(v, kind)
                                    or (isinstance(v, str) and unstorable(v))):
                raise ValueError
            else:
                out.append(v)
        return out
    except (ValueError, OverflowError, TypeError, json.JSONDecodeError, AttributeError) as exc:
        raise BadCursor("The cursor is not valid.", fields={"cursor": ["Invalid cursor."]}) from exc


def _after(columns: Sequence[InstrumentedAttribute], values: list[Any], descending: bool):
    """Rows strictly after `values` in (col1, col2, ...) order: a row-value comparison."""
    left = tuple_(*columns)
    right = tuple_(*(literal(v, type_=c.type) for c, v in zip(columns, values, strict=True)))
    return left < right if descending else left > right


# Pages of statements built once (module level), themselves built once: ordered, limited and
# after a cursor through bound parameters. A statement built per request costs its cache key,
# a walk of the whole statement, at every run; a kept one computes it once.
_KEPT: dict[tuple[int, bool], tuple[Select, Select, Select]] = {}


def _kept_page(stmt: Select, columns: Sequence[InstrumentedAttribute], descending: bool,
               after: bool) -> Select:
    found = _KEPT.get((id(stmt), descending))
    if found is None:
        order = [c.desc() if descending else c.asc() for c in columns]
        marks = tuple_(*(bindparam(f"after_{i}", type_=c.type) for i, c in enumerate(columns)))
        ordered = stmt.order_by(*order).limit(bindparam("page_size", type_=Integer()))
        following = tuple_(*columns) < marks if descending else tuple_(*columns) > marks
        # `stmt` is held too, so that its id is never another statement's.
        found = _KEPT[id(stmt), descending] = (stmt, ordered, ordered.where(following))
    return found[2] if after else found[1]


def paginate(session, stmt: Select, columns: Sequence[InstrumentedAttribute], *,
             limit: int = DEFAULT_LIMIT, cursor: str | None = None,
             descending: bool = False, key: Callable[[Any], list] | None = None,
             rows: bool = False, params: dict | None = None, kept: bool = False) -> Page:
    """Run `stmt` ordered by `columns` (all non-null, last one unique) after `cursor`.

    `columns` may be SQL expressions (a COALESCE) when `key(row)` gives a row's values.
    The page holds the statement's first entity, or its rows when `rows` is true (a
    select of columns, read by name). `params` are the values of its bound parameters.
    `kept`: `stmt` lives as long as the process (built once), and so will its pages'.
    """
    if kept:
        params = {**(params or {}), "page_size": limit + 1}
        if cursor:
            params.update((f"after_{i}", v) for i, v in enumerate(_decode(cursor, columns)))
        stmt = _kept_page(stmt, columns, descending, bool(cursor))
    else:
        if cursor:
            stmt = stmt.where(_after(columns, _decode(cursor, columns), descending))
        order = [c.desc() if descending else c.asc() for c in columns]
        stmt = stmt.order_by(*order).limit(limit + 1)
    found = list(session.execute(stmt, params) if rows
                 else session.scalars(stmt, params).unique())
    next_cursor = None
    if len(found) > limit:
        found = found[:limit]
        next_cursor = _encode(key(found[-1]) if key else [getattr(found[-1], c.key)
                                                          for c in columns])
    return Page(found, next_cursor)
