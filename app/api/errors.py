"""The one error shape: {"error": {"code", "message", "fields"}} (+ "current" on 409)."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, request
from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map

from app.api.messages import localise, localise_fields
from app.extensions import db
from app.services.errors import Conflict, DomainError

log = logging.getLogger(__name__)

HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
              415: "unsupported_media_type", 422: "validation_error", 429: "rate_limited"}


def error_response(status: int, code: str, message: str, fields: dict | None = None,
                   **extra) -> Response:
    """Build the error body every client can rely on."""
    body: dict = {"code": code, "message": localise(message)}
    if fields:
        body["fields"] = localise_fields(fields)
    response = jsonify({"error": body, **extra})
    response.status_code = status
    return response


def flatten(messages) -> dict[str, list[str]]:
    """marshmallow nests messages for lists and nested schemas; clients get one level."""
    if isinstance(messages, list):
        return {"_schema": [str(m) for m in messages]}
    flat: dict[str, list[str]] = {}
    for key, value in messages.items():
        if isinstance(value, dict):
            for sub, msgs in flatten(value).items():
                flat[f"{key}.{sub}"] = msgs
        else:
            flat[str(key)] = [str(m) for m in value]
    return flat


def _api_methods(app: Flask, path: str) -> list[str]:
    """Methods the API's own routes answer at `path`, the PWA's GET catch-all set aside."""
    api_map = app.extensions.get("tournee_api_url_map")
    if api_map is None:
        api_map = Map([rule.empty() for rule in app.url_map.iter_rules()
                       if rule.rule.startswith("/api")])
        app.extensions["tournee_api_url_map"] = api_map
    return api_map.bind("localhost").allowed_methods(path)


def _current(error: Conflict) -> dict:
    from app.api.serialise import dump_any

    return {"current": dump_any(error.current)} if error.current is not None else {}


def register(app: Flask) -> None:
    """Install the handlers once for the whole app."""

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> Response:
        db.session.rollback()
        extra = _current(error) if isinstance(error, Conflict) else {}
        return error_response(error.status, error.code, error.message, error.fields, **extra)

    @app.errorhandler(ValidationError)
    def validation_error(error: ValidationError) -> Response:
        db.session.rollback()
        return error_response(422, "validation_error", "Some fields are not valid.",
                              flatten(error.messages))

    @app.errorhandler(IntegrityError)
    def integrity_error(error: IntegrityError) -> Response:
        db.session.rollback()
        log.warning("integrity error: %s", error.orig)
        return error_response(409, "integrity_conflict", "This change conflicts with stored data.")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        if not request.path.startswith("/api"):
            return error
        if error.code == 405 and not _api_methods(app, request.path):
            # Only the PWA's catch-all matched (PATCH /api/companies/not-a-uuid): no such thing.
            return error_response(404, "not_found", "No such resource in the API.")
        code = HTTP_CODES.get(error.code or 500, "http_error")
        response = error_response(error.code or 500, code, error.description or code)
        if error.code == 405 and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal_error", "Something went wrong on our side.")
