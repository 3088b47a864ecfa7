"""/api/openapi.json: the contract, generated from the routes and their schemas."""

from __future__ import annotations

import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Blueprint, Flask, current_app

from app.api.common import endpoint

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


def _schema_name(schema: Any) -> str:
    cls = resolve_schema_cls(schema)
    name = cls.__name__.removesuffix("Schema")
    if getattr(schema, "only", None):  # a subset of fields, e.g. an upload form
        return f"{name}Form"
    return f"{name}Patch" if getattr(schema, "partial", False) else name


def _paths(rule: str) -> list[str]:
    """Flask rule -> OpenAPI path(s); an `any(...)` converter becomes one path per value."""
    choice = re.search(r"<any\(([^)]*)\):(\w+)>", rule)
    if choice:
        options = [o.strip().strip("\"") for o in choice.group(1).split(",")]
        return [p for o in options for p in _paths(rule.replace(choice.group(0), o))]
    return [re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)]


def _operation(doc: dict, path: str, status_ok: str) -> dict:
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
            body = {"allOf": [body, {"type": "object", "required": ["version"], "properties": {
                "version": {"type": "integer", "description": "The version edited."}}}]}
        op["requestBody"] = {"required": True,
                             "content": {"application/json": {"schema": body}}}
    if doc.get("upload") is not None:
        op["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": {
            "allOf": [doc["upload"], {"type": "object", "required": ["file"], "properties": {
                "file": {"type": "string", "contentMediaType": "application/octet-stream"}}}]}}}}
    op["responses"][status_ok] = _success(doc)
    for status, text in ERROR_STATUSES.items():
        op["responses"][status] = {"description": text, "content": {
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
    spec = APISpec(title="Tournée API", version="1", openapi_version="3.1.0",
                   plugins=[MarshmallowPlugin(schema_name_resolver=_schema_name)])
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
                op = _operation(doc, path, str(doc["status"]))
                if status_ok != str(doc["status"]):
                    op["responses"][status_ok] = _success(doc)
                spec.path(path=path, operations={method.lower(): op})
    return spec.to_dict()


@bp.get("/openapi.json")
@endpoint(public=True)
def openapi() -> dict:
    """The OpenAPI 3.1 document of this API."""
    return build_spec(current_app)
