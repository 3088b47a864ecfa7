"""/api/push: the VAPID key, devices, preferences, the test push."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from app.config import Config
from tests.conftest import run_jobs
from tests.factories import assert_error
from tests.push_peer import FakeDevice


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def device_json(endpoint: str = "https://push.example.org/send/1") -> dict:
    return FakeDevice().subscription_info(endpoint)


def test_the_vapid_key_is_a_p256_point_kept_in_the_instance_folder(app, alice):
    response = alice.get("/api/push/vapid-public-key")

    assert response.status_code == 200
    raw = b64url_decode(response.json["key"])
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)  # a valid point
    assert (Path(app.instance_path) / "vapid_private.pem").stat().st_mode & 0o077 == 0
    from app.services.push import load_vapid
    assert load_vapid(app).public_key == response.json["key"]  # same key next start


def test_a_vapid_key_from_the_environment_wins(app):
    from py_vapid import Vapid02

    from app.services.push import b64url, load_vapid

    key = Vapid02()
    key.generate_keys()
    raw = key.private_key.private_numbers().private_value.to_bytes(32, "big")
    app.config["VAPID_PRIVATE_KEY"] = b64url(raw)
    expected = load_vapid(app).public_key
    app.config["VAPID_PRIVATE_KEY"] = key.private_pem().decode()

    assert load_vapid(app).public_key == expected
    assert expected != app.extensions["vapid"].public_key


def test_anonymous_callers_get_401(client):
    for method, url in (("GET", "/api/push/vapid-public-key"), ("GET", "/api/push/subscriptions"),
                        ("POST", "/api/push/subscriptions"), ("GET", "/api/push/preferences"),
                        ("POST", "/api/push/test")):
        assert_error(client.open(url, method=method, json={}), 401, "unauthorized")


def test_subscribe_twice_is_one_device(alice):
    body = {**device_json(), "label": "Chrome · Android"}

    first = alice.post("/api/push/subscriptions", json=body)
    again = alice.post("/api/push/subscriptions", json=body)

    assert first.status_code == 201
    assert again.status_code == 200 and again.json["id"] == first.json["id"]
    listed = alice.get("/api/push/subscriptions").json["items"]
    assert [d["id"] for d in listed] == [first.json["id"]]
    assert listed[0]["label"] == "Chrome · Android"
    assert listed[0]["endpoint_origin"] == "https://push.example.org"
    assert "endpoint" not in listed[0] and "keys" not in listed[0]  # the endpoint is a secret


def test_a_device_signed_in_as_someone_else_moves_to_them(alice, bruno):
    body = device_json()
    alice.post("/api/push/subscriptions", json={**body, "label": "Le Samsung d'Alice"})

    moved = bruno.post("/api/push/subscriptions", json=body)

    assert moved.status_code == 200
    assert alice.get("/api/push/subscriptions").json["items"] == []
    (device,) = bruno.get("/api/push/subscriptions").json["items"]
    assert device["label"] is None  # not "Alice's phone" in Bruno's list


def test_the_browsers_own_subscription_json_is_accepted(alice):
    body = {**device_json(), "expirationTime": None}  # PushSubscription.toJSON() as it comes

    assert alice.post("/api/push/subscriptions", json=body).status_code == 201


def test_a_device_unsubscribes_by_its_endpoint(alice, bruno, db_state):
    mine, theirs = device_json("https://p.example/mine"), device_json("https://p.example/theirs")
    alice.post("/api/push/subscriptions", json=mine)
    bruno.post("/api/push/subscriptions", json=theirs)
    before = db_state()

    for body, status, code in (({"endpoint": theirs["endpoint"]}, 404, "not_found"),
                               ({"endpoint": "https://p.example/none"}, 404, "not_found"),
                               ({}, 422, "validation_error"), ({"endpoint": 5}, 422, None),
                               ({"endpoint": "x", "extra": 1}, 422, None)):
        assert_error(alice.delete("/api/push/subscriptions", json=body), status, code)
    assert_error(alice.delete("/api/push/subscriptions", data=b"{", content_type=
                              "application/json"), 400, "malformed_json")
    assert_error(alice.delete("/api/push/subscriptions"), 415, "unsupported_media_type")
    assert db_state() == before

    assert alice.delete("/api/push/subscriptions",
                        json={"endpoint": mine["endpoint"]}).status_code == 204
    assert alice.get("/api/push/subscriptions").json["items"] == []
    assert len(bruno.get("/api/push/subscriptions").json["items"]) == 1


def test_each_user_sees_and_removes_only_their_devices(alice, bruno):
    mine = alice.post("/api/push/subscriptions", json=device_json("https://p.example/1")).json
    alice.post("/api/push/subscriptions", json=device_json("https://p.example/2"))
    theirs = bruno.post("/api/push/subscriptions", json=device_json("https://p.example/3")).json

    assert_error(alice.delete(f"/api/push/subscriptions/{theirs['id']}"), 404, "not_found")
    assert alice.delete(f"/api/push/subscriptions/{mine['id']}").status_code == 204

    assert len(alice.get("/api/push/subscriptions").json["items"]) == 1
    assert len(bruno.get("/api/push/subscriptions").json["items"]) == 1
    assert_error(alice.delete(f"/api/push/subscriptions/{mine['id']}"), 404, "not_found")


@pytest.mark.parametrize("endpoint", ["http://fcm.googleapis.com/fcm/send/x",
                                      "https://10.0.0.1/fcm/send/x",
                                      "https://fcm.googleapis.com.evil.example/x",
                                      "https://evilpush.apple.com.example/x"])
def test_only_https_push_services_are_accepted_in_production(app, alice, endpoint):
    app.config.update(PUSH_ALLOW_HTTP=False, PUSH_SERVICE_HOSTS=Config.PUSH_SERVICE_HOSTS)

    response = alice.post("/api/push/subscriptions", json=device_json(endpoint))

    assert assert_error(response, 422, "validation_error")["fields"].keys() == {"endpoint"}


@pytest.mark.parametrize("endpoint", ["https://fcm.googleapis.com/fcm/send/abc",
                                      "https://updates.push.services.mozilla.com/wpush/v2/x",
                                      "https://web.push.apple.com/QO3x",
                                      "https://wns2-par02p.notify.windows.com/w/?token=x"])
def test_the_browsers_push_services_are_accepted_in_production(app, alice, endpoint):
    app.config.update(PUSH_ALLOW_HTTP=False, PUSH_SERVICE_HOSTS=Config.PUSH_SERVICE_HOSTS)

    assert alice.post("/api/push/subscriptions", json=device_json(endpoint)).status_code == 201


ALL_KINDS = {"exchange_logged", "deal_stage_changed", "owner_changed", "record_created",
             "deal_won", "deal_lost", "mentioned", "exchange_shared", "task_assigned",
             "task_done", "alert", "appointment_reminder"}
MAILED = {"task_assigned", "exchange_shared", "mentioned"}  # by default: what names me


def test_preferences_default_then_saved(alice, bruno):
    default = alice.get("/api/push/preferences").json
    assert default == {"kinds": dict.fromkeys(ALL_KINDS, True),
                       "email": {kind: kind in MAILED for kind in ALL_KINDS},
                       "inapp": dict.fromkeys(ALL_KINDS, True),
                       "auto_follow": [], "reminder_minutes": 15,
                       "quiet_hours": None, "timezone": "Europe/Paris"}

    saved = alice.put("/api/push/preferences", json={
        "kinds": {"exchange_logged": False}, "timezone": "America/Montreal",
        "quiet_hours": {"start": "21:30", "end": "07:00"}})

    assert saved.status_code == 200
    assert saved.json == {**default, "kinds": {**default["kinds"], "exchange_logged": False},
                          "timezone": "America/Montreal",
                          "quiet_hours": {"start": "21:30", "end": "07:00"}}
    assert alice.get("/api/push/preferences").json == saved.json
    assert bruno.get("/api/push/preferences").json == default
    cleared = alice.put("/api/push/preferences", json={"kinds": {}, "timezone": "Europe/Paris",
                                                       "quiet_hours": None})
    assert cleared.json == default  # a kind left out is back to its default


def test_other_channels_and_settings_are_kept_when_left_out(alice):
    base = {"kinds": {}, "timezone": "Europe/Paris", "quiet_hours": None}
    saved = alice.put("/api/push/preferences", json={
        **base, "email": {"deal_won": True, "mentioned": False}, "inapp": {"record_created": False},
        "auto_follow": ["deal", "company", "deal"], "reminder_minutes": 30}).json

    assert saved["email"]["deal_won"] is True and saved["email"]["mentioned"] is False
    assert saved["email"]["task_assigned"] is True  # a kind left out keeps its default
    assert saved["inapp"]["record_created"] is False and saved["inapp"]["deal_won"] is True
    assert saved["auto_follow"] == ["deal", "company"] and saved["reminder_minutes"] == 30
    again = alice.put("/api/push/preferences", json=base).json  # none of them given
    assert {k: again[k] for k in ("email", "inapp", "auto_follow", "reminder_minutes")} == {
        k: saved[k] for k in ("email", "inapp", "auto_follow", "reminder_minutes")}
    off = alice.put("/api/push/preferences", json={**base, "reminder_minutes": None,
                                                   "auto_follow": []}).json
    assert off["reminder_minutes"] is None and off["auto_follow"] == []
    assert alice.get("/api/push/preferences").json == off


def test_reminders_can_be_switched_off_on_the_first_save(alice):
    body = {"kinds": {}, "timezone": "Europe/Paris", "quiet_hours": None,
            "reminder_minutes": None}
    assert alice.put("/api/push/preferences", json=body).json["reminder_minutes"] is None
    assert alice.get("/api/push/preferences").json["reminder_minutes"] is None


def test_error_messages_follow_the_language(alice):
    response = alice.put("/api/push/preferences", headers={"Accept-Language": "fr"},
                         json={"kinds": {}, "timezone": "Europe/Paris",
                               "quiet_hours": {"start": "22:00"}})

    error = assert_error(response, 422, "validation_error")
    assert error["fields"]["quiet_hours.end"] == ["Champ obligatoire."]


def test_the_test_push_reaches_every_device_of_mine_only(app, alice, bruno, push_peer):
    mine = [push_peer.new_device() for _ in range(2)]
    for _, info in mine:
        alice.post("/api/push/subscriptions", json=info, headers={"Accept-Language": "en"})
    _, other = push_peer.new_device()
    bruno.post("/api/push/subscriptions", json=other)

    response = alice.post("/api/push/test")
    run_jobs(app)

    assert response.status_code == 202 and response.json == {"devices": 2}
    got = push_peer.wait_for(2)
    assert {r.token for r in got} == {device.token for device, _ in mine}
    assert got[0].payload["kind"] == "test"
    assert got[0].payload["body"] == "Notifications work on this device."  # the device's language
    assert got[0].ttl == 3600 and got[0].urgency == "normal"
