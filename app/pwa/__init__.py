"""The PWA: static files served from the root scope, no build step."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import mimetypes
from pathlib import Path

import brotli
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
    return _shell_response(path.read_bytes(), content_type, compress=path.suffix in TEXT)


# Text files are sent compressed when the browser takes it: brotli (about 15% smaller than
# gzip on the shell), else gzip. Each body is compressed once per content, at the highest
# level (the shell is ~110 files: under half a second in all), and kept in memory.
TEXT = {".js", ".mjs", ".css", ".html", ".json", ".webmanifest", ".svg"}
ENCODERS = {"br": lambda data: brotli.compress(data, quality=11),
            "gzip": lambda data: gzip.compress(data, 9, mtime=0)}
_encoded: dict[tuple[str, bytes], bytes] = {}


def _shell_response(data: bytes, content_type: str, compress: bool,
                    headers: dict | None = None) -> Response:
    """A shell file's response: compressed as the request accepts, with its ETag (one per
    encoding), answered 304 when the browser's copy is current."""
    headers = {"Cache-Control": "no-cache", **(headers or {})}
    if compress:
        headers["Vary"] = "Accept-Encoding"
        coding = next((c for c in ENCODERS if request.accept_encodings[c] > 0), None)
        if coding is not None:
            data = _encode(data, coding)
            headers["Content-Encoding"] = coding
    response = Response(data, content_type=content_type, headers=headers)
    response.add_etag()  # from the bytes sent: each encoding has its own
    return response.make_conditional(request)


def _encode(data: bytes, coding: str) -> bytes:
    key = (coding, hashlib.sha256(data).digest())
    if key not in _encoded:
        if len(_encoded) > 1000:  # files changed under a running server, many times over
            _encoded.clear()
        _encoded[key] = ENCODERS[coding](data)
    return _encoded[key]


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
    """The version, and each shell URL with a short hash of its bytes: the worker takes a file
    the page has just loaded from the browser's HTTP cache when its bytes hash to this,
    without asking the server again. The shell page is listed once, as "/"."""
    digest = hashlib.sha256()
    hashes = {}
    for path in paths:
        relative = path.relative_to(PWA_DIR).as_posix()
        data = path.read_bytes()
        digest.update(relative.encode() + b"\0" + data + b"\0")
        if path.name != "service-worker.js":
            hashes["/" if relative == "index.html" else f"/{relative}"] = short_hash(data)
    return {"version": digest.hexdigest()[:16], "files": list(hashes), "hashes": hashes}


def short_hash(data: bytes) -> str:
    """The first 8 bytes of the SHA-256, base64url without padding (js/sw/caches.js computes
    the same). It tells a stale copy from the current one; nothing here needs to resist a
    forger (the files and the worker come from the same origin), and full SRI hashes were 3 KB
    more to send on every first visit."""
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()[:8]).decode().rstrip("=")


@bp.get("/service-worker.js")
def service_worker() -> Response:
    """The worker, preceded by its precache list: a changed file makes a new worker."""
    shell = precache_manifest()  # the URLs are the hash map's keys: sent once
    manifest = json.dumps({"version": shell["version"], "files": shell["hashes"]},
                          separators=(",", ":"))
    body = f"const PRECACHE = {manifest};\n" + (PWA_DIR / "service-worker.js").read_text()
    return _shell_response(body.encode(), CONTENT_TYPES[".js"], compress=True,
                           headers={"Service-Worker-Allowed": "/"})


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
