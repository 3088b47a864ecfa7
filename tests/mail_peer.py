"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1, collecting what it is handed.

`MailPeer` speaks SMTP as a mail relay would (EHLO, AUTH LOGIN/PLAIN when credentials are
set, MAIL, RCPT, DATA); the app's smtplib talks to it over a real socket. Accepted messages
are parsed into `received`; `refuse(n, code)` makes the next n deliveries fail at DATA with
that reply (451: try later; 550: never), for the app's retry paths.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from urllib.parse import quote

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


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


class _Handler:
    def __init__(self, peer: MailPeer) -> None:
        self.peer = peer

    async def handle_DATA(self, server, session, envelope) -> str:
        return self.peer._take(envelope, session)


class MailPeer:
    """An SMTP server on 127.0.0.1 (a free port) until stopped; `url` is its TOURNEE_SMTP_URL."""

    def __init__(self, username: str | None = None, password: str | None = None) -> None:
        self.username, self.password = username, password
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
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port,
                                     **kwargs)

    @property
    def url(self) -> str:
        creds = (f"{quote(self.username, safe='')}:{quote(self.password or '', safe='')}@"
                 if self.username is not None else "")
        return f"smtp://{creds}127.0.0.1:{self.port}"

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
