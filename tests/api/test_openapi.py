"""/api/openapi.json: the contract, generated from the routes and their schemas."""

from __future__ import annotations

import re

import pytest
from werkzeug.routing import AnyConverter


@pytest.fixture()
def spec(client) -> dict:
    response = client.get("/api/openapi.json")  # public: no login needed
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def api_operations(app) -> set[tuple[str, str]]:
    """(OpenAPI path, method) for every /api rule of the URL map, `any()` choices expanded."""
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api"):
            continue
        paths = [rule.rule]
        for name, converter in rule._converters.items():
            if isinstance(converter, AnyConverter):
                placeholder = re.compile(rf"<any\([^)]*\):{name}>")
                paths = [placeholder.sub(choice, path)
                         for path in paths for choice in sorted(converter.items)]
        for path in paths:
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)
            found |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return found


def test_document_is_openapi_3_1(spec):
    assert re.fullmatch(r"3\.1\.\d+", spec["openapi"])
    assert spec["info"]["title"] and spec["info"]["version"]
    assert spec["components"]["securitySchemes"]["session"]["in"] == "cookie"


def test_every_api_route_and_method_is_documented(app, spec):
    operations = api_operations(app)
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}

    assert len(operations) >= 25
    assert ("/api/exchange-kinds/{entry_id}", "patch") in operations  # any() was expanded
    assert operations - documented == set()
    assert documented - operations == set()


def test_every_operation_has_a_summary_and_json_errors(spec):
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            assert op["summary"], (path, method)
            for status in ("401", "404", "422"):
                schema = op["responses"][status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, (path, method)
            params = {p["name"] for p in op["parameters"] if p["in"] == "path"}
            assert params == set(re.findall(r"{(\w+)}", path)), (path, method)


def resolve(spec, schema: dict) -> dict:
    ref = schema["$ref"]
    assert ref.startswith("#/components/schemas/")
    return spec["components"]["schemas"][ref.rsplit("/", 1)[1]]


def body_schemas(spec, schema: dict) -> list[dict]:
    """The object schemas a request body must satisfy (a $ref, or an allOf of them)."""
    parts = schema.get("allOf", [schema])
    return [resolve(spec, part) if "$ref" in part else part for part in parts]


def test_post_put_and_patch_have_request_schemas(spec):
    bodyless = {("/api/auth/logout", "post"), ("/api/push/test", "post"),
                ("/api/calendar-feed/rotate", "post"),
                ("/api/notifications/{notification_id}/read", "post"),
                ("/api/notifications/read-all", "post"),
                ("/api/alerts/{alert_id}/acknowledge", "post"),
                ("/api/alerts/{alert_id}/dismiss", "post")}
    for path, ops in spec["paths"].items():
        for method in ("post", "put", "patch"):
            if method not in ops or (path, method) in bodyless:
                continue
            content = ops[method]["requestBody"]["content"]
            (media, body), = content.items()
            parts = body_schemas(spec, body["schema"])
            properties = {name for part in parts for name in part.get("properties", {})}
            assert properties, (path, method)
            assert parts[0]["additionalProperties"] is False, (path, method)
            if media == "multipart/form-data":
                assert "file" in properties, path
            else:
                assert media == "application/json", (path, method)


def test_create_schemas_say_what_is_required(spec):
    company = resolve(spec, spec["paths"]["/api/companies"]["post"]["requestBody"]["content"][
        "application/json"]["schema"])
    exchange = spec["components"]["schemas"]["Exchange"]

    assert "name" in company["required"]
    assert company["properties"]["version"]["readOnly"] is True
    assert {"kind", "starts_at"} <= set(exchange["required"])
    assert exchange["properties"]["private"]["type"] == "boolean"
    location = spec["components"]["schemas"]["Location"]
    assert location["properties"]["lat"]["type"] == "number"
    assert set(location["required"]) == {"lat", "lng"}


def test_patch_bodies_require_the_version(spec):
    for path, ops in spec["paths"].items():
        if "patch" not in ops:
            continue
        parts = body_schemas(spec, ops["patch"]["requestBody"]["content"]["application/json"][
            "schema"])
        required = {name for part in parts for name in part.get("required", [])}
        assert "version" in required, path
        version = next(part["properties"]["version"] for part in parts
                       if "version" in part.get("required", []))
        assert version["type"] == "integer" and not version.get("readOnly"), path


def test_lists_are_pages_and_creates_answer_201_or_200(spec):
    listing = spec["paths"]["/api/companies"]["get"]
    page = listing["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(page["required"]) == {"items", "next_cursor"}
    assert {p["name"] for p in listing["parameters"] if p["in"] == "query"} >= {
        "limit", "cursor", "q", "owner", "status"}
    create = spec["paths"]["/api/companies"]["post"]["responses"]
    assert {"200", "201", "409"} <= set(create)
    assert set(spec["paths"]["/api/companies/{company_id}"]["delete"]["responses"]) >= {"204"}
