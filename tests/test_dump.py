"""The compiled dump (app/schemas/dump.py) gives what marshmallow's dump gives."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from marshmallow import Schema, fields, post_dump
from sqlalchemy import select

from app.api.serialise import SCHEMA_OF
from app.demo import load_demo
from app.schemas.common import JSONBoolean, JSONDecimal, JSONInteger, UTCDateTime
from app.schemas.dump import dump, dumper


class Inner(Schema):
    n = fields.Integer()
    label = fields.String(data_key="name")


class Everything(Schema):
    s = fields.String()
    s_number = fields.String(attribute="number")
    u = fields.UUID()
    i = fields.Integer()
    i_json = JSONInteger(attribute="i", dump_only=True)
    i_text = fields.Integer(as_string=True, attribute="i", dump_only=True)
    f = fields.Float()
    b = fields.Boolean()
    b_json = JSONBoolean(attribute="b", dump_only=True)
    d = JSONDecimal()
    day = fields.Date()
    at = UTCDateTime()
    with_default = fields.String(dump_default="none given")
    callable_default = fields.List(fields.Integer(), dump_default=list)
    one = fields.Nested(Inner, allow_none=True)
    many = fields.List(fields.Nested(Inner))
    nested_many = fields.Nested(Inner, many=True)
    ids = fields.List(fields.UUID())
    mapping = fields.Dict()
    dotted = fields.Integer(attribute="one.n")
    computed = fields.Function(lambda obj: f"<{obj.get('s')}>" if isinstance(obj, dict) else None)
    method = fields.Method("_method")
    renamed = fields.String(data_key="other-name")
    secret = fields.String(load_only=True)

    def _method(self, obj) -> int:
        return 42


class Hooked(Schema):
    n = fields.Integer()

    @post_dump
    def _double(self, data: dict, **_kwargs) -> dict:
        return {"n": data["n"] * 2}


class Tree(Schema):
    label = fields.String()
    children = fields.List(fields.Nested(lambda: Tree()))
    parent = fields.Nested(lambda: Tree(only=("label",)), allow_none=True)


class Row:  # an object read by attribute, as models and views are
    def __init__(self, **values) -> None:
        self.__dict__.update(values)


FULL = {"s": "texte é", "number": 5, "u": uuid.UUID(int=7), "i": 3.0, "f": 2, "b": "yes",
        "d": Decimal("12.5"), "day": date(2026, 11, 24),
        "at": datetime(2026, 11, 24, 10, 30, tzinfo=UTC), "one": {"n": 1, "label": "a"},
        "many": [{"n": 2, "label": "b"}, {"n": 3}], "nested_many": [{"label": "c"}],
        "ids": [uuid.UUID(int=1), None], "mapping": {"k": [1]}, "renamed": "r",
        "secret": "never shown"}


def test_every_kind_of_field_dumps_as_marshmallow_does() -> None:
    schema = Everything()
    cases = [FULL, {}, {key: None for key in FULL}, {"s": "only"}, Row(**FULL),
             Row(**{key: None for key in FULL}), Row(s="x", one=Row(n=9, label="row"))]
    for obj in cases:
        assert dump(schema, obj) == schema.dump(obj), obj
    assert dump(schema, cases, many=True) == schema.dump(cases, many=True)
    assert dump(schema, FULL)["s_number"] == "5" and dump(schema, FULL)["i"] == 3
    assert "secret" not in dump(schema, FULL) and dump(schema, {})["with_default"] == "none given"


def test_a_schema_nesting_itself_dumps_as_marshmallow_does() -> None:
    tree = {"label": "root", "parent": None, "children": [
        {"label": "a", "parent": {"label": "root"}, "children": [{"label": "a1"}]},
        {"label": "b", "children": []}]}
    assert dump(Tree(), tree) == Tree().dump(tree)
    assert dump(Tree(), tree)["children"][0]["children"][0] == {"label": "a1"}


def test_only_exclude_and_hooks_are_kept() -> None:
    assert dump(Everything(only=("s", "one")), FULL) == {"s": "texte é",
                                                          "one": {"n": 1, "name": "a"}}
    assert "s" not in dump(Everything(exclude=("s",)), FULL)
    assert dump(Hooked(), {"n": 2}) == {"n": 4} == Hooked().dump({"n": 2})
    assert dump(Hooked(many=True), [{"n": 1}]) == [{"n": 2}]
    schema = Everything()
    assert dumper(schema) is dumper(schema)  # compiled once


def test_every_record_of_the_book_dumps_as_marshmallow_does(db) -> None:
    load_demo(db.session, today=date(2026, 11, 24), password_method="pbkdf2:sha256:1000")
    compared = 0
    for model, schema in SCHEMA_OF.items():
        records = db.session.scalars(select(model).limit(300)).all()
        for record in records:
            assert dump(schema, record) == schema.dump(record), (model.__name__, record.id)
        compared += len(records)
        assert records or model.__name__ in ("Attachment", "RecordEvent"), model
    assert compared > 1000
