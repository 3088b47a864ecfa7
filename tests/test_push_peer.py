"""Self-tests of the fake push service, driven by pywebpush directly (not by the app)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid, Vapid01
from pywebpush import WebPusher, WebPushException, webpush

from tests.push_peer import FakeDevice, PushPeer, b64url

SUB = "mailto:test@example.org"


@pytest.fixture()
def peer() -> Iterator[PushPeer]:
    with PushPeer() as peer:
        yield peer


@pytest.fixture()
def vapid() -> Vapid:
    key = Vapid()
    key.generate_keys()
    return key


def public_k(key: Vapid01) -> str:
    """The base64url uncompressed public key, as in the `k=` parameter."""
    raw = key.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(raw)


def token(info: dict[str, Any]) -> str:
    return info["endpoint"].rsplit("/", 1)[1]


def send(info: dict[str, Any], key: Vapid01, data: str = '{"n": 1}', **kwargs: Any) -> Any:
    """webpush() with the test defaults."""
    kwargs.setdefault("vapid_claims", {"sub": SUB})
    kwargs.setdefault("ttl", 60)
    return webpush(info, data=data, vapid_private_key=key, **kwargs)


def send_raw(info: dict[str, Any], authorization: str, data: str = '{"n": 1}') -> Any:
    """Encrypt and POST with a hand-made Authorization header; return the response."""
    return WebPusher(info).send(data, {"Authorization": authorization}, ttl=60)


def signed(key: Vapid, aud: str, exp: int | None = None) -> str:
    """A py_vapid-signed `vapid t=..,k=..` header with explicit claims."""
    claims = {"sub": SUB, "aud": aud, "exp": exp or int(time.time()) + 3600}
    return key.sign(claims)["Authorization"]


@pytest.mark.parametrize("key_form", ["instance", "raw string"])
def test_delivery_is_verified_decrypted_and_recorded(peer: PushPeer, vapid: Vapid, key_form):
    device, info = peer.new_device()
    peer.expected_public_key = public_k(vapid)
    raw = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    key = vapid if key_form == "instance" else b64url(raw)
    message = {"title": "Relance", "body": "Appeler Dupont SA", "url": "/deals/42"}

    response = webpush(
        info,
        data=json.dumps(message),
        vapid_private_key=key,
        vapid_claims={"sub": SUB},
        ttl=3600,
        headers={"Urgency": "high", "Topic": "abc"},
    )

    assert response.status_code == 201
    assert response.headers["Location"].startswith(peer.origin + "/message/")
    [got] = peer.wait_for(1)
    assert got.payload == message
    assert (got.ttl, got.urgency, got.topic) == (3600, "high", "abc")
    assert got.claims["aud"] == peer.origin
    assert got.claims["sub"] == SUB
    assert 0 < got.claims["exp"] - time.time() <= 12 * 3600
    assert got.public_key == peer.expected_public_key
    assert got.token == token(info)
    assert peer.received_by(device) == [got]
    assert peer.attempts == [(token(info), 201)]
    assert peer.rejections == []


def test_subscription_info_looks_like_a_browsers(peer: PushPeer):
    device, info = peer.new_device()
    assert info["endpoint"] == f"{peer.origin}/push/{token(info)}"
    assert peer.origin.startswith("http://127.0.0.1:")
    assert set(info["keys"]) == {"p256dh", "auth"}
    assert "=" not in info["keys"]["p256dh"] + info["keys"]["auth"]
    assert info["keys"]["p256dh"] == b64url(device.public_bytes)
    assert len(device.public_bytes) == 65 and device.public_bytes[0] == 4
    assert len(device.auth_secret) == 16
    assert FakeDevice().subscription_info("x")["keys"] != info["keys"]


def test_non_json_payload_is_kept_as_bytes(peer: PushPeer, vapid: Vapid):
    _, info = peer.new_device()
    send(info, vapid, data="pas du JSON")
    assert [r.payload for r in peer.wait_for(1)] == [b"pas du JSON"]


def test_tolerant_authorization_parsing(peer: PushPeer, vapid: Vapid):
    _, info = peer.new_device()
    t = signed(vapid, peer.origin).split("t=", 1)[1].split(",", 1)[0]
    response = send_raw(info, f"vapid  k = {public_k(vapid)} ,  t={t}")
    assert response.status_code == 201, response.text
    assert len(peer.wait_for(1)) == 1


def test_jwt_signed_by_another_key_than_k_is_rejected(peer: PushPeer, vapid: Vapid):
    _, info = peer.new_device()
    impostor = Vapid()
    impostor.generate_keys()
    header = signed(impostor, peer.origin).split(",k=")[0] + f",k={public_k(vapid)}"

    response = send_raw(info, header)

    assert response.status_code == 401
    assert peer.rejections == [(token(info), "JWT signature does not verify under k")]
    assert peer.received == []


def test_tampered_claims_are_rejected(peer: PushPeer, vapid: Vapid):
    _, info = peer.new_device()
    head, _, sig = signed(vapid, peer.origin).split("t=", 1)[1].split(",k=")[0].split(".")
    forged = b64url(json.dumps({"sub": SUB, "aud": peer.origin, "exp": 2**31}).encode())
    response = send_raw(info, f"vapid t={head}.{forged}.{sig},k={public_k(vapid)}")
    assert response.status_code == 401
    assert "does not verify" in peer.rejections[0][1]


def test_expired_jwt_is_rejected(peer: PushPeer, vapid: Vapid):
    _, info = peer.new_device()
    response = send_raw(info, signed(vapid, peer.origin, exp=int(time.time()) - 60))
    assert response.status_code == 401
    assert "is missing or past" in peer.rejections[0][1]
    assert peer.received == []


def test_jwt_more_than_24h_ahead_is_rejected(peer: PushPeer, vapid: Vapid):
    _, info = peer.new_device()
    claims = {"sub": SUB, "exp": int(time.time()) + 2 * 86400}
    with pytest.raises(WebPushException) as caught:
        send(info, vapid, vapid_claims=claims)
    assert caught.value.response.status_code == 401
    assert "more than 24 h ahead" in peer.rejections[0][1]


def test_wrong_audience_is_rejected(peer: PushPeer, vapid: Vapid):
    _, info = peer.new_device()
    with pytest.raises(WebPushException) as caught:
        send(info, vapid, vapid_claims={"sub": SUB, "aud": "https://push.example.net"})
    assert caught.value.response.status_code == 401
    assert peer.rejections == [
        (token(info), f"aud 'https://push.example.net' is not {peer.origin!r}")
    ]


def test_legacy_webpush_scheme_is_rejected(peer: PushPeer, vapid: Vapid):
    _, info = peer.new_device()
    legacy = Vapid01(vapid.private_key)  # pywebpush then sends "WebPush <jwt>" + Crypto-Key
    with pytest.raises(WebPushException) as caught:
        send(info, legacy)
    assert caught.value.response.status_code == 401
    assert "not vapid" in peer.rejections[0][1]


def test_unexpected_application_server_key_is_forbidden(peer: PushPeer, vapid: Vapid):
    _, info = peer.new_device()
    other = Vapid()
    other.generate_keys()
    peer.expected_public_key = public_k(other)
    with pytest.raises(WebPushException) as caught:
        send(info, vapid)
    assert caught.value.response.status_code == 403
    assert peer.received == []


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"headers": {"Urgency": "urgent"}}, "Urgency 'urgent'"),
        ({"headers": {"Topic": "a" * 33}}, "Topic"),
        ({"headers": {"Topic": "no spaces"}}, "Topic"),
        ({"ttl": -1}, "TTL '-1'"),
        ({"content_encoding": "aesgcm"}, "Content-Encoding 'aesgcm'"),
    ],
)
def test_bad_headers_are_rejected(peer: PushPeer, vapid: Vapid, kwargs, reason):
    _, info = peer.new_device()
    with pytest.raises(WebPushException) as caught:
        send(info, vapid, **kwargs)
    assert caught.value.response.status_code == 400
    assert reason in peer.rejections[0][1]
    assert peer.received == []


def test_payload_limit_is_4096_bytes_of_ciphertext(peer: PushPeer, vapid: Vapid):
    _, info = peer.new_device()
    send(info, vapid, data="x" * 3993)  # 86-byte header + 1 padding delimiter + 16-byte tag
    with pytest.raises(WebPushException) as caught:
        send(info, vapid, data="x" * 3994)
    assert caught.value.response.status_code == 413
    assert [r.payload for r in peer.received] == [b"x" * 3993]


def test_body_encrypted_for_another_device_is_rejected(peer: PushPeer, vapid: Vapid):
    _, info = peer.new_device()
    stranger = FakeDevice().subscription_info(info["endpoint"])
    with pytest.raises(WebPushException) as caught:
        send(stranger, vapid)
    assert caught.value.response.status_code == 400
    assert "does not decrypt" in peer.rejections[0][1]


def test_scripted_410_raises_and_is_not_received(peer: PushPeer, vapid: Vapid):
    device, info = peer.new_device()
    peer.script(device, 410)
    with pytest.raises(WebPushException) as caught:
        send(info, vapid)
    assert caught.value.response.status_code == 410
    assert peer.attempts == [(token(info), 410)]
    assert peer.received == [] and peer.rejections == []
    assert send(info, vapid).status_code == 201  # the script is used up


def test_scripted_503_then_201_with_retry_after(peer: PushPeer, vapid: Vapid):
    device, info = peer.new_device()
    peer.script(device, 503, 201, retry_after=7)
    with pytest.raises(WebPushException) as caught:
        send(info, vapid, data='{"try": 1}')
    assert caught.value.response.status_code == 503
    assert caught.value.response.headers["Retry-After"] == "7"
    send(info, vapid, data='{"try": 2}')
    assert [r.payload for r in peer.received_by(device)] == [{"try": 2}]
    assert peer.attempts == [(token(info), 503), (token(info), 201)]


def test_unknown_token_is_404(peer: PushPeer, vapid: Vapid):
    _, info = peer.new_device()
    ghost = {**info, "endpoint": f"{peer.origin}/push/nobody"}
    with pytest.raises(WebPushException) as caught:
        send(ghost, vapid)
    assert caught.value.response.status_code == 404
    assert peer.rejections == [("nobody", "no subscription at /push/nobody")]
    assert peer.attempts == [("nobody", 404)]


def test_wait_for_reports_what_it_got(peer: PushPeer, vapid: Vapid):
    _, info = peer.new_device()
    send(info, vapid)
    with pytest.raises(WebPushException):
        send(info, vapid, headers={"Urgency": "now"})
    with pytest.raises(AssertionError, match=r"expected 2 deliveries .* got 1.*Urgency 'now'"):
        peer.wait_for(2, timeout=0.2)


def test_many_concurrent_deliveries(peer: PushPeer, vapid: Vapid):
    devices = [peer.new_device() for _ in range(10)]
    jobs = [(info, i) for i in range(40) for _, info in devices]
    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(lambda job: send(job[0], vapid, data=str(job[1])).status_code, jobs))
    assert codes == [201] * 400
    assert len(peer.wait_for(400)) == 400
    for device, _ in devices:
        assert sorted(r.payload for r in peer.received_by(device)) == list(range(40))
