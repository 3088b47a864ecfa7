"""Session security: cookie attributes, server-side sessions (rotation, logout, deactivation,
lifetimes), login throttling across processes, and the password policy."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app import create_app
from app.config import TestConfig
from app.models import LoginFailure, UserSession, utcnow
from app.services import users
from app.services.errors import Invalid
from tests.factories import PASSWORD, UserFactory, assert_error

ROOT = Path(__file__).resolve().parent.parent
WRONG = "not-the-password"


def login(client, email: str, password: str = PASSWORD, **kwargs):
    return client.post("/api/auth/login", json={"email": email, "password": password}, **kwargs)


def cookie_attributes(header: str) -> tuple[str, dict[str, str]]:
    """The cookie's name and its attributes (lower-case names) from one Set-Cookie header."""
    first, *rest = [part.strip() for part in header.split(";")]
    attributes = {}
    for part in rest:
        name, _, value = part.partition("=")
        attributes[name.lower()] = value
    return first.split("=", 1)[0], attributes


def session_of(app, client) -> dict:
    """What the client's signed session cookie holds."""
    value = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    return dict(app.session_interface.get_signing_serializer(app).loads(value))


# --- Cookies ---------------------------------------------------------------------------------


def test_over_plain_http_the_cookie_keeps_its_usual_name(client, people):
    response = login(client, "alice@example.fr")

    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    name, attributes = cookie_attributes(header)
    assert name == "session"
    assert "httponly" in attributes and attributes["samesite"].lower() == "lax"
    assert attributes["path"] == "/" and "domain" not in attributes
    assert "secure" not in attributes  # dev over http: a Secure cookie would never come back


HTTPS_PROBE = """
import json, sys
from pathlib import Path
from app import create_app
from app.config import TestConfig
from app.extensions import db
from app.services.setup import prepare_database
from app.services.users import create_user

folder = Path(sys.argv[1])

class Config(TestConfig):
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder / 'tls.db'}"
    INSTANCE_DIR = folder

app = create_app(Config)
with app.app_context():
    db.create_all()
    prepare_database(db.session)
    create_user(db.session, email="tls@example.fr", name="Tls", password="une phrase de passe",
                hash_method="pbkdf2:sha256:1000")
    db.session.commit()
client = app.test_client()
login = client.post("https://tournee.test/api/auth/login",
                    json={"email": "tls@example.fr", "password": "une phrase de passe"})
me = client.get("https://tournee.test/api/auth/me")
print(json.dumps({"login": login.status_code, "me": me.status_code,
                  "set_cookie": login.headers.getlist("Set-Cookie"),
                  "remember": [app.config["REMEMBER_COOKIE_NAME"],
                               app.config["REMEMBER_COOKIE_SECURE"],
                               app.config["REMEMBER_COOKIE_HTTPONLY"],
                               app.config["REMEMBER_COOKIE_SAMESITE"]]}))
"""


def test_under_https_the_session_cookie_is_a_host_cookie(tmp_path):
    env = {**os.environ, "TOURNEE_HTTPS": "1", "TOURNEE_INSTANCE_DIR": str(tmp_path)}
    run = subprocess.run([sys.executable, "-c", HTTPS_PROBE, str(tmp_path)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    probe = json.loads(run.stdout.strip().splitlines()[-1])

    assert probe["login"] == 200
    assert probe["me"] == 200  # the browser sends it back: the session works under its name
    [header] = probe["set_cookie"]
    name, attributes = cookie_attributes(header)
    # __Host-: browsers only keep it when Secure, Path=/ and no Domain, all three are here.
    assert name == "__Host-session"
    assert "secure" in attributes and attributes["path"] == "/" and "domain" not in attributes
    assert "httponly" in attributes and attributes["samesite"].lower() == "lax"
    assert probe["remember"] == ["__Host-remember", True, True, "Lax"]


# --- Server-side sessions --------------------------------------------------------------------


def test_login_opens_a_new_session_and_carries_nothing_over(app, client, people, db):
    with client.session_transaction() as planted:  # what a fixation attack would leave
        planted["sid"] = "chosen-by-the-attacker"
        planted["csrf_token"] = "known-to-the-attacker"
        planted["cart"] = "anything"

    body = login(client, "alice@example.fr").get_json()

    held = session_of(app, client)
    assert set(held) <= {"sid", "csrf_token", "_user_id", "_fresh", "_id", "_permanent"}
    assert held["sid"] != "chosen-by-the-attacker"
    assert held["csrf_token"] == body["csrf_token"] != "known-to-the-attacker"
    # Only the token's hash is stored: a copy of the table logs nobody in.
    row = db.session.get(UserSession, hashlib.sha256(held["sid"].encode()).hexdigest())
    assert row is not None and row.user_id == people.a.id and row.revoked_at is None
    assert db.session.get(UserSession, held["sid"]) is None


def test_a_second_login_rotates_the_session_and_ends_the_first(app, client, people):
    login(client, "alice@example.fr")
    first = client.get_cookie("session").value
    first_sid = session_of(app, client)["sid"]

    login(client, "bruno@example.fr")

    assert session_of(app, client)["sid"] != first_sid
    replay = app.test_client()
    replay.set_cookie("session", first)
    assert_error(replay.get("/api/auth/me"), 401, "unauthorized")


def test_a_cookie_kept_from_before_logout_is_refused(app, auth, people):
    auth.login("alice@example.fr")
    stolen, token = auth.client.get_cookie("session").value, auth.csrf
    assert auth.post("/api/auth/logout").status_code == 204

    replay = app.test_client()
    replay.set_cookie("session", stolen)

    assert_error(replay.get("/api/auth/me"), 401, "unauthorized")
    assert_error(replay.get("/api/companies"), 401, "unauthorized")
    assert_error(replay.post("/api/companies", json={"name": "Rejoué"},
                             headers={"X-CSRF-Token": token}), 401, "unauthorized")
    # and the live socket's handshake (its Origin check is tested in test_live_socket.py)
    assert_error(replay.get("/api/live"), 401, "unauthorized")


def test_logout_ends_only_that_session(app, make_auth, people):
    phone, tablet = make_auth(people.a), make_auth(people.a)

    assert phone.post("/api/auth/logout").status_code == 204

    assert_error(phone.get("/api/auth/me"), 401)
    assert tablet.get("/api/auth/me").status_code == 200


def test_deactivation_ends_every_session_for_good(app, make_auth, db):
    user = UserFactory(email="leaving@example.fr")
    phone, tablet = make_auth(user), make_auth(user)
    assert phone.get("/api/live").status_code == 426  # logged in: the handshake would go on

    user.active = False
    db.session.commit()

    assert_error(phone.get("/api/auth/me"), 401, "unauthorized")
    assert_error(tablet.get("/api/companies"), 401, "unauthorized")
    assert_error(phone.get("/api/live"), 401, "unauthorized")
    live = db.session.scalar(select(func.count()).select_from(UserSession).where(
        UserSession.user_id == user.id, UserSession.revoked_at.is_(None)))
    assert live == 0
    user.active = True  # back again: the old cookies stay dead, a new login works
    db.session.commit()
    assert_error(phone.get("/api/auth/me"), 401)
    assert make_auth(user).get("/api/auth/me").status_code == 200


def test_a_password_change_ends_the_sessions(make_auth, people, db):
    alice = make_auth(people.a)

    people.a.set_password("une toute autre phrase", method="pbkdf2:sha256:1000")
    db.session.commit()

    assert_error(alice.get("/api/auth/me"), 401, "unauthorized")
    assert alice.login("alice@example.fr", "une toute autre phrase").status_code == 200


def test_an_edit_of_the_user_keeps_the_sessions(make_auth, people, db):
    alice = make_auth(people.a)

    people.a.name = "Alice Renommée"
    db.session.commit()

    assert alice.get("/api/auth/me").get_json()["user"]["name"] == "Alice Renommée"


def test_a_session_ends_at_its_absolute_lifetime_however_active(app, make_auth, people, db):
    alice = make_auth(people.a)
    days = app.config["SESSION_MAX_DAYS"]
    db.session.execute(update(UserSession).values(created_at=utcnow() - timedelta(days=days - 1)))
    db.session.commit()
    assert alice.get("/api/auth/me").status_code == 200

    db.session.execute(update(UserSession).values(created_at=utcnow() - timedelta(days=days + 1)))
    db.session.commit()

    assert_error(alice.get("/api/auth/me"), 401, "unauthorized")


def test_a_session_unused_for_the_idle_lifetime_is_refused(app, make_auth, people, db):
    alice = make_auth(people.a)
    idle = timedelta(seconds=app.config["PERMANENT_SESSION_LIFETIME"])

    db.session.execute(update(UserSession).values(last_seen_at=utcnow() - idle - timedelta(1)))
    db.session.commit()

    assert_error(alice.get("/api/auth/me"), 401, "unauthorized")


def test_use_of_a_session_is_noted_now_and_then(make_auth, people, db):
    alice = make_auth(people.a)
    long_ago = utcnow() - timedelta(hours=2)
    db.session.execute(update(UserSession).values(last_seen_at=long_ago))
    db.session.commit()

    assert alice.get("/api/auth/me").status_code == 200
    seen = db.session.scalar(select(UserSession.last_seen_at))
    assert utcnow() - seen < timedelta(minutes=1)

    assert alice.get("/api/auth/me").status_code == 200  # just noted: not written again
    assert db.session.scalar(select(UserSession.last_seen_at)) == seen


def test_a_made_up_session_token_logs_nobody_in(app, client, people):
    login(client, "alice@example.fr")
    with client.session_transaction() as held:
        held["sid"] = "x" * 43

    assert_error(client.get("/api/auth/me"), 401, "unauthorized")


def test_a_session_of_one_user_cannot_be_pointed_at_another(app, client, people):
    login(client, "alice@example.fr")
    with client.session_transaction() as held:  # needs the secret key; checked all the same
        held["_user_id"] = str(people.admin.id)

    assert_error(client.get("/api/auth/me"), 401, "unauthorized")


# --- Login throttling ------------------------------------------------------------------------


def fail(client, email: str, times: int, **kwargs) -> None:
    for _ in range(times):
        assert_error(login(client, email, WRONG, **kwargs), 401, "invalid_credentials")


def test_the_eleventh_attempt_waits_even_with_the_right_password(client, people):
    fail(client, "alice@example.fr", 10)

    response = login(client, "alice@example.fr")

    error = assert_error(response, 429, "too_many_attempts")
    assert "try again" in error["message"]
    assert 880 <= int(response.headers["Retry-After"]) <= 900  # seconds: the 15 minutes
    assert_error(client.get("/api/auth/me"), 401)
    french = assert_error(login(client, "alice@example.fr", headers={"Accept-Language": "fr"}),
                          429, "too_many_attempts")
    assert french["message"] == "Trop d'échecs de connexion : réessayez plus tard."


def test_other_accounts_are_not_held_up(client, people):
    fail(client, "alice@example.fr", 10)

    assert login(client, "bruno@example.fr").status_code == 200


def test_unknown_accounts_are_throttled_alike(client, people):
    fail(client, "alice@example.fr", 10)
    fail(client, "nobody@example.fr", 10)

    known, unknown = login(client, "alice@example.fr"), login(client, "nobody@example.fr")

    assert known.status_code == unknown.status_code == 429
    assert known.get_json() == unknown.get_json()  # nothing tells which e-mails exist
    assert known.headers["Retry-After"] and unknown.headers["Retry-After"]


def test_every_spelling_of_an_email_shares_the_count(client, people):
    for spelling in ("alice@example.fr", "ALICE@example.fr", " Alice@Example.FR "):
        fail(client, spelling, 3)
    fail(client, "alice@EXAMPLE.fr", 1)

    assert_error(login(client, "alice@example.fr"), 429, "too_many_attempts")


def test_the_count_is_kept_in_the_database_for_every_process(app, people):
    class SecondProcess(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        INSTANCE_DIR = app.config["INSTANCE_DIR"]

    other = create_app(SecondProcess)  # another worker: its own memory, the same database
    try:
        first, second = app.test_client(), other.test_client()
        for i in range(10):
            fail(first if i % 2 else second, "alice@example.fr", 1)

        assert_error(login(first, "alice@example.fr"), 429, "too_many_attempts")
        assert_error(login(second, "alice@example.fr"), 429, "too_many_attempts")
    finally:
        from app.extensions import db

        with other.app_context():
            db.engine.dispose()


def test_attempts_come_back_as_failures_leave_the_window(client, people, db):
    fail(client, "alice@example.fr", 5)
    db.session.execute(update(LoginFailure).values(at=utcnow() - timedelta(minutes=14)))
    db.session.commit()
    fail(client, "alice@example.fr", 5)

    response = login(client, "alice@example.fr")

    assert_error(response, 429)
    assert 50 <= int(response.headers["Retry-After"]) <= 60  # the 5 older ones leave first
    db.session.execute(update(LoginFailure).where(LoginFailure.at < utcnow() - timedelta(
        minutes=10)).values(at=utcnow() - timedelta(minutes=16)))
    db.session.commit()
    assert login(client, "alice@example.fr").status_code == 200


def test_a_successful_login_wipes_the_failures(client, people, db):
    fail(client, "alice@example.fr", 9)
    assert login(client, "alice@example.fr").status_code == 200

    fail(client, "alice@example.fr", 9)

    assert login(client, "alice@example.fr").status_code == 200


def test_the_table_names_nobody_and_forgets_old_failures(client, people, db):
    fail(client, "secret.person@example.fr", 2)
    db.session.execute(update(LoginFailure).values(at=utcnow() - timedelta(hours=1)))
    db.session.commit()

    fail(client, "alice@example.fr", 1)

    rows = db.session.scalars(select(LoginFailure)).all()
    assert len(rows) == 1  # the old ones were deleted with the new failure
    assert "alice" not in rows[0].account and len(rows[0].account) == 64


def test_a_cap_per_client_address_when_configured(app, people):
    app.config["LOGIN_IP_MAX_FAILURES"] = 3
    attacker, colleague = app.test_client(), app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    colleague.environ_base["REMOTE_ADDR"] = "198.51.100.2"
    for email in ("alice@example.fr", "bruno@example.fr", "chloe@example.fr"):
        fail(attacker, email, 1)

    assert_error(login(attacker, "marc@example.fr"), 429, "too_many_attempts")
    assert login(colleague, "marc@example.fr").status_code == 200


# --- Password policy -------------------------------------------------------------------------


@pytest.mark.parametrize(("password", "problem"), [
    ("short-pwd", "At least 10 characters."),
    ("x" * 1001, "Longer than maximum length 1000."),
    ("Password123", "Too common: choose a password others would not guess."),
    ("AZERTYUIOP", "Too common: choose a password others would not guess."),
    ("motdepasse2024", "Too common: choose a password others would not guess."),
    ("Tournee2026", "Too common: choose a password others would not guess."),
    ("1234567890", "Too common: choose a password others would not guess."),
    ("Jean.Dupont@example.fr", "Must not be your e-mail or your name."),
    ("jean.dupont", "Must not be your e-mail or your name."),
    ("Jean-Marc Dupont", "Must not be your e-mail or your name."),
    ("jean-marcdupont", "Must not be your e-mail or your name."),
])
def test_a_weak_password_is_refused_with_a_field_error(db, password, problem):
    with pytest.raises(Invalid) as refused:
        users.create_user(db.session, email="jean.dupont@example.fr", name="Jean-Marc Dupont",
                          password=password, hash_method="pbkdf2:sha256:1000")

    assert refused.value.status == 422 and refused.value.code == "validation_error"
    assert refused.value.fields == {"password": [problem]}


def test_a_long_uncommon_password_is_accepted(db):
    user = users.create_user(db.session, email="jean@example.fr", name="Jean",
                             password="Les tournées du mardi à Lyon",
                             hash_method="pbkdf2:sha256:1000")

    assert user.check_password("Les tournées du mardi à Lyon")


def test_the_shipped_list_is_large_lower_case_and_within_the_policy():
    common = users.common_passwords()

    assert len(common) >= 3000
    assert all(p == p.lower() and len(p) >= users.MIN_PASSWORD for p in common)
    assert {"motdepasse", "azertyuiop", "password123", "iloveyou12"} <= common
    assert PASSWORD not in common  # the suite's own password stays usable


def test_create_user_command_refuses_a_common_password(runner, db):
    result = runner.invoke(args=["create-user", "--email", "lea@example.fr", "--name", "Léa"],
                           input="Motdepasse123\nMotdepasse123\n")

    assert result.exit_code != 0 and "Too common" in result.output
