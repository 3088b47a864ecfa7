"""The test app over real HTTP, in threads of this process, that stops for good.

Werkzeug's threaded server runs each connection in a daemon thread and forgets it: shutdown()
stops accepting, but a request still running (a pull, the live socket) goes on using the app,
and on PostgreSQL a pooled connection it holds outlives the `app` fixture's engine.dispose()
(psycopg then warns when the orphaned connection is collected, in whichever test runs then).
Here stop() cuts the open connections and waits for every request thread: once it returns,
nothing of the server uses the app any more.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import weakref

from werkzeug.serving import ThreadedWSGIServer

STOP_SECONDS = 10  # a request thread notices its cut connection within a second or two


class AppServer(ThreadedWSGIServer):
    """Serve `app` on 127.0.0.1:`port` (0: a free one) from a background thread."""

    daemon_threads = False  # so that socketserver keeps the request threads, to join them

    def __init__(self, app, port: int = 0) -> None:
        super().__init__("127.0.0.1", port, app)
        self.open_sockets: weakref.WeakSet = weakref.WeakSet()
        self.thread = threading.Thread(target=self.serve_forever, name="app-server",
                                       daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def get_request(self):
        conn, address = super().get_request()
        self.open_sockets.add(conn)
        return conn, address

    def stop(self) -> None:
        """Stop accepting, cut the connections still open (keep-alive, the live socket), as a
        crashed server would, and wait until every request thread has finished."""
        self.shutdown()  # serve_forever() returns, then closes the server and joins its threads
        for conn in list(self.open_sockets):
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self.thread.join(timeout=STOP_SECONDS)
        if self.thread.is_alive():
            raise RuntimeError(f"a request of the test server still runs after {STOP_SECONDS}s")
