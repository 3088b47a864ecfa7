"""The PWA: static files served from the root scope, no build step."""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
from pathlib import Path

from flask import Blueprint, Response, abort, request

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
    served = path.suffix not in NOT_SHELL and "__pycache__" not in path.parts
    if PWA_DIR not in path.parents or not path.is_file() or not served \
            or path.name.startswith("."):
        abort(404)
    # Shell files are small: sent from memory, so a client that goes away mid-download never
    # leaves an open file behind (send_file's wrapper did, under the browser tests).
    content_type = CONTENT_TYPES.get(path.suffix) or (
        mimetypes.guess_type(path.name)[0] or "application/octet-stream")
    response = Response(path.read_bytes(), content_type=content_type,
                        headers={"Cache-Control": "no-cache"})
    response.add_etag()
    return response.make_conditional(request)


# Files the service worker must not precache: server code, notes, licences, itself.
NOT_SHELL = {".py", ".md", ".pyc"}
# Served, but not precached: only the system's install prompt and home screen use them, and
# the browser fetches them itself then; precached, every first visit downloaded them too.
INSTALL_ONLY = {"icons/icon-512.png", "icons/icon-maskable-512.png"}


def shell_files() -> list[Path]:
    """Every file the app shell is made of, in a stable order."""
    return sorted(p for p in PWA_DIR.rglob("*")
                  if p.is_file() and p.suffix not in NOT_SHELL and "__pycache__" not in p.parts
                  and not p.name.startswith(("LICENSE", ".")) and p.name != "service-worker.js"
                  and p.relative_to(PWA_DIR).as_posix() not in INSTALL_ONLY)


_manifests: dict[tuple, dict] = {}


def precache_manifest() -> dict:
    """The shell's file list and a version that changes whenever any byte of it does.

    Browsers ask for the worker on every navigation: files are hashed again only when their
    list, sizes or modification times changed."""
    paths = [*shell_files(), PWA_DIR / "service-worker.js"]
    signature = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
    if signature not in _manifests:
        _manifests.clear()
        _manifests[signature] = _hash_manifest(paths)
    return _manifests[signature]


def _hash_manifest(paths: list[Path]) -> dict:
    """The version, the shell's URLs, and each URL's Subresource Integrity value: the worker
    takes a file the page has just loaded from the browser's HTTP cache when its bytes are
    these, without asking the server again."""
    digest = hashlib.sha256()
    urls = ["/"]
    integrity = {}
    for path in paths:
        relative = path.relative_to(PWA_DIR).as_posix()
        data = path.read_bytes()
        digest.update(relative.encode() + b"\0" + data + b"\0")
        if path.name != "service-worker.js":
            urls.append(f"/{relative}")
            integrity[f"/{relative}"] = _sri(data)
    integrity["/"] = integrity["/index.html"]
    return {"version": digest.hexdigest()[:16], "files": urls, "integrity": integrity}


def _sri(data: bytes) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode()


@bp.get("/service-worker.js")
def service_worker() -> Response:
    """The worker, preceded by its precache list: a changed file makes a new worker."""
    shell = precache_manifest()  # the URLs are the integrity map's keys: sent once
    manifest = json.dumps({"version": shell["version"], "integrity": shell["integrity"]},
                          separators=(",", ":"))
    body = f"const PRECACHE = {manifest};\n" + (PWA_DIR / "service-worker.js").read_text()
    return Response(body, content_type=CONTENT_TYPES[".js"],
                    headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"})


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
