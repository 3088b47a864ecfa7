"""Fan-out of live messages to the sockets of this process, or of every process via Redis.

Each socket is a Connection with its own bounded queue, emptied by the one thread that sends on
that socket. Publishing never blocks on a slow client: a full queue drops the message, which is
only a hint (the next pull catches up).
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from redis import Redis
from redis.exceptions import RedisError

log = logging.getLogger("tournee.live")

QUEUE_SIZE = 256


def texts_in(texts: dict, lang: str) -> dict:
    """A message's title and body in this language (French when it has no such language)."""
    return texts.get(lang) or texts.get("fr") or {}


class Connection:
    """One open socket: who is on it, in which language, and what waits to be sent."""

    def __init__(self, user_id: str, lang: str = "fr") -> None:
        self.user_id = str(user_id)
        self.lang = lang
        self.queue: queue.Queue[str] = queue.Queue(QUEUE_SIZE)
        self.dropped = 0

    def offer(self, message: dict) -> None:
        """Queue a message for this socket, in this socket's language; never blocks."""
        texts = message.get("texts")
        if texts:
            message = {k: v for k, v in message.items() if k != "texts"}
            message.update(texts_in(texts, self.lang))
        try:
            self.queue.put_nowait(json.dumps(message))
        except queue.Full:
            self.dropped += 1


class LocalBroker:
    """In-process fan-out: one process serves every socket (the default, `tournee run`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_user: dict[str, set[Connection]] = defaultdict(set)

    def register(self, conn: Connection) -> None:
        """Start delivering to this connection."""
        with self._lock:
            self._by_user[conn.user_id].add(conn)

    def unregister(self, conn: Connection) -> None:
        """Stop delivering to this connection."""
        with self._lock:
            conns = self._by_user.get(conn.user_id)
            if conns is not None:
                conns.discard(conn)
                if not conns:
                    del self._by_user[conn.user_id]

    def connections(self) -> int:
        """How many sockets this process serves."""
        with self._lock:
            return sum(len(c) for c in self._by_user.values())

    def publish(self, message: dict, users: Iterable[Any] | None = None) -> None:
        """Send a message to these users' sockets, or to every socket when users is None."""
        self.deliver(message, None if users is None else [str(u) for u in users])

    def deliver(self, message: dict, users: list[str] | None) -> None:
        """Hand a message to the matching sockets of this process."""
        with self._lock:
            if users is None:
                targets = [c for conns in self._by_user.values() for c in conns]
            else:
                targets = [c for u in users for c in self._by_user.get(u, ())]
        for conn in targets:
            conn.offer(message)


class RedisBroker(LocalBroker):
    """Fan-out across processes: publish to a Redis channel every process listens to."""

    def __init__(self, url: str, channel: str) -> None:
        super().__init__()
        self.url = url
        self.channel = channel
        # A hung Redis must not hang the requests that publish after commit...
        self.redis = Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        # ...while the subscription waits as long as the channel is quiet (TCP keepalive
        # notices a connection that silently died).
        self.listener_redis = Redis.from_url(url, socket_connect_timeout=5,
                                             socket_keepalive=True, health_check_interval=30)
        self._listener: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.ready = threading.Event()

    def publish(self, message: dict, users: Iterable[Any] | None = None) -> None:
        """Publish through Redis; this process delivers it when it comes back from the channel."""
        envelope = {"users": None if users is None else [str(u) for u in users],
                    "message": message}
        try:
            self.redis.publish(self.channel, json.dumps(envelope))
        except RedisError:
            log.exception("live: could not publish to Redis (a hint lost)")

    def register(self, conn: Connection) -> None:
        """Listen to the channel from the first socket on (a forked worker starts its own)."""
        super().register(conn)
        self.start()

    def start(self) -> None:
        """Start the listener thread once."""
        with self._start_lock:
            if self._listener is None or not self._listener.is_alive():
                self._listener = threading.Thread(target=self._listen, daemon=True,
                                                  name="live-redis")
                self._listener.start()

    def _listen(self) -> None:
        delay = 0.5
        while True:
            pubsub = self.listener_redis.pubsub(ignore_subscribe_messages=True)
            try:
                pubsub.subscribe(self.channel)
                self.ready.set()
                delay = 0.5
                for item in pubsub.listen():
                    self._dispatch(item.get("data"))
            except (RedisError, OSError):
                self.ready.clear()
                log.warning("live: Redis subscription lost; retrying in %.1f s", delay)
                time.sleep(delay)
                delay = min(delay * 2, 30.0)
            finally:
                with contextlib.suppress(RedisError, OSError):
                    pubsub.close()

    def _dispatch(self, data: Any) -> None:
        try:
            envelope = json.loads(data)
            self.deliver(envelope["message"], envelope["users"])
        except Exception:  # one bad message must not stop the listener
            log.warning("live: unreadable message on %s ignored", self.channel)
