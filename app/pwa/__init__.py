"""The PWA: static files served from the root scope, no build step."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, send_from_directory

PWA_DIR = Path(__file__).resolve().parent
bp = Blueprint("pwa", __name__)

# Explicit types: some systems' mimetypes tables lack these.
CONTENT_TYPES = {
    ".webmanifest": "application/manifest+json",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
}


def _send(relative: str) -> Response:
    path = (PWA_DIR / relative).resolve()
    if PWA_DIR not in path.parents or not path.is_file() or path.suffix == ".py":
        abort(404)
    response = send_from_directory(PWA_DIR, relative, max_age=0)
    if path.suffix in CONTENT_TYPES:
        response.headers["Content-Type"] = CONTENT_TYPES[path.suffix]
    return response


@bp.get("/")
def index() -> Response:
    """Serve the app shell."""
    return _send("index.html")


@bp.get("/<path:relative>")
def static_file(relative: str) -> Response:
    """Serve a file of the PWA; unknown app routes get the shell (client-side routing)."""
    if relative.startswith("api/"):
        abort(404)
    if (PWA_DIR / relative).is_file():
        return _send(relative)
    if "." not in relative.rsplit("/", 1)[-1]:
        return _send("index.html")
    abort(404)
