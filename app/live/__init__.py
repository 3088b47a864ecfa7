"""Live updates: a broker fanning messages out to WebSockets, fed after each commit."""

from __future__ import annotations

from flask import Flask, current_app

from app.live import commit  # noqa: F401  (its session listeners publish after commit)
from app.live.broker import LocalBroker, RedisBroker


def init_app(app: Flask) -> None:
    """Give the app its broker: Redis pub/sub when configured, else in-process."""
    if app.config.get("REDIS_URL"):
        broker = RedisBroker(app.config["REDIS_URL"], f"{app.config['REDIS_PREFIX']}:live")
    else:
        broker = LocalBroker()
    app.extensions["live"] = broker
    app.config.setdefault("SOCK_SERVER_OPTIONS", {
        "ping_interval": app.config["LIVE_PING_SECONDS"],
        "max_message_size": 4096,  # the client sends nothing; a pong or a close is tiny
    })


def broker() -> LocalBroker:
    """The current app's broker."""
    return current_app.extensions["live"]
