"""/api/attachments: upload once, sniffed and bounded, stored by hash outside the web root."""

from __future__ import annotations

import hashlib
import io
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.models import Attachment, utcnow
from tests.factories import CompanyFactory, DealFactory, ExchangeFactory, assert_error

ID = "3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(256))
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x01\x01\x01\x00\x18\xdd\x8d"
       b"\xb4\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages "
       b"/Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
TXT = "Compte rendu de visite : client très intéressé.\n".encode()
FILES = [  # name, bytes, content type, shown inline
    ("photo.jpg", JPEG, "image/jpeg", True),
    ("Vitrine.PNG", PNG, "image/png", True),
    ("devis.pdf", PDF, "application/pdf", False),
    ("notes.txt", TXT, "text/plain; charset=utf-8", False),
]


@pytest.fixture()
def alice(people, make_auth):
    return make_auth(people.a)


@pytest.fixture()
def exchange(people):
    return ExchangeFactory(created_by=people.a, starts_at=utcnow() - timedelta(days=1))


@pytest.fixture()
def folder(app) -> Path:
    return Path(app.instance_path) / "attachments"


def upload(helper, entity_id, content: bytes = JPEG, name: str = "photo.jpg",
           entity: str = "exchange", record_id: str | None = ID, **extra):
    form = {"entity": entity, "entity_id": str(entity_id), "file": (io.BytesIO(content), name),
            **extra}
    if record_id is not None:
        form["id"] = record_id
    return helper.post("/api/attachments", data=form, content_type="multipart/form-data")


def rows(db) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Attachment))


def stored_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize("name, content, content_type, inline", FILES)
def test_upload_and_download_each_accepted_kind(alice, people, exchange, folder, name, content,
                                                content_type, inline):
    response = upload(alice, exchange.id, content, name)

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["id"] == ID and body["version"] == 1
    assert (body["entity"], body["entity_id"]) == ("exchange", str(exchange.id))
    assert (body["filename"], body["content_type"]) == (name, content_type)
    assert (body["size"], body["sha256"]) == (len(content), sha(content))
    assert body["created_by"] == str(people.a.id) and body["deleted_at"] is None
    assert alice.get(f"/api/attachments/{ID}").get_json() == body
    listed = alice.get(f"/api/attachments?entity=exchange&entity_id={exchange.id}")
    assert listed.status_code == 200 and listed.get_json()["items"] == [body]

    download = alice.get(f"/api/attachments/{ID}/content", buffered=True)
    assert download.status_code == 200
    assert download.get_data() == content
    assert download.headers["Content-Type"] == content_type
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("inline" if inline else "attachment"), disposition
    assert name in disposition
    # stored by content hash, under the instance folder, with nothing else left there
    assert stored_files(folder) == [folder / sha(content)[:2] / sha(content)]
    assert (folder / sha(content)[:2] / sha(content)).read_bytes() == content


def test_attachments_on_companies_and_deals(alice):
    company = CompanyFactory()
    deal = DealFactory(company=company)

    for entity, owner in (("company", company), ("deal", deal)):
        record_id = str(uuid.uuid4())
        response = upload(alice, owner.id, PDF, "plan.pdf", entity=entity, record_id=record_id)
        assert response.status_code == 201, response.get_json()
        listed = alice.get(f"/api/attachments?entity={entity}&entity_id={owner.id}")
        assert [a["id"] for a in listed.get_json()["items"]] == [record_id]


def test_an_upload_without_id_gets_one(alice, exchange, db):
    response = upload(alice, exchange.id, record_id=None)

    assert response.status_code == 201
    assert uuid.UUID(response.get_json()["id"])
    assert rows(db) == 1


def test_a_replay_returns_the_stored_record(alice, exchange, db, folder):
    first = upload(alice, exchange.id, PNG, "vitrine.png")

    again = upload(alice, exchange.id, PNG, "vitrine.png")

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    assert rows(db) == 1
    assert len(stored_files(folder)) == 1


def test_the_same_id_with_other_bytes_is_409(alice, exchange, db, folder):
    first = upload(alice, exchange.id, JPEG, "photo.jpg").get_json()

    for content, name, entity_id in [(PNG, "photo.png", exchange.id),
                                     (JPEG + b"\x00", "photo.jpg", exchange.id),
                                     (JPEG, "photo.jpg", ExchangeFactory().id)]:
        response = upload(alice, entity_id, content, name)
        assert_error(response, 409, "id_conflict")

    assert rows(db) == 1
    assert alice.get(f"/api/attachments/{ID}").get_json() == first
    assert alice.get(f"/api/attachments/{ID}/content", buffered=True).get_data() == JPEG
    assert stored_files(folder) == [folder / sha(JPEG)[:2] / sha(JPEG)]


def test_two_records_may_share_the_same_bytes(alice, exchange, db, folder):
    other_id = str(uuid.uuid4())
    assert upload(alice, exchange.id).status_code == 201

    response = upload(alice, exchange.id, record_id=other_id, name="copie.jpg")

    assert response.status_code == 201
    assert rows(db) == 2
    assert len(stored_files(folder)) == 1  # one copy of the bytes
    assert alice.delete(f"/api/attachments/{ID}").status_code == 204
    assert alice.get(f"/api/attachments/{other_id}/content", buffered=True).get_data() == JPEG


@pytest.mark.parametrize("name, content", [
    ("virus.exe", b"MZ\x90\x00" + bytes(60)),
    ("sans-extension", TXT),
    ("page.html", b"<html><script>alert(1)</script></html>"),
    ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
    ("photo.jpg.exe", JPEG),
    ("point.", TXT),
])
def test_extensions_not_on_the_list_are_415(alice, exchange, db, folder, name, content):
    error = assert_error(upload(alice, exchange.id, content, name), 415, "unsupported_file_type")

    assert set(error["fields"]) == {"file"}
    assert rows(db) == 0
    assert stored_files(folder) == []


@pytest.mark.parametrize("name, content", [
    ("photo.jpg", PDF), ("scan.pdf", JPEG), ("photo.png", JPEG),
    ("notes.txt", b"\x00\x01binary\xff\xfe"), ("rapport.docx", PDF),
])
def test_content_that_does_not_match_its_extension_is_415(alice, exchange, db, folder, name,
                                                          content):
    error = assert_error(upload(alice, exchange.id, content, name), 415, "unsupported_file_type")

    assert set(error["fields"]) == {"file"}
    assert rows(db) == 0
    assert stored_files(folder) == []


def test_an_empty_file_is_422(alice, exchange, db, folder):
    error = assert_error(upload(alice, exchange.id, b"", "vide.txt"), 422, "validation_error")

    assert set(error["fields"]) == {"file"}
    assert rows(db) == 0
    assert stored_files(folder) == []


def test_a_file_over_the_limit_is_413_and_leaves_nothing(app, alice, exchange, db, folder):
    app.config["MAX_UPLOAD_BYTES"] = 1000
    big = JPEG + bytes(1001 - len(JPEG))

    error = assert_error(upload(alice, exchange.id, big, "grande.jpg"), 413, "file_too_large")

    assert "0 MB" not in error["message"] and "1000" in error["message"], error
    assert rows(db) == 0
    assert stored_files(folder) == []  # no .upload-* temporary file left behind
    # far over the limit: refused before the form is even read
    huge = JPEG + bytes(200_000)
    assert_error(upload(alice, exchange.id, huge, "enorme.jpg"), 413)
    assert rows(db) == 0 and stored_files(folder) == []
    # exactly at the limit is fine
    exact = JPEG + bytes(1000 - len(JPEG))
    assert upload(alice, exchange.id, exact, "juste.jpg").status_code == 201


def test_files_larger_than_a_json_body_are_accepted(app, alice, exchange):
    assert app.config["MAX_UPLOAD_BYTES"] > app.config["MAX_CONTENT_LENGTH"]
    content = PDF + bytes(app.config["MAX_CONTENT_LENGTH"] + 1)

    # built in memory: the test client would spool a body this big to a file it never closes
    boundary, body = encode_multipart({"id": ID, "entity": "exchange",
                                       "entity_id": str(exchange.id),
                                       "file": FileStorage(io.BytesIO(content), "plans.pdf")})
    response = alice.post("/api/attachments", data=body,
                          content_type=f"multipart/form-data; boundary={boundary}")

    assert response.status_code == 201, response.get_data(as_text=True)[:300]
    assert response.get_json()["size"] == len(content)
    assert alice.get(f"/api/attachments/{ID}/content", buffered=True).get_data() == content


def test_form_errors_have_the_error_shape(alice, exchange, db, folder):
    base = {"id": ID, "entity": "exchange", "entity_id": str(exchange.id)}
    cases = [
        (base, 422, {"file"}),  # no file
        ({**base, "file": (io.BytesIO(JPEG), "")}, 422, {"file"}),  # a file without a name
        ({k: v for k, v in base.items() if k != "entity_id"} | {
            "file": (io.BytesIO(JPEG), "a.jpg")}, 422, {"entity_id"}),
        ({**base, "entity_id": str(uuid.uuid4()), "file": (io.BytesIO(JPEG), "a.jpg")}, 422,
         {"entity_id"}),
        ({**base, "entity_id": "pas-un-uuid", "file": (io.BytesIO(JPEG), "a.jpg")}, 422,
         {"entity_id"}),
        ({**base, "entity": "contact", "file": (io.BytesIO(JPEG), "a.jpg")}, 422, {"entity"}),
        ({**base, "id": "nope", "file": (io.BytesIO(JPEG), "a.jpg")}, 422, {"id"}),
        ({**base, "extra": "x", "file": (io.BytesIO(JPEG), "a.jpg")}, 422, {"extra"}),
    ]
    for form, status, fields in cases:
        response = alice.post("/api/attachments", data=form, content_type="multipart/form-data")
        error = assert_error(response, status)
        assert set(error.get("fields", {})) == fields, (form, error)

    assert_error(alice.post("/api/attachments", json=base), 415, "unsupported_media_type")
    assert_error(alice.post("/api/attachments", data=b"raw bytes",
                            content_type="application/octet-stream"), 415,
                 "unsupported_media_type")
    assert rows(db) == 0
    assert stored_files(folder) == []


def test_a_deleted_record_takes_no_attachment(alice, people, db):
    gone = ExchangeFactory(created_by=people.a, deleted_at=utcnow())

    error = assert_error(upload(alice, gone.id), 422, "validation_error")

    assert set(error["fields"]) == {"entity_id"}
    assert rows(db) == 0


def test_upload_and_listing_need_a_session(client, exchange, db):
    assert_error(upload(client, exchange.id), 401, "unauthorized")
    assert_error(client.get(f"/api/attachments?entity=exchange&entity_id={exchange.id}"), 401)
    assert rows(db) == 0


def test_upload_requires_the_csrf_token(alice, exchange, db):
    response = alice.post("/api/attachments", headers={"X-CSRF-Token": "forged"}, data={
        "id": ID, "entity": "exchange", "entity_id": str(exchange.id),
        "file": (io.BytesIO(JPEG), "photo.jpg")}, content_type="multipart/form-data")

    assert_error(response, 403, "csrf_failed")
    assert rows(db) == 0


def test_listing_needs_entity_and_entity_id(alice, exchange):
    for query, field in [(f"entity_id={exchange.id}", "entity"), ("entity=exchange", "entity_id"),
                         (f"entity=task&entity_id={exchange.id}", "entity")]:
        error = assert_error(alice.get(f"/api/attachments?{query}"), 422, "validation_error")
        assert set(error["fields"]) == {field}


def test_unknown_attachment_is_404(alice):
    missing = "00000000-0000-4000-8000-000000000000"
    assert_error(alice.get(f"/api/attachments/{missing}"), 404, "not_found")
    assert_error(alice.get(f"/api/attachments/{missing}/content"), 404, "not_found")
    assert_error(alice.delete(f"/api/attachments/{missing}"), 404, "not_found")


# ---------------------------------------------------------------- rights


def test_the_author_may_delete(alice, exchange, db):
    assert upload(alice, exchange.id).status_code == 201

    response = alice.delete(f"/api/attachments/{ID}")

    assert response.status_code == 204 and response.get_data() == b""
    assert_error(alice.get(f"/api/attachments/{ID}"), 404, "not_found")
    assert_error(alice.get(f"/api/attachments/{ID}/content"), 404, "not_found")
    assert alice.get(f"/api/attachments?entity=exchange&entity_id={exchange.id}"
                     ).get_json()["items"] == []
    assert_error(alice.delete(f"/api/attachments/{ID}"), 404, "not_found")
    # a deleted id is not reused, not even for the same bytes
    assert_error(upload(alice, exchange.id), 409, "id_conflict")
    assert rows(db) == 1


def test_another_salesperson_may_not_delete_but_a_manager_may(alice, make_auth, people,
                                                              exchange):
    assert upload(alice, exchange.id).status_code == 201

    assert_error(make_auth(people.b).delete(f"/api/attachments/{ID}"), 403, "forbidden")
    assert alice.get(f"/api/attachments/{ID}").status_code == 200

    assert make_auth(people.manager).delete(f"/api/attachments/{ID}").status_code == 204
    assert_error(alice.get(f"/api/attachments/{ID}"), 404, "not_found")


SECRET_NAME = "contrat-zanzibar.pdf"


@pytest.fixture()
def secret(people, alice):
    exchange = ExchangeFactory(created_by=people.a, participants=[people.b], private=True,
                               subject="Confidentiel", starts_at=utcnow() - timedelta(days=1))
    assert upload(alice, exchange.id, PDF, SECRET_NAME).status_code == 201
    return exchange


@pytest.mark.parametrize("who", ["a", "b"])
def test_author_and_participants_see_a_private_exchanges_files(make_auth, people, secret, who):
    helper = make_auth(getattr(people, who))

    listed = helper.get(f"/api/attachments?entity=exchange&entity_id={secret.id}")
    assert [a["id"] for a in listed.get_json()["items"]] == [ID]
    assert helper.get(f"/api/attachments/{ID}").get_json()["filename"] == SECRET_NAME
    assert helper.get(f"/api/attachments/{ID}/content", buffered=True).get_data() == PDF


@pytest.mark.parametrize("who", ["c", "manager", "admin"])
def test_outsiders_learn_nothing_of_a_private_exchanges_files(make_auth, people, secret, who,
                                                              db_state):
    helper = make_auth(getattr(people, who))
    unknown_exchange = str(uuid.uuid4())
    missing = "00000000-0000-4000-8000-000000000000"
    before = db_state()

    for url in (f"/api/attachments/{ID}", f"/api/attachments/{ID}/content"):
        error = assert_error(helper.get(url), 404, "not_found")
        assert error == helper.get(url.replace(ID, missing)).get_json()["error"]
    listed = helper.get(f"/api/attachments?entity=exchange&entity_id={secret.id}")
    error = assert_error(listed, 422, "validation_error")
    assert error == helper.get(f"/api/attachments?entity=exchange&entity_id={unknown_exchange}"
                               ).get_json()["error"]
    assert_error(helper.delete(f"/api/attachments/{ID}"), 404, "not_found")
    # uploading onto it answers exactly as for an exchange that does not exist
    onto = upload(helper, secret.id, JPEG, record_id=str(uuid.uuid4()))
    error = assert_error(onto, 422, "validation_error")
    assert error == upload(helper, unknown_exchange, JPEG, record_id=str(uuid.uuid4())
                           ).get_json()["error"]
    assert db_state() == before
    for response in (listed, onto):
        assert SECRET_NAME not in response.get_data(as_text=True)


def test_a_participant_removed_loses_the_files(alice, make_auth, people, secret):
    bruno = make_auth(people.b)
    assert bruno.get(f"/api/attachments/{ID}").status_code == 200

    assert alice.patch(f"/api/exchanges/{secret.id}",
                       json={"version": 1, "participant_ids": []}).status_code == 200

    assert_error(bruno.get(f"/api/attachments/{ID}"), 404, "not_found")
    assert_error(bruno.get(f"/api/attachments/{ID}/content"), 404, "not_found")


def test_files_of_a_deleted_record_are_gone(alice, exchange):
    assert upload(alice, exchange.id).status_code == 201

    assert alice.delete(f"/api/exchanges/{exchange.id}").status_code == 204

    assert_error(alice.get(f"/api/attachments/{ID}"), 404, "not_found")
    assert_error(alice.get(f"/api/attachments/{ID}/content"), 404, "not_found")


# ---------------------------------------------------------------- storage


def test_files_are_not_reachable_outside_the_api(app, alice, exchange, folder):
    assert upload(alice, exchange.id, PDF, "devis.pdf").status_code == 201
    digest = sha(PDF)
    assert (folder / digest[:2] / digest).is_file()
    pwa_root = Path(app.root_path) / "pwa"
    assert pwa_root not in folder.resolve().parents  # the instance folder, not the web root

    for url in (f"/attachments/{digest[:2]}/{digest}", f"/attachments/{ID}",
                f"/instance/attachments/{digest[:2]}/{digest}", f"/{digest[:2]}/{digest}",
                f"/attachments/{digest[:2]}/{digest}.pdf", "/attachments/devis.pdf",
                f"/../instance/attachments/{digest[:2]}/{digest}"):
        response = alice.get(url, buffered=True)
        assert response.get_data() != PDF, url
        assert b"%PDF" not in response.get_data(), url
        # at most the app shell (client-side routing), never the file
        assert response.status_code == 404 or response.mimetype == "text/html", url
    for url in (f"/attachments/{digest[:2]}/{digest}.pdf", "/attachments/devis.pdf"):
        assert alice.get(url).status_code == 404, url


def test_the_content_is_private_to_the_session(client, alice, exchange):
    assert upload(alice, exchange.id).status_code == 201

    assert_error(client.get(f"/api/attachments/{ID}/content"), 401, "unauthorized")
    response = alice.get(f"/api/attachments/{ID}/content", buffered=True)
    assert response.headers["Cache-Control"] == "no-store"  # docs/logout-and-device-data.md
    assert response.headers["ETag"].strip('"') == sha(JPEG)
    again = alice.get(f"/api/attachments/{ID}/content",
                      headers={"If-None-Match": response.headers["ETag"]}, buffered=True)
    assert again.status_code == 304 and again.get_data() == b""
