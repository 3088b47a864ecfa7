"""Request parsing and response building shared by the resource blueprints."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Response, current_app, has_request_context, jsonify, request
from flask_login import current_user
from marshmallow import Schema

from app.api.security import SAFE_METHODS, NotLoggedIn
from app.extensions import db
from app.models.events import writing
from app.services.errors import DomainError, Invalid
from app.services.pagination import Page


class Malformed(DomainError):
    status = 400
    code = "malformed_json"


class UnsupportedMedia(DomainError):
    status = 415
    code = "unsupported_media_type"


def json_object() -> dict:
    """Return the request's JSON object, or raise 415 / 400."""
    if not request.is_json:
        raise UnsupportedMedia("Send JSON with Content-Type: application/json.")
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # nesting deeper than the JSON parser will follow
        data = None
    if data is None:
        raise Malformed("The body is not valid JSON.")
    if not isinstance(data, dict):
        raise Malformed("The body must be a JSON object.")
    return data


def pop_version(data: dict) -> int:
    """Take the `version` a PATCH was made against out of the body."""
    version = data.pop("version", None)
    if isinstance(version, bool) or not isinstance(version, int):
        raise Invalid("The version you edited is required.",
                      fields={"version": ["An integer is required."]})
    return version


def upload_form(schema: Schema, max_bytes: int) -> tuple[dict, Any]:
    """Return the checked fields and the file of a multipart upload, or raise 415 / 422."""
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMedia("Send the file as multipart/form-data.")
    request.max_content_length = max_bytes + 64 * 1024  # room for the form's own fields
    data = schema.load(request.form.to_dict())
    file = request.files.get("file")
    if file is None or not file.filename:
        raise Invalid("A file is required.", fields={"file": ["Missing file."]})
    return data, file


def endpoint(*, out: Schema | None = None, body: Schema | None = None,
             args: Schema | None = None, page: bool = False, status: int = 200,
             versioned: bool = False, public: bool = False,
             upload: Schema | None = None) -> Callable:
    """Validate the query and body with schemas, call the view, serialise what it returns.

    The same declarations feed /api/openapi.json, so the contract and the checks agree.
    The view returns a record, a Page (page=True), None (204), (record, status) or a
    ready Response (files). `upload` reads a multipart form with a `file` instead of JSON.
    Every endpoint needs a logged-in user unless it is declared public.
    """

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(**kwargs: Any) -> Response:
            if not public and not current_user.is_authenticated:
                raise NotLoggedIn("Log in first.")
            if args is not None:
                kwargs["args"] = args.load(request.args)
            if body is not None:
                data = json_object()
                if versioned:
                    kwargs["version"] = pop_version(data)
                kwargs["data"] = body.load(data)
            if upload is not None:
                limit = current_app.config["MAX_UPLOAD_BYTES"]
                kwargs["data"], kwargs["file"] = upload_form(upload, limit)
            if request.method in SAFE_METHODS:
                return _run(view, kwargs, out, page, status)
            with writing():
                db.session.rollback()  # the login check may have begun a read transaction
                return _run(view, kwargs, out, page, status)

        wrapper.api_doc = {"out": out, "body": body, "args": args, "page": page,
                           "status": status, "versioned": versioned, "public": public,
                           "upload": upload,
                           "summary": view.__doc__}
        return wrapper

    return decorate


def _run(view: Callable, kwargs: dict, out: Schema | None, page: bool, status: int) -> Response:
    result = view(**kwargs)
    db.session.commit()
    return _respond(result, out, page, status)


def _respond(result: Any, out: Schema | None, page: bool, status: int) -> Response:
    if isinstance(result, tuple):
        result, status = result
    if result is None:
        return Response(status=204)
    if isinstance(result, Response):  # a file, sent as it is
        return result
    if page:
        assert isinstance(result, Page)
        payload = {"items": out.dump(result.items, many=True), "next_cursor": result.next_cursor}
    else:
        payload = out.dump(result) if out is not None else result
    response = jsonify(payload)
    response.status_code = status
    return response


def request_lang() -> str:
    """The caller's language (Accept-Language, else their own), French outside a request."""
    if not has_request_context():
        return "fr"
    default = getattr(current_user, "locale", None) or "fr"
    return request.accept_languages.best_match(["fr", "en"], default=default)
