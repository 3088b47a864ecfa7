"""/api/users: the directory of colleagues (owner and participant pickers)."""

from __future__ import annotations

from tests.factories import UserFactory, assert_error


def test_directory_lists_active_colleagues_by_name(make_auth, people):
    UserFactory(name="Aaron Parti", active=False)

    response = make_auth(people.c).get("/api/users")

    assert response.status_code == 200
    body = response.get_json()
    assert body["next_cursor"] is None
    assert [u["name"] for u in body["items"]] == [
        "Agnès Admin", "Alice Sales", "Bruno Sales", "Chloé Sales", "Marc Manager"]
    alice = next(u for u in body["items"] if u["name"] == "Alice Sales")
    assert alice == {"id": str(people.a.id), "email": "alice@example.fr", "name": "Alice Sales",
                     "role": "sales", "agency_id": None, "locale": "fr",
                     "timezone": "Europe/Paris"}


def test_directory_never_shows_password_hashes(make_auth, people):
    text = make_auth(people.a).get("/api/users").get_data(as_text=True)

    assert "password" not in text and "pbkdf2" not in text


def test_directory_needs_a_login(client, people):
    assert_error(client.get("/api/users"), 401, "unauthorized")


def test_directory_is_read_only(make_auth, people):
    alice = make_auth(people.a)

    response = alice.post("/api/users", json={"email": "new@example.fr", "name": "Nouveau"})

    assert_error(response, 405, "method_not_allowed")
    assert len(alice.get("/api/users").get_json()["items"]) == 5
