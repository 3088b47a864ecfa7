"""app.services.pagination: opaque cursors and keyset pages."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from app.models import Company, Exchange
from app.services import records
from app.services.pagination import BadCursor, _decode, _encode, paginate
from tests.factories import CompanyFactory, ExchangeFactory, UserFactory

T0 = datetime(2026, 6, 1, 12, tzinfo=UTC)


def raw(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def test_cursor_round_trip_for_text_and_uuid():
    record_id = uuid.uuid4()

    cursor = _encode(["Hélène & Cie", record_id])

    assert "=" not in cursor and "/" not in cursor and "+" not in cursor
    assert _decode(cursor, [Company.name, Company.id]) == ["Hélène & Cie", record_id]


def test_cursor_round_trip_for_aware_datetimes():
    record_id = uuid.uuid4()
    moment = datetime(2026, 6, 1, 12, 30, 15, 123456, tzinfo=UTC)

    values = _decode(_encode([moment, record_id]), [Exchange.starts_at, Exchange.id])

    assert values == [moment, record_id]
    assert isinstance(values[0], datetime) and values[0].tzinfo is not None


@pytest.mark.parametrize(("cursor", "columns"), [
    ("", ["name", "id"]),
    ("%%%", ["name", "id"]),
    ("bm90IGpzb24", ["name", "id"]),  # "not json"
    (raw({"name": "x"}), ["name", "id"]),
    (raw(["x"]), ["name", "id"]),
    (raw(["x", str(uuid.uuid4()), 3]), ["name", "id"]),
    (raw([3, str(uuid.uuid4())]), ["name", "id"]),
    (raw(["x", "not-a-uuid"]), ["name", "id"]),
    (raw(["x", 5]), ["name", "id"]),
    (raw(["2026-06-01T12:00:00", str(uuid.uuid4())]), ["starts_at", "id"]),  # naive
    (raw(["lundi", str(uuid.uuid4())]), ["starts_at", "id"]),
    (raw([1748779200, str(uuid.uuid4())]), ["starts_at", "id"]),
    (raw([None, str(uuid.uuid4())]), ["starts_at", "id"]),
])
def test_bad_cursors_raise_bad_cursor(cursor, columns):
    model = Company if columns[0] == "name" else Exchange

    with pytest.raises(BadCursor) as info:
        _decode(cursor, [getattr(model, c) for c in columns])

    assert info.value.status == 400 and info.value.code == "bad_cursor"


def test_paginate_ascending_walks_everything_once(db):
    made = {c.id for c in CompanyFactory.create_batch(7, name="Même nom")}
    seen, cursor = [], None
    while True:
        page = paginate(db.session, records.live(Company), [Company.name, Company.id], limit=3,
                        cursor=cursor)
        assert len(page.items) <= 3
        seen += [c.id for c in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == sorted(made, key=str)  # same names: ordered by id
    assert len(seen) == len(made) == len(set(seen))


def test_paginate_descending_by_datetime(db):
    user = UserFactory()
    made = [ExchangeFactory(created_by=user, starts_at=T0 + timedelta(minutes=m))
            for m in (5, 1, 3, 3, 4)]
    expected = [e.id for e in sorted(made, key=lambda e: (e.starts_at, str(e.id)),
                                     reverse=True)]
    seen, cursor = [], None
    while True:
        page = paginate(db.session, records.live(Exchange), [Exchange.starts_at, Exchange.id],
                        limit=2, cursor=cursor, descending=True)
        seen += [e.id for e in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == expected


def test_last_page_has_no_cursor_even_when_full(db):
    CompanyFactory.create_batch(4)

    first = paginate(db.session, records.live(Company), [Company.name, Company.id], limit=2)
    second = paginate(db.session, records.live(Company), [Company.name, Company.id], limit=2,
                      cursor=first.next_cursor)

    assert len(first.items) == 2 and first.next_cursor
    assert len(second.items) == 2 and second.next_cursor is None
