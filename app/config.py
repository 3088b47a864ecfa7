"""Configuration from TOURNEE_* environment variables."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

INSTANCE_DIR = Path(os.environ.get("TOURNEE_INSTANCE_DIR", Path.cwd() / "instance")).resolve()


def as_bool(value: str | None, default: bool = False) -> bool:
    """Parse a yes/no environment value."""
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def as_int(value: str | None, default: int) -> int:
    """Parse an integer environment value."""
    return int(value) if value not in (None, "") else default


def write_once(path: Path, content: bytes) -> bytes:
    """Create a private file unless it exists, and return what it holds: the first writer wins,
    so processes starting together (gunicorn workers) end up with the same key."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        temp.write_bytes(content)
        temp.chmod(0o600)
        try:
            os.link(temp, path)  # atomic, and refuses to replace an existing file
        except FileExistsError:
            pass
        finally:
            temp.unlink()
    return path.read_bytes()


def instance_secret(instance_dir: Path) -> str:
    """Return the secret key kept in the instance folder, creating it on first start."""
    return write_once(instance_dir / "secret_key", secrets.token_hex(32).encode()).decode().strip()


class Config:
    """Runtime configuration; every knob is a TOURNEE_* variable."""

    INSTANCE_DIR = INSTANCE_DIR
    SECRET_KEY = os.environ.get("TOURNEE_SECRET_KEY") or None  # filled from instance/ if unset
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "TOURNEE_DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'tournee.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    HOST = os.environ.get("TOURNEE_HOST", "127.0.0.1")
    PORT = as_int(os.environ.get("PORT") or os.environ.get("TOURNEE_PORT"), 5000)
    PASSWORD_HASH_METHOD = "scrypt"
    # JSON bodies are small; attachments (later) get their own limit.
    MAX_CONTENT_LENGTH = as_int(os.environ.get("TOURNEE_MAX_JSON_BYTES"), 1024 * 1024)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = as_bool(os.environ.get("TOURNEE_HTTPS"))
    # Under TLS the __Host- prefix makes browsers refuse the cookie unless it is Secure, has
    # Path=/ and no Domain: a sibling subdomain or a plain-http page cannot plant or shadow it.
    SESSION_COOKIE_NAME = "__Host-session" if SESSION_COOKIE_SECURE else "session"
    REMEMBER_COOKIE_NAME = "__Host-remember" if SESSION_COOKIE_SECURE else "remember_token"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # A session ends after this many days without a request (the cookie's signed age) and,
    # however active, SESSION_MAX_DAYS after its login (the server-side record's age).
    PERMANENT_SESSION_LIFETIME = as_int(os.environ.get("TOURNEE_SESSION_DAYS"), 30) * 86400
    # The cookie is signed again only when the session's last_seen_at is written (at most
    # every 5 minutes, app/api/security.py), not on every answer: its age then follows use
    # as closely as last_seen_at does, for a fraction of the cost per request.
    SESSION_REFRESH_EACH_REQUEST = False
    SESSION_MAX_DAYS = as_int(os.environ.get("TOURNEE_SESSION_MAX_DAYS"), 90)
    # Failed logins per account (e-mail typed, known or not) within the window before 429;
    # per client address too when LOGIN_IP_MAX_FAILURES > 0 (only behind nothing, or a proxy
    # whose clients' addresses reach the app: otherwise every user shares the proxy's).
    LOGIN_MAX_FAILURES = as_int(os.environ.get("TOURNEE_LOGIN_MAX_FAILURES"), 10)
    LOGIN_WINDOW_MINUTES = as_int(os.environ.get("TOURNEE_LOGIN_WINDOW_MINUTES"), 15)
    LOGIN_IP_MAX_FAILURES = as_int(os.environ.get("TOURNEE_LOGIN_IP_MAX_FAILURES"), 0)
    DEMO_ON_EMPTY = as_bool(os.environ.get("TOURNEE_DEMO_ON_EMPTY"), True)
    SYNC_DAYS = as_int(os.environ.get("TOURNEE_SYNC_DAYS"), 365)
    MAX_UPLOAD_BYTES = as_int(os.environ.get("TOURNEE_MAX_UPLOAD_MB"), 20) * 1024 * 1024
    # Beyond one process: Redis carries the job queue and the live fan-out.
    REDIS_URL = os.environ.get("TOURNEE_REDIS_URL") or None
    REDIS_PREFIX = os.environ.get("TOURNEE_REDIS_PREFIX", "tournee")  # several apps, one Redis
    JOBS_WORKERS = as_int(os.environ.get("TOURNEE_JOBS_WORKERS"), 2)
    # Web push: keys from the environment, else generated into instance/ on first start.
    VAPID_PRIVATE_KEY = os.environ.get("TOURNEE_VAPID_PRIVATE_KEY") or None
    VAPID_SUBJECT = os.environ.get("TOURNEE_VAPID_SUBJECT", "mailto:admin@tournee.invalid")
    PUSH_ALLOW_HTTP = False  # real push services are https; the tests' fake one is not
    # The server POSTs to subscription endpoints: only to the browsers' push services (a host
    # or a parent domain each), never to an address a user made up. Empty: any host.
    PUSH_SERVICE_HOSTS = [h for h in os.environ.get(
        "TOURNEE_PUSH_SERVICE_HOSTS",
        "fcm.googleapis.com,push.services.mozilla.com,push.apple.com,notify.windows.com",
    ).split(",") if h]
    LIVE_PING_SECONDS = as_int(os.environ.get("TOURNEE_LIVE_PING_SECONDS"), 25)
    # Origins allowed to open /api/live besides the app's own (a TLS proxy may rewrite Host).
    LIVE_ORIGINS = [o for o in os.environ.get("TOURNEE_LIVE_ORIGINS", "").split(",") if o]
    # E-mail: smtp://user:pass@host:port, smtp+starttls://..., smtps://...; unset: mails are
    # written to the log instead. Links in mails and feeds lead to BASE_URL (the app as users
    # reach it); unset: the request's host, and http://localhost:PORT in mails.
    SMTP_URL = os.environ.get("TOURNEE_SMTP_URL") or None
    MAIL_FROM = os.environ.get("TOURNEE_MAIL_FROM", "Tournée <tournee@localhost>")
    BASE_URL = (os.environ.get("TOURNEE_BASE_URL") or "").rstrip("/")
    TESTING = False
    # Serving (`tournee serve`, gunicorn; docs/deploy.md). PROXY_COUNT: how many proxies in
    # front set X-Forwarded-For/-Proto; 0 trusts neither header (any client could forge them).
    PROXY_COUNT = as_int(os.environ.get("TOURNEE_PROXY_COUNT"), 0)
    WEB_WORKERS = as_int(os.environ.get("TOURNEE_WORKERS"), 0)  # 0: 2 with Redis, else 1
    WEB_THREADS = as_int(os.environ.get("TOURNEE_THREADS"), 256)  # per process; a socket holds 1
    WEB_GRACEFUL_SECONDS = as_int(os.environ.get("TOURNEE_GRACEFUL_TIMEOUT"), 10)
    WEB_MAX_REQUESTS = as_int(os.environ.get("TOURNEE_MAX_REQUESTS"), 0)  # 0: never recycled
    ACCESS_LOG = as_bool(os.environ.get("TOURNEE_ACCESS_LOG"), True)
    # Write requests of a process in the database at once; the others wait their turn holding
    # no pooled connection (writers wait on one another in the database anyway: SQLite's write
    # lock, PostgreSQL's change counter), so readers always find one.
    WRITE_TURNS = as_int(os.environ.get("TOURNEE_WRITE_TURNS"), 2)
    # API requests of a process running at once (the others wait in line): far fewer than
    # TOURNEE_THREADS, so that the one holding the write lock is not one thread among hundreds.
    REQUEST_TURNS = as_int(os.environ.get("TOURNEE_REQUEST_TURNS"), 8)
    WRITE_TURN_WAIT_SECONDS = as_int(os.environ.get("TOURNEE_WRITE_TURN_WAIT_SECONDS"), 60)


class TestConfig(Config):
    """Tests: a temporary database chosen by the fixture, cheap hashing."""

    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    DEMO_ON_EMPTY = False
    REDIS_URL = None
    VAPID_PRIVATE_KEY = None
    PUSH_ALLOW_HTTP = True
    PUSH_SERVICE_HOSTS: list[str] = []  # the tests' push service is on 127.0.0.1
    SMTP_URL = None  # the tests' mail peer is given per test
    BASE_URL = "https://tournee.test"
