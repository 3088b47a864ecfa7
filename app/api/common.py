"""Request parsing and response building shared by the resource blueprints."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from contextvars import ContextVar
from typing import Any

from flask import Response, current_app, has_request_context, jsonify, request
from flask_login import current_user
from marshmallow import Schema

from app.api.errors import check_form
from app.api.security import SAFE_METHODS, NotLoggedIn
from app.extensions import db
from app.models.events import writing
from app.schemas.dump import dump
from app.services.errors import DomainError, Invalid
from app.services.pagination import Page


class Malformed(DomainError):
    status = 400
    code = "malformed_json"


class UnsupportedMedia(DomainError):
    status = 415
    code = "unsupported_media_type"


class ServerBusy(DomainError):
    """A request that waited its whole WRITE_TURN_WAIT_SECONDS in line: nothing was done, the
    client tries again after Retry-After (the PWA's outbox backs off as after any 5xx)."""

    status = 503
    code = "server_busy"
    retry_after = 5


_held: ContextVar[frozenset[str]] = ContextVar("turns_held", default=frozenset())


@contextmanager
def _turn(kind: str, size: int) -> Iterator[None]:
    """Hold one of the process's `size` turns of this kind (nested: free); 503 after
    WRITE_TURN_WAIT_SECONDS in line."""
    if kind in _held.get():
        yield
        return
    app = current_app._get_current_object()
    turns = app.extensions.get(kind)
    if turns is None:
        turns = app.extensions.setdefault(kind, threading.BoundedSemaphore(max(1, size)))
    if not turns.acquire(timeout=app.config["WRITE_TURN_WAIT_SECONDS"]):
        raise ServerBusy("The server is too busy to answer now: try again in a moment.")
    _held.set(_held.get() | {kind})
    try:
        yield
    finally:
        # Not a token reset: a write turn ends before the request turn taken after it, and
        # resetting out of order left "write_turns" marked held on the thread, so its next
        # requests (gunicorn reuses threads) skipped the line for writes.
        _held.set(_held.get() - {kind})
        turns.release()


def write_turn() -> AbstractContextManager[None]:
    """One of the process's write turns (WRITE_TURNS), taken holding no database connection:
    a writer waiting for SQLite's write lock or PostgreSQL's change counter holds a pooled
    connection, and under load such writers took the whole pool and readers timed out
    waiting for one (bench/run_load.py). Here they wait in line holding nothing."""
    return _turn("write_turns", current_app.config["WRITE_TURNS"])


def request_turn() -> AbstractContextManager[None]:
    """One of the process's request turns (REQUEST_TURNS): the requests running at once.
    The gthread server has a thread per open connection (hundreds, for live sockets); with
    all of them running, a writer holding the database's one write lock got a hundredth of
    the interpreter and every other writer waited for it (bench/run_load.py)."""
    return _turn("request_turns", current_app.config["REQUEST_TURNS"])


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
    file, form = request.files.get("file"), request.form.to_dict()
    check_form(form, file.filename if file is not None else None)
    data = schema.load(form)
    if file is None or not file.filename:
        raise Invalid("A file is required.", fields={"file": ["Missing file."]})
    return data, file


def endpoint(*, out: Schema | None = None, body: Schema | None = None,
             args: Schema | None = None, page: bool = False, status: int = 200,
             versioned: bool = False, public: bool = False,
             upload: Schema | None = None, turn: bool = True) -> Callable:
    """Validate the query and body with schemas, call the view, serialise what it returns.

    The same declarations feed /api/openapi.json, so the contract and the checks agree.
    The view returns a record, a Page (page=True), None (204), (record, status) or a
    ready Response (files). `upload` reads a multipart form with a `file` instead of JSON.
    Every endpoint needs a logged-in user unless it is declared public. A request runs in a
    request turn, a write in a write turn too, unless turn=False (the view takes what it
    needs itself, when it is ready). Its answer is serialised after the write turn, in a
    read: what it loads lazily needs neither the next writer to wait nor a write lock.
    """

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(**kwargs: Any) -> Response:
            writes = request.method not in SAFE_METHODS
            with ExitStack() as turns:
                write = turns.enter_context(ExitStack())
                if turn:  # a writer waits for its write turn holding no request turn
                    if writes:
                        write.enter_context(write_turn())
                    turns.enter_context(request_turn())
                kwargs = _load(kwargs)
                if not writes:
                    return _run(view, kwargs, out, page, status)
                db.session.rollback()  # the login check's read, and its connection, end here
                with writing():
                    result = view(**kwargs)
                    db.session.commit()
                write.close()  # the next writer may go on while this answer is serialised
                return _respond(result, out, page, status)

        def _load(kwargs: dict) -> dict:
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
            return kwargs

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
        payload = {"items": dump(out, result.items, many=True),
                   "next_cursor": result.next_cursor}
    else:
        payload = dump(out, result) if out is not None else result
    response = jsonify(payload)
    response.status_code = status
    return response


def request_lang() -> str:
    """The caller's language (Accept-Language, else their own), French outside a request."""
    if not has_request_context():
        return "fr"
    default = getattr(current_user, "locale", None) or "fr"
    return request.accept_languages.best_match(["fr", "en"], default=default)
