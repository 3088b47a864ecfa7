"""Security headers on every response: pages, API answers, errors, the manifest, the worker.

The PWA loads nothing but its own files (ES modules, no inline script or style element), so
the policy can be strict. Images may be `blob:`/`data:` (photos picked offline are shown from
blobs before they are uploaded).
"""

from __future__ import annotations

from flask import Flask, Response

# `default-src 'self'` is what scripts, styles, fetches, fonts, the manifest and workers fall
# back to; naming each again said nothing more and cost ~140 bytes on each of the hundred-odd
# responses of a first visit (nginx's HTTP/2 does not index response headers).
CSP = "; ".join([
    "default-src 'self'",
    "img-src 'self' data: blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
])
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), geolocation=(self), microphone=(), payment=()",
}
HSTS = "max-age=63072000; includeSubDomains"


def init_app(app: Flask) -> None:
    """Add the headers to every response of this app (HSTS only when served over TLS)."""
    https = bool(app.config.get("SESSION_COOKIE_SECURE"))

    @app.after_request
    def _security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if https:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
