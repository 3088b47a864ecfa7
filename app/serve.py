"""`tournee serve`: the app under gunicorn's threaded worker, sized for WebSockets.

An open /api/live socket holds a worker thread for its life (flask-sock on gthread), so a
process accepts a connection only when it has a thread free for it: a process full of sockets
leaves new connections to the others (or to the listen queue until a thread frees), instead
of queueing a request behind sockets that never finish. Why gthread rather than gevent:
docs/decisions.md.
"""

from __future__ import annotations

import re
import time
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger
from gunicorn.workers.gthread import ThreadWorker
from werkzeug.middleware.proxy_fix import ProxyFix

# Host, request (path only: queries carry searched names), status, bytes, time, user agent.
ACCESS_LOG_FORMAT = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'
SECRET_PATHS = re.compile(r"^(/calendar/)[^/]+(\.ics)$")  # the token is the feed's only key


class ServeError(Exception):
    """A serving setup that would not work as asked."""


def trust_proxy(app: Flask) -> None:
    """Read the client's address and scheme from X-Forwarded-For/-Proto, only when configured:
    behind TLS this is how the app knows its pages are https (the live socket's Origin check)
    and whom a failed login came from."""
    count = app.config.get("PROXY_COUNT", 0)
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]


class SocketThreadWorker(ThreadWorker):
    """gthread that accepts a connection only when a thread is free to serve it.

    Plain gthread accepts up to worker_connections and queues requests for its threads; with
    every thread held by a WebSocket, a queued request would wait for a socket to close. Its
    own limit does not help: at worker_connections it stops reading the connections it holds
    too, so the last one accepted is never served. No keep-alive (keepalive=0): every open
    connection is a request being served, or about to be.
    """

    def accept(self, server: Any, listener: Any) -> None:
        if self.nr_conns >= self.cfg.threads:
            time.sleep(0.05)  # the listener stays readable: do not spin while full
            return
        super().accept(server, listener)


class RedactingLogger(Logger):
    """Gunicorn's logger, with calendar feed tokens cut out of the access log."""

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = SECRET_PATHS.sub(r"\1…\2", atoms.get("U") or "")
        return atoms


def workers_for(config: dict) -> int:
    """How many processes: as configured, else 2 with Redis and 1 without; several processes
    without Redis are refused (live messages would reach only one process's sockets)."""
    workers = config["WEB_WORKERS"] or (2 if config.get("REDIS_URL") else 1)
    if workers > 1 and not config.get("REDIS_URL"):
        raise ServeError(
            f"{workers} processes need TOURNEE_REDIS_URL: without Redis, a change made through "
            "one process is never announced to the sockets of the others. Set it, or "
            "TOURNEE_WORKERS=1.")
    return workers


def gunicorn_options(config: dict, host: str, port: int, workers: int, threads: int) -> dict:
    """Gunicorn settings from the app's config."""
    return {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": workers,
        "worker_class": SocketThreadWorker,
        "threads": threads,
        "worker_connections": threads + 1,  # never reached: SocketThreadWorker stops before
        "keepalive": 0,  # each request opens its own connection: next to nothing on loopback
        "graceful_timeout": config["WEB_GRACEFUL_SECONDS"],
        "timeout": 30,  # a worker silent this long (its main loop, not a request) is replaced
        "max_requests": config["WEB_MAX_REQUESTS"],
        "max_requests_jitter": config["WEB_MAX_REQUESTS"] // 10,
        # Forwarded headers are ProxyFix's job (trust_proxy), with TOURNEE_PROXY_COUNT.
        "forwarded_allow_ips": "",
        "secure_scheme_headers": {},
        "accesslog": "-" if config["ACCESS_LOG"] else None,
        "access_log_format": ACCESS_LOG_FORMAT,
        "logger_class": RedactingLogger,
        "errorlog": "-",
        "proc_name": "tournee",
        "preload_app": False,  # each process builds its own app: no connection crosses a fork
    }


class TourneeServer(BaseApplication):
    """Gunicorn run from Python: each worker process calls create_app() once."""

    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        from app import create_app

        return create_app()


def serve(options: dict) -> None:
    """Run gunicorn in the foreground until SIGTERM or SIGINT."""
    TourneeServer(options).run()
