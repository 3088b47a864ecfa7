"""The one error shape: {"error": {"code", "message", "fields"}} (+ "current" on 409)."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, request
from marshmallow import ValidationError
from sqlalchemy.exc import DataError, IntegrityError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map

from app.api.messages import localise, localise_fields
from app.extensions import db
from app.services.errors import Conflict, DomainError, unstorable

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


class NulCharacter(DomainError):
    status = 400
    code = "invalid_characters"

    def __init__(self) -> None:
        super().__init__("Text may not contain the NUL character.")


def _holds_nul(value: object) -> bool:
    """True if any string in a parsed JSON value (keys included) cannot be stored; no
    recursion, so a deeply nested body cannot exhaust the stack."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if unstorable(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def refuse_nul_characters() -> None:
    """No text may carry U+0000: PostgreSQL cannot store it and no person types it. Checked on
    the API's paths, query strings and JSON bodies (upload forms: check_form()), on every
    database alike (outside /api, calendar feeds answer 404 to a token they never made)."""
    if not request.path.startswith("/api"):
        return
    if unstorable(request.path) or any(unstorable(k) or unstorable(v)
                                       for k, v in request.args.items(multi=True)):
        raise NulCharacter()
    if request.is_json:
        try:
            data = request.get_json(silent=True)
        except RecursionError:
            return  # json_object() answers it
        if _holds_nul(data):
            raise NulCharacter()


def check_form(form: dict, filename: str | None) -> None:
    """The same for an upload's fields, once its own size limit is set."""
    if _holds_nul([*form.keys(), *form.values(), filename or ""]):
        raise NulCharacter()


def register(app: Flask) -> None:
    """Install the handlers once for the whole app."""
    app.before_request(refuse_nul_characters)

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> Response:
        db.session.rollback()
        extra = _current(error) if isinstance(error, Conflict) else {}
        response = error_response(error.status, error.code, error.message, error.fields,
                                  **extra)
        if error.retry_after is not None:
            response.headers["Retry-After"] = str(error.retry_after)
        return response

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

    @app.errorhandler(DataError)
    def data_error(error: DataError) -> Response:
        # A value the database refuses (out of its range, say) that no check caught first:
        # the transaction is rolled back whole, the caller told.
        db.session.rollback()
        log.warning("data error on %s %s: %s", request.method, request.path, error.orig)
        return error_response(400, "invalid_value", "A value is outside what can be stored.")

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
