"""A fake Web Push service for the test suite and benchmarks: a real peer, not a mock.

`PushPeer` is an HTTP server on 127.0.0.1 in the role of a browser vendor's push service. The
app's pywebpush calls reach it over real HTTP, and each POST is checked as a real service would:
VAPID (RFC 8292: an ES256 JWT whose signature verifies under `k`, `aud` = the endpoint's origin,
`exp` in the next 24 h, `sub` mailto:/https:, `k` = `expected_public_key` when set), RFC 8030
headers (integer TTL, Urgency, Topic, body <= 4096 bytes) and RFC 8291 encryption: the body must
be aes128gcm and really decrypt with the keys of the `FakeDevice`, the browser side. A test that
passes against it shows the message would reach a browser and be readable there. Failed checks
answer 400/401/403/404/413 into `rejections`; good deliveries go to `received`; `script()`
makes the peer answer 410, 429, 503... for the app's cleanup and retry paths.
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

MAX_BODY = 4096
URGENCIES = frozenset({"very-low", "low", "normal", "high"})
_TOPIC = re.compile(r"[A-Za-z0-9_-]{1,32}")
_TTL = re.compile(r"[0-9]{1,10}")
_AUTH_PARAM = re.compile(r"([A-Za-z]+)\s*=\s*([^,\s]+)")


def b64url(data: bytes) -> str:
    """Encode bytes as base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode base64url with or without padding."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class FakeDevice:
    """The browser side of one push subscription: an ECDH P-256 key pair and an auth secret."""

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth_secret = os.urandom(16)
        self.token: str | None = None  # set by PushPeer.new_device()
        self.public_bytes = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )

    def subscription_info(self, endpoint: str) -> dict[str, Any]:
        """Return what `PushSubscription.toJSON()` gives for this device at `endpoint`."""
        keys = {"p256dh": b64url(self.public_bytes), "auth": b64url(self.auth_secret)}
        return {"endpoint": endpoint, "keys": keys}

    def decrypt(self, body: bytes) -> bytes:
        """Decrypt an RFC 8291 aes128gcm message body."""
        return http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm"
        )


@dataclass(frozen=True)
class Received:
    """One delivery the peer accepted (answered 2xx)."""

    token: str
    ttl: int
    urgency: str | None
    topic: str | None
    payload: Any
    claims: dict[str, Any]
    public_key: str


class Rejected(Exception):
    """A failed check; args are (HTTP status, reason)."""


def verify_vapid(header: str | None, audience: str) -> tuple[dict[str, Any], str]:
    """Check an RFC 8292 Authorization header; return (claims, k) or raise Rejected(401)."""
    scheme, _, params = (header or "").strip().partition(" ")
    if scheme.lower() != "vapid":
        raise Rejected(401, f"Authorization scheme is not vapid: {header!r}")
    parts = dict(_AUTH_PARAM.findall(params))
    if not {"t", "k"} <= parts.keys():
        raise Rejected(401, f"Authorization lacks t= or k=: {header!r}")
    try:
        signing_input, _, signature = parts["t"].rpartition(".")
        head, _, body = signing_input.partition(".")
        if json.loads(b64url_decode(head)).get("alg") != "ES256":
            raise Rejected(401, "JWT alg is not ES256")
        raw_sig, raw_key = b64url_decode(signature), b64url_decode(parts["k"])
        if len(raw_sig) != 64 or len(raw_key) != 65 or raw_key[0] != 4:
            raise Rejected(401, "JWT signature or k has the wrong length or form")
        der = encode_dss_signature(int.from_bytes(raw_sig[:32]), int.from_bytes(raw_sig[32:]))
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw_key)
        key.verify(der, signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256()))
        claims = json.loads(b64url_decode(body))
        if not isinstance(claims, dict):
            raise Rejected(401, "JWT claims are not an object")
    except InvalidSignature:
        raise Rejected(401, "JWT signature does not verify under k") from None
    except (ValueError, TypeError, AttributeError) as exc:
        raise Rejected(401, f"malformed JWT or k: {exc}") from None
    now = time.time()
    exp = claims.get("exp")
    if claims.get("aud") != audience:
        raise Rejected(401, f"aud {claims.get('aud')!r} is not {audience!r}")
    if not isinstance(exp, int | float) or isinstance(exp, bool) or exp <= now:
        raise Rejected(401, f"exp {exp!r} is missing or past")
    if exp > now + 86400:
        raise Rejected(401, f"exp {exp} is more than 24 h ahead")
    if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
        raise Rejected(401, f"sub {claims.get('sub')!r} is not mailto: or https:")
    return claims, parts["k"]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections end on their own
    server: Any  # the ThreadingHTTPServer, with a `peer` attribute

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""

    def do_POST(self) -> None:
        """Hand the request to the peer and write its answer."""
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, extra, text = self.server.peer._handle(self.path, self.headers, body)
        payload = text.encode()
        self.send_response(status)
        for name, value in {**extra, "Content-Length": str(len(payload))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)


class PushPeer:
    """A push service on 127.0.0.1 that verifies, decrypts and records what it is sent."""

    def __init__(self) -> None:
        self.expected_public_key: str | None = None
        self.delay = 0.0
        self.received: list[Received] = []
        self.attempts: list[tuple[str, int]] = []
        self.rejections: list[tuple[str, str]] = []
        self._devices: dict[str, FakeDevice] = {}
        self._scripts: dict[str, deque[tuple[int, int | None]]] = {}
        self._cond = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> PushPeer:
        """Bind a free port and serve in a daemon thread."""
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads, self._server.peer = True, self  # type: ignore[attr-defined]
        serve = self._server.serve_forever  # polled every 50 ms so that stop() is quick
        self._thread = threading.Thread(target=serve, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        if self._server is not None and self._thread is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
            self._server = self._thread = None

    def __enter__(self) -> PushPeer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def origin(self) -> str:
        """The scheme, host and port of the endpoints: what a VAPID `aud` must be."""
        assert self._server is not None, "PushPeer is not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def new_device(self) -> tuple[FakeDevice, dict[str, Any]]:
        """Register a fresh device; return it and its subscription info."""
        device, token = FakeDevice(), secrets.token_urlsafe(16)
        device.token = token
        with self._cond:
            self._devices[token] = device
        return device, device.subscription_info(f"{self.origin}/push/{token}")

    @staticmethod
    def token_of(device: FakeDevice | str) -> str:
        """Return the token a device was registered under (a token is returned as is)."""
        token = device if isinstance(device, str) else device.token
        if token is None:
            raise KeyError("device is not registered with a PushPeer")
        return token

    def script(
        self, device: FakeDevice | str, *statuses: int, retry_after: int | None = None
    ) -> None:
        """Queue the statuses to answer to that device's next valid requests."""
        token = self.token_of(device)
        with self._cond:
            self._scripts.setdefault(token, deque()).extend((s, retry_after) for s in statuses)

    def received_by(self, device: FakeDevice | str) -> list[Received]:
        """Return the deliveries accepted for one device."""
        token = self.token_of(device)
        with self._cond:
            return [r for r in self.received if r.token == token]

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Received]:
        """Block until `count` deliveries were accepted; AssertionError after `timeout`."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self.received) >= count, timeout):
                raise AssertionError(
                    f"expected {count} deliveries within {timeout}s, got {len(self.received)}:"
                    f" {self.received!r}; rejections: {self.rejections!r}"
                )
            return list(self.received)

    def _handle(self, path: str, headers: Any, body: bytes) -> tuple[int, dict[str, str], str]:
        """Check one POST; return (status, extra headers, response text)."""
        if self.delay:
            time.sleep(self.delay)
        prefix, _, token = path.partition("/push/")
        with self._cond:
            device = self._devices.get(token) if not prefix else None
        try:
            if device is None:
                raise Rejected(404, f"no subscription at {path}")
            received = self._check(token, device, headers, body)
        except Rejected as exc:
            status, reason = exc.args
            with self._cond:
                self.rejections.append((token or path, reason))
                self.attempts.append((token or path, status))
            return status, {}, reason
        with self._cond:
            queue = self._scripts.get(token)
            status, retry_after = queue.popleft() if queue else (201, None)
            self.attempts.append((token, status))
            if 200 <= status < 300:
                self.received.append(received)
                self._cond.notify_all()
        extra = {"Location": f"{self.origin}/message/{secrets.token_urlsafe(8)}"}
        if retry_after is not None:
            extra["Retry-After"] = str(retry_after)
        return status, extra, "" if status < 300 else f"scripted {status}"

    def _check(self, token: str, device: FakeDevice, headers: Any, body: bytes) -> Received:
        """Run the push-service checks on one request and decrypt its body."""
        claims, key = verify_vapid(headers.get("Authorization"), self.origin)
        expected = self.expected_public_key
        if expected is not None and b64url_decode(key) != b64url_decode(expected):
            raise Rejected(403, f"k {key} is not the expected application server key")
        ttl = headers.get("TTL")
        if ttl is None or not _TTL.fullmatch(ttl):
            raise Rejected(400, f"TTL {ttl!r} is not a non-negative integer")
        urgency, topic = headers.get("Urgency"), headers.get("Topic")
        if urgency is not None and urgency not in URGENCIES:
            raise Rejected(400, f"Urgency {urgency!r} is not one of {sorted(URGENCIES)}")
        if topic is not None and not _TOPIC.fullmatch(topic):
            raise Rejected(400, f"Topic {topic!r} is not 1-32 base64url characters")
        if headers.get("Content-Encoding") != "aes128gcm":
            raise Rejected(400, f"Content-Encoding {headers.get('Content-Encoding')!r}")
        if not 0 < len(body) <= MAX_BODY:  # RFC 8030 section 7.2: 413 when too large
            raise Rejected(413 if body else 400, f"body of {len(body)} bytes, not 1-{MAX_BODY}")
        try:
            plain = device.decrypt(body)
        except Exception as exc:
            raise Rejected(400, f"body does not decrypt: {exc!r}") from None
        try:
            payload: Any = json.loads(plain)
        except ValueError:
            payload = plain
        return Received(token, int(ttl), urgency, topic, payload, claims, key)
