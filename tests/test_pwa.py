"""The PWA's files: installable manifest, icons, root-scope worker, no inline script."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import struct

import pytest

from app.pwa import PWA_DIR


class Fetched:
    def __init__(self, client, path: str) -> None:
        with client.get(path) as response:  # closes the streamed file
            self.status_code = response.status_code
            self.content_type = response.content_type
            self.data = response.get_data()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_manifest_is_installable(client):
    response = Fetched(client, "/manifest.webmanifest")
    assert response.status_code == 200
    assert response.content_type == "application/manifest+json"
    manifest = json.loads(response.data)
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_icons_are_pngs_of_their_declared_size(client):
    manifest = json.loads(Fetched(client, "/manifest.webmanifest").data)
    for icon in manifest["icons"]:
        response = Fetched(client, icon["src"])
        assert response.status_code == 200 and response.content_type == "image/png"
        width, height = png_size(response.data)
        assert f"{width}x{height}" == icon["sizes"]


def test_service_worker_at_root_as_javascript(client):
    response = Fetched(client, "/service-worker.js")
    assert response.status_code == 200
    assert response.content_type.startswith("text/javascript")


def test_shell_links_manifest_and_has_no_inline_script(client):
    html = Fetched(client, "/").data.decode()
    assert 'rel="manifest"' in html and 'href="/manifest.webmanifest"' in html
    assert 'name="viewport"' in html and "viewport-fit=cover" in html
    for tag in re.findall(r"<script\b[^>]*>(.*?)</script>", html, flags=re.S):
        assert tag.strip() == "", "inline scripts would break the CSP"
    assert re.search(r'<script type="module" src="/js/main.js"', html)


@pytest.mark.parametrize("path", ["/..%2f..%2fpyproject.toml", "/__init__.py",
                                  "/js/nope.js", "/vendor/../__init__.py"])
def test_no_file_outside_the_pwa_and_no_python(client, path):
    assert Fetched(client, path).status_code == 404


def test_vendored_modules_carry_their_licences():
    for folder in (PWA_DIR / "vendor").iterdir():
        if folder.is_dir():
            assert (folder / "LICENSE").is_file(), folder.name


def test_worker_carries_the_shell_list_and_its_version(client):
    body = Fetched(client, "/service-worker.js").data.decode()
    first_line = body.splitlines()[0]
    assert first_line.startswith("const PRECACHE = ") and first_line.endswith(";")
    manifest = json.loads(first_line.removeprefix("const PRECACHE = ").rstrip(";"))
    files = manifest["files"]  # each shell URL with a short hash of its bytes
    assert {"/", "/js/main.js", "/manifest.webmanifest"} <= set(files)
    assert "/index.html" not in files  # the shell page once, as "/"
    assert not any(f.endswith((".py", ".md")) or "LICENSE" in f for f in files)
    for url, short in files.items():
        fetched = Fetched(client, url)
        assert fetched.status_code == 200, url
        digest = base64.urlsafe_b64encode(hashlib.sha256(fetched.data).digest()[:8]).decode()
        assert short == digest.rstrip("="), url


def test_any_changed_byte_makes_a_new_version(tmp_path, monkeypatch):
    import shutil

    import app.pwa as pwa

    copy = tmp_path / "pwa"
    shutil.copytree(PWA_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(pwa, "PWA_DIR", copy)
    before = pwa.precache_manifest()["version"]
    assert pwa.precache_manifest()["version"] == before
    css = copy / "css" / "app.css"
    css.write_text(css.read_text() + " ")
    assert pwa.precache_manifest()["version"] != before


@pytest.mark.parametrize(("accept", "coding"), [
    (None, None),
    ("gzip, deflate", "gzip"),
    ("gzip, deflate, br, zstd", "br"),
    ("br;q=0, gzip", "gzip"),
    ("identity", None),
])
@pytest.mark.parametrize("path", ["/", "/css/app.css", "/js/main.js", "/service-worker.js"])
def test_text_files_are_sent_compressed_as_the_browser_takes_them(client, path, accept,
                                                                  coding):
    import gzip

    import brotli

    plain = client.get(path)
    response = client.get(path, headers={"Accept-Encoding": accept} if accept else {})

    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == coding
    assert "Accept-Encoding" in response.headers["Vary"]
    body = response.get_data()
    decoded = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[coding](body)
    assert decoded == plain.get_data()
    if coding:
        assert len(body) < len(decoded)
        assert response.headers["ETag"] != plain.headers["ETag"]  # one per encoding
    again = client.get(path, headers={"Accept-Encoding": accept or "",
                                      "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""


def test_images_are_sent_as_they_are(client):
    response = client.get("/icons/icon-192.png", headers={"Accept-Encoding": "br, gzip"})
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == (PWA_DIR / "icons" / "icon-192.png").read_bytes()
