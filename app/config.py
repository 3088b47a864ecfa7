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


def instance_secret(instance_dir: Path) -> str:
    """Return the secret key kept in the instance folder, creating it on first start."""
    path = instance_dir / "secret_key"
    if not path.exists():
        instance_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


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
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = as_int(os.environ.get("TOURNEE_SESSION_DAYS"), 30) * 86400
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
    LIVE_PING_SECONDS = as_int(os.environ.get("TOURNEE_LIVE_PING_SECONDS"), 25)
    # Origins allowed to open /api/live besides the app's own (a TLS proxy may rewrite Host).
    LIVE_ORIGINS = [o for o in os.environ.get("TOURNEE_LIVE_ORIGINS", "").split(",") if o]
    TESTING = False


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
