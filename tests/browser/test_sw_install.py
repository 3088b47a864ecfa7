"""The worker's first install costs no second request for what the page has just loaded, and
never keeps a file whose bytes are not the ones its version expects."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator

import pytest
from flask import request, request_finished

import app.pwa as pwa

pytestmark = pytest.mark.browser
SHELL_PATHS = "(v) => caches.open('tournee-shell-' + v).then((c) => c.keys())" \
              ".then((keys) => keys.map((r) => new URL(r.url).pathname))"


@pytest.fixture
def asked(app) -> Iterator[Counter[tuple[str, str]]]:
    """How many times the server answered each path, by Sec-Fetch-Dest: the page's loads are
    `document`, `script`, `style`, `image`...; the worker's own imports `serviceworker`; what
    its install fetches `empty`."""
    counts: Counter[tuple[str, str]] = Counter()

    def count(sender, response, **extra) -> None:
        counts[request.path, request.headers.get("Sec-Fetch-Dest", "")] += 1

    request_finished.connect(count, app)
    yield counts
    request_finished.disconnect(count, app)


def test_install_takes_the_files_the_page_loaded_from_the_http_cache(page, asked):
    page.goto("/")
    page.wait_for_function("navigator.serviceWorker.controller !== null")  # installed
    shell = pwa.precache_manifest()

    assert sorted(page.evaluate(SHELL_PATHS, shell["version"])) == sorted(shell["files"])
    by_page = {path for path, dest in asked if dest not in ("empty", "serviceworker")}
    by_install = {path for path, dest in asked if dest == "empty"}
    assert {"/", "/js/main.js", "/css/app.css"} <= by_page
    assert "/icons/badge-96.png" in by_install  # what the page did not load, the install fetched
    again = sorted(by_page & by_install)
    assert not again, f"asked again by the worker's install: {again}"


def test_a_file_that_does_not_match_fails_the_install_and_leaves_no_cache(page, asked,
                                                                          monkeypatch):
    """The HTTP cache holds the page's copy of app.css; a worker that expects other bytes
    asks the server again, gets the same bytes, and refuses to install with them."""
    real = pwa.precache_manifest()
    hashes = {**real["hashes"], "/css/app.css": "A" * 11}
    monkeypatch.setattr(pwa, "precache_manifest",
                        lambda: {**real, "hashes": hashes, "version": real["version"] + "x"})
    page.goto("/")
    deadline = time.monotonic() + 15
    while not asked["/css/app.css", "empty"] and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert asked["/css/app.css", "style"] == 1  # the page's copy...
    assert asked["/css/app.css", "empty"] == 1  # ...then the worker asked the server
    # The install fails: no worker, and no half-filled cache left behind.
    gone = "navigator.serviceWorker.getRegistration()" \
           ".then((r) => !r || (!r.installing && !r.waiting && !r.active))"
    while not page.evaluate(gone) and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert page.evaluate(gone)
    assert page.evaluate("navigator.serviceWorker.controller") is None
    assert page.evaluate("caches.keys()") == []
