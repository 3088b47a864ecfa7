"""/api/openapi.json: the contract, generated from the routes and their schemas."""

from __future__ import annotations

import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Blueprint, Flask, current_app
from marshmallow import fields, validate

from app.api.common import endpoint
from app.schemas.common import DECIMAL_PATTERN, YEARS_PATTERN, JSONDecimal, UTCDateTime

bp = Blueprint("openapi", __name__)

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object",
                           "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            },
        },
        "current": {"type": "object"},
    },
}
ERROR_STATUSES = {"400": "Malformed request", "401": "Not logged in", "403": "Forbidden",
                  "404": "Not found", "409": "Conflict", "413": "Too large",
                  "415": "Not JSON", "422": "Invalid fields"}
# Every API request waits in line for a turn of its process; after a minute it gives up.
BUSY = {"description": "Server busy: nothing was done, try again after Retry-After"}
# Errors only some routes give, by endpoint name.
RETRY_AFTER = {"Retry-After": {"required": True, "description": "Seconds to wait.",
                               "schema": {"type": "integer", "minimum": 0}}}
EXTRA_ERRORS: dict[str, dict[str, dict]] = {
    "api.auth.login": {"429": {"description": "Too many failed logins", "headers": RETRY_AFTER}},
    "api.live.live": {"426": {"description": "Not a WebSocket handshake"}},
    "api.sync.changes": {"410": {"description": "A cursor of an earlier state of the server "
                                                "(a restore): pull again from the start"}},
}


def _schema_name(schema: Any) -> str:
    cls = resolve_schema_cls(schema)
    name = cls.__name__.removesuffix("Schema")
    if getattr(schema, "only", None):  # a subset of fields, e.g. an upload form
        return f"{name}Form"
    return f"{name}Patch" if getattr(schema, "partial", False) else name


def _decimal(self: Any, field: fields.Field, ret: dict, **kwargs: Any) -> dict:
    """An amount is a number or a decimal string in, a string out: bounds as JSON numbers."""
    if not isinstance(field, JSONDecimal):
        return {}
    for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        ret.pop(key, None)  # apispec writes a Decimal bound as a string
    extra: dict[str, Any] = {"type": ["string", "number", *(["null"] * field.allow_none)],
                             "pattern": DECIMAL_PATTERN}
    for check in field.validators:
        if isinstance(check, validate.Range):
            if check.min is not None:
                extra["minimum" if check.min_inclusive else "exclusiveMinimum"] = float(check.min)
            if check.max is not None:
                extra["maximum" if check.max_inclusive else "exclusiveMaximum"] = float(check.max)
    return extra


def _years(self: Any, field: fields.Field, **kwargs: Any) -> dict:
    """Dates and times are refused outside the years 1900-2200."""
    return {"pattern": YEARS_PATTERN} if isinstance(field, UTCDateTime) else {}


def _paths(rule: str) -> list[str]:
    """Flask rule -> OpenAPI path(s); an `any(...)` converter becomes one path per value."""
    choice = re.search(r"<any\(([^)]*)\):(\w+)>", rule)
    if choice:
        options = [o.strip().strip("\"") for o in choice.group(1).split(",")]
        return [p for o in options for p in _paths(rule.replace(choice.group(0), o))]
    return [re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)]


def _operation(doc: dict, path: str, status_ok: str, plugin: MarshmallowPlugin,
               extra_errors: dict[str, dict]) -> dict:
    op: dict[str, Any] = {"summary": (doc["summary"] or "").strip().splitlines()[0],
                          "parameters": [], "responses": {}}
    for name in re.findall(r"{(\w+)}", path):
        op["parameters"].append({"in": "path", "name": name, "required": True,
                                 "schema": {"type": "string", "format": "uuid"}})
    if doc["args"] is not None:
        op["parameters"].append({"in": "query", "schema": doc["args"]})
    if doc["body"] is not None:
        body: Any = doc["body"]
        if doc["versioned"]:  # the view pops `version` before the schema sees the body
            body = plugin.converter.schema2jsonschema(body)  # one object: it allows no extras
            body["properties"]["version"] = {"type": "integer",
                                             "description": "The version edited."}
            body["required"] = [*body.get("required", []), "version"]
        op["requestBody"] = {"required": True,
                             "content": {"application/json": {"schema": body}}}
    if doc.get("upload") is not None:  # the form's fields and the file, in one object
        form = plugin.converter.schema2jsonschema(doc["upload"])
        form["properties"]["file"] = {"type": "string",
                                      "contentMediaType": "application/octet-stream"}
        form["required"] = [*form.get("required", []), "file"]
        op["requestBody"] = {"required": True,
                             "content": {"multipart/form-data": {"schema": form}}}
    op["responses"][status_ok] = _success(doc)
    errors = {status: {"description": text} for status, text in ERROR_STATUSES.items()}
    errors["503"] = {**BUSY, "headers": RETRY_AFTER}
    for status, response in {**errors, **extra_errors}.items():
        op["responses"][status] = {**response, "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    if not doc["public"]:
        op["security"] = [{"session": []}]
    return op


def _success(doc: dict) -> dict:
    if doc["status"] == 204 or doc["out"] is None:
        return {"description": "Done"}
    schema: Any = doc["out"]
    if doc["page"]:
        schema = {"type": "object", "required": ["items", "next_cursor"], "properties": {
            "items": {"type": "array", "items": doc["out"]},
            "next_cursor": {"type": ["string", "null"]}}}
    return {"description": "OK", "content": {"application/json": {"schema": schema}}}


def build_spec(app: Flask) -> dict:
    """Walk the URL map and describe every documented /api route."""
    plugin = MarshmallowPlugin(schema_name_resolver=_schema_name)
    spec = APISpec(title="Tournée API", version="1", openapi_version="3.1.0", plugins=[plugin])
    plugin.converter.add_attribute_function(_decimal)
    plugin.converter.add_attribute_function(_years)
    spec.components.schema("Error", ERROR)
    spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie",
                                                "name": app.config["SESSION_COOKIE_NAME"]})
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        doc = getattr(app.view_functions[rule.endpoint], "api_doc", None)
        if doc is None or not rule.rule.startswith("/api"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            status_ok = "200" if method == "POST" and doc["status"] == 201 else str(doc["status"])
            for path in _paths(rule.rule):
                op = _operation(doc, path, str(doc["status"]), plugin,
                                EXTRA_ERRORS.get(rule.endpoint, {}))
                if status_ok != str(doc["status"]):
                    op["responses"][status_ok] = _success(doc)
                spec.path(path=path, operations={method.lower(): op})
    document = spec.to_dict()
    _link(document["paths"])
    return document


RECORD_LINKS = {"/api/companies": ("company_id", "/api/follows/company/{record_id}"),
                "/api/contacts": ("contact_id", "/api/follows/contact/{record_id}"),
                "/api/deals": ("deal_id", "/api/follows/deal/{record_id}")}


def _operation_id(method: str, path: str) -> str:
    return "_".join([method, *re.findall(r"\w+", path.removeprefix("/api/"))])


def _link(paths: dict) -> None:
    """Name every operation, and link what gives a record's id to what takes it: a create, a
    list's first item and an edit lead to the record's read, edit, delete and sub-resources.
    An edit link carries the version it read, as a PATCH must."""
    for path, ops in paths.items():
        for method, op in ops.items():
            op["operationId"] = _operation_id(method, path)
    for path, ops in paths.items():
        children = [(child, re.fullmatch(rf"{re.escape(path)}/{{(\w+)}}(/.*)?", child))
                    for child in paths]
        targets = [(child, found.group(1)) for child, found in children if found]
        if not targets:
            continue
        sources = [(ops.get("post"), ("201", "200"), "$response.body#"),
                   (ops.get("get"), ("200",), "$response.body#/items/0")]
        for op, statuses, record in sources:
            if op is None:
                continue
            for status in statuses:
                if status in op["responses"] and "content" in op["responses"][status]:
                    op["responses"][status]["links"] = _links_to(paths, targets, record)
    for path, ops in paths.items():  # an edit leads on with the new version
        if "patch" in ops and (found := re.search(r"{(\w+)}$", path)):
            ops["patch"]["responses"]["200"]["links"] = _links_to(
                paths, [(path, found.group(1))], "$response.body#")
    _reference_links(paths)


def _reference_links(paths: dict) -> None:
    """A new company, contact or deal leads to exchanges and tasks about it (and a company to
    its deals), and to following it."""
    for path, (field, follow) in RECORD_LINKS.items():
        creates = ["/api/exchanges", "/api/tasks", *(["/api/deals"] * (field == "company_id"))]
        for status in ("201", "200"):
            links = paths[path]["post"]["responses"][status]["links"]
            for target in creates:
                op_id = paths[target]["post"]["operationId"]
                links[op_id] = {"operationId": op_id,
                                "requestBody": {field: "$response.body#/id"}}
            op_id = paths[follow]["put"]["operationId"]
            links[op_id] = {"operationId": op_id, "parameters": {"record_id": "$response.body#/id"}}


def _links_to(paths: dict, targets: list[tuple[str, str]], record: str) -> dict:
    links = {}
    for target, name in targets:
        for method, op in paths[target].items():
            link: dict[str, Any] = {"operationId": op["operationId"],
                                    "parameters": {name: f"{record}/id"}}
            if method == "patch":
                link["requestBody"] = {"version": f"{record}/version"}
            links[op["operationId"]] = link
    return links


@bp.get("/openapi.json")
@endpoint(public=True)
def openapi() -> dict:
    """The OpenAPI 3.1 document of this API."""
    return build_spec(current_app)
