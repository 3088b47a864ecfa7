"""/api/auth: log in, log out, who am I; CSRF on every unsafe method."""

from __future__ import annotations

from tests.factories import PASSWORD, UserFactory, assert_error


def test_login_returns_user_and_csrf_token(auth, people):
    response = auth.login("alice@example.fr")

    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"user", "csrf_token"}
    assert body["user"]["id"] == str(people.a.id)
    assert body["user"]["email"] == "alice@example.fr"
    assert body["user"]["name"] == "Alice Sales"
    assert body["user"]["role"] == "sales"
    assert "password" not in body["user"] and "password_hash" not in body["user"]
    assert len(body["csrf_token"]) >= 32


def test_login_email_is_case_insensitive(auth, people):
    response = auth.login("  ALICE@Example.FR ")

    assert response.status_code == 200
    assert response.get_json()["user"]["id"] == str(people.a.id)


def test_wrong_password_is_refused(auth, people):
    error = assert_error(auth.login("alice@example.fr", "not-the-password"), 401,
                         "invalid_credentials")
    assert "password" in error["message"].lower()
    assert_error(auth.get("/api/auth/me"), 401, "unauthorized")


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(auth, people):
    unknown = assert_error(auth.login("nobody@example.fr"), 401, "invalid_credentials")
    wrong = assert_error(auth.login("alice@example.fr", "wrong-password"), 401,
                         "invalid_credentials")
    assert unknown == wrong  # nothing tells which e-mails exist


def test_inactive_user_cannot_log_in(auth):
    UserFactory(email="gone@example.fr", active=False)

    assert_error(auth.login("gone@example.fr"), 401, "invalid_credentials")


def test_deactivated_user_loses_an_open_session(auth, db):
    user = UserFactory(email="leaving@example.fr")
    assert auth.login("leaving@example.fr").status_code == 200
    user.active = False
    db.session.commit()

    assert_error(auth.get("/api/auth/me"), 401, "unauthorized")
    assert_error(auth.get("/api/companies"), 401, "unauthorized")


def test_login_validates_its_body(auth, people):
    error = assert_error(auth.post("/api/auth/login", json={"email": "alice@example.fr"}), 422,
                         "validation_error")
    assert set(error["fields"]) == {"password"}
    error = assert_error(auth.post("/api/auth/login", json={
        "email": "alice@example.fr", "password": PASSWORD, "remember": True}), 422)
    assert set(error["fields"]) == {"remember"}


def test_me_when_anonymous_is_401(client):
    assert_error(client.get("/api/auth/me"), 401, "unauthorized")


def test_me_returns_user_and_the_same_csrf_token(auth, people):
    token = auth.login("bruno@example.fr").get_json()["csrf_token"]

    response = auth.get("/api/auth/me")

    assert response.status_code == 200
    assert response.get_json()["user"]["id"] == str(people.b.id)
    assert response.get_json()["csrf_token"] == token


def test_logout_then_me_is_401(auth, people):
    auth.login("alice@example.fr")

    response = auth.post("/api/auth/logout")

    assert response.status_code == 204
    assert response.get_data() == b""
    assert_error(auth.get("/api/auth/me"), 401, "unauthorized")
    # the old token is worth nothing once the session is gone
    assert_error(auth.post("/api/companies", json={"name": "Après"}), 401, "unauthorized")


def test_logout_needs_the_csrf_token(auth, people):
    auth.login("alice@example.fr")

    assert_error(auth.post("/api/auth/logout", headers={"X-CSRF-Token": ""}), 403, "csrf_failed")
    assert auth.get("/api/auth/me").status_code == 200


def test_unsafe_method_without_csrf_token_is_403(auth, people, db_state):
    auth.login("alice@example.fr")
    before = db_state()

    response = auth.client.post("/api/companies", json={"name": "Sans jeton"})

    assert_error(response, 403, "csrf_failed")
    assert db_state() == before


def test_unsafe_method_with_wrong_csrf_token_is_403(auth, people, db_state):
    auth.login("alice@example.fr")
    company = auth.post("/api/companies", json={"name": "Jeton"}).get_json()
    before = db_state()

    for method, url, body in [
        ("POST", "/api/companies", {"name": "Faux jeton"}),
        ("PATCH", f"/api/companies/{company['id']}", {"version": 1, "name": "Piraté"}),
        ("DELETE", f"/api/companies/{company['id']}", None),
    ]:
        response = auth.client.open(url, method=method, json=body,
                                    headers={"X-CSRF-Token": auth.csrf[:-1] + "x"})
        assert_error(response, 403, "csrf_failed")

    assert db_state() == before
    assert auth.get(f"/api/companies/{company['id']}").get_json()["name"] == "Jeton"


def test_csrf_token_of_another_session_is_refused(app, auth, people):
    other = app.test_client()
    other_token = other.post("/api/auth/login", json={
        "email": "bruno@example.fr", "password": PASSWORD}).get_json()["csrf_token"]
    auth.login("alice@example.fr")

    response = auth.post("/api/companies", json={"name": "X"},
                         headers={"X-CSRF-Token": other_token})

    assert_error(response, 403, "csrf_failed")


def test_anonymous_post_is_401(client, db_state):
    before = db_state()

    response = client.post("/api/companies", json={"name": "Anonyme"})

    assert_error(response, 401, "unauthorized")
    assert db_state() == before


def test_anonymous_get_of_a_resource_is_401(client):
    for url in ("/api/companies", "/api/contacts", "/api/deals", "/api/exchanges",
                "/api/search?q=a", "/api/users", "/api/exchange-kinds"):
        assert_error(client.get(url), 401, "unauthorized")


def test_session_cookie_is_httponly_and_samesite_lax(auth, people):
    response = auth.login("alice@example.fr")

    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(cookies) == 1
    attributes = {part.strip().split("=")[0].lower(): part.strip()
                  for part in cookies[0].split(";")[1:]}
    assert "httponly" in attributes
    assert attributes["samesite"].lower() == "samesite=lax"


def test_login_starts_a_fresh_session(auth, people):
    first = auth.login("alice@example.fr").get_json()["csrf_token"]

    second = auth.login("bruno@example.fr").get_json()

    assert second["csrf_token"] != first
    assert auth.get("/api/auth/me").get_json()["user"]["id"] == str(people.b.id)


def test_each_client_keeps_its_own_user(make_auth, people):
    alice, bruno = make_auth(people.a), make_auth(people.b)

    assert alice.get("/api/auth/me").get_json()["user"]["id"] == str(people.a.id)
    assert bruno.get("/api/auth/me").get_json()["user"]["id"] == str(people.b.id)
    assert alice.get("/api/auth/me").get_json()["user"]["id"] == str(people.a.id)
