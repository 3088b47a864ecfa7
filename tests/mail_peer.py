"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1, collecting what it is handed.

`MailPeer` speaks SMTP as a mail relay would (EHLO, AUTH LOGIN/PLAIN when credentials are
set, MAIL, RCPT, DATA); the app's smtplib talks to it over a real socket. Accepted messages
are parsed into `received`; `refuse(n, code)` makes the next n deliveries fail at DATA with
that reply (451: try later; 550: never), for the app's retry paths. With `tls="starttls"` it
offers STARTTLS, with `tls="implicit"` it speaks TLS from the first byte (smtps), both with a
certificate made for 127.0.0.1 that only `client_context()` trusts.
"""

from __future__ import annotations

import datetime
import ipaddress
import socket
import ssl
import tempfile
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class Delivered:
    """One message the peer accepted."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    login: str | None

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate and key for 127.0.0.1, written to `folder`."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "peer.crt", folder / "peer.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class _Handler:
    def __init__(self, peer: MailPeer) -> None:
        self.peer = peer

    async def handle_DATA(self, server, session, envelope) -> str:
        return self.peer._take(envelope, session)


class MailPeer:
    """An SMTP server on 127.0.0.1 (a free port) until stopped; `url` is its TOURNEE_SMTP_URL."""

    def __init__(self, username: str | None = None, password: str | None = None,
                 tls: str | None = None) -> None:
        self.username, self.password, self.tls = username, password, tls
        self.received: list[Delivered] = []
        self.attempts: list[int] = []  # the reply code of each DATA
        self._refusals: list[int] = []
        self._lock = threading.Lock()
        self.port = free_port()
        kwargs = {}
        if username is not None:
            # AUTH offered on a plain connection (loopback only); each delivery records the
            # login it came with.
            kwargs = {"authenticator": self._authenticate, "auth_require_tls": False}
        if tls is not None:
            self._folder = tempfile.TemporaryDirectory()
            self.cert, key = self_signed(Path(self._folder.name))
            server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            server.load_cert_chain(self.cert, key)
            kwargs["ssl_context" if tls == "implicit" else "tls_context"] = server
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port,
                                     **kwargs)

    def client_context(self) -> ssl.SSLContext:
        """A client TLS context that trusts this peer's certificate (and only it)."""
        return ssl.create_default_context(cafile=str(self.cert))

    @property
    def url(self) -> str:
        creds = (f"{quote(self.username, safe='')}:{quote(self.password or '', safe='')}@"
                 if self.username is not None else "")
        scheme = {None: "smtp", "starttls": "smtp+starttls", "implicit": "smtps"}[self.tls]
        return f"{scheme}://{creds}127.0.0.1:{self.port}"

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login.decode() == self.username
              and auth_data.password.decode() == self.password)
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    def refuse(self, times: int, code: int = 451) -> None:
        """Answer the next `times` deliveries with `code` at DATA."""
        with self._lock:
            self._refusals += [code] * times

    def _take(self, envelope, session) -> str:
        with self._lock:
            if self._refusals:
                code = self._refusals.pop(0)
                self.attempts.append(code)
                return f"{code} {'4.3.0 Try again later' if code < 500 else '5.7.1 Refused'}"
            self.attempts.append(250)
            message = message_from_bytes(envelope.content, policy=policy.default)
            auth = session.auth_data
            login = auth.login.decode() if isinstance(auth, LoginPassword) else None
            self.received.append(Delivered(envelope.mail_from, list(envelope.rcpt_tos),
                                           message, login))
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Delivered]:
        """The first `count` messages, once they are in (what there is after `timeout`)."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.received)

    def to(self, address: str) -> list[Delivered]:
        """What was delivered to this address."""
        return [d for d in self.received if address in d.rcpt_tos]

    def __enter__(self) -> MailPeer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
        if self.tls is not None:
            self._folder.cleanup()
