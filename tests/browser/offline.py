"""Helpers for the browser tests: log in, wait for sync states, log a call (in the app or as a
colleague through the API), make a photo."""

from __future__ import annotations

import struct
import zlib
from datetime import UTC, datetime

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

# Reads the app's IndexedDB from the test (the app itself only goes through js/store/db.js).
STORE_ROWS = """async (name) => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open('tournee');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const rows = await new Promise((resolve) => {
    const request = db.transaction(name).objectStore(name).getAll();
    request.onsuccess = () => resolve(request.result);
  });
  db.close();
  return rows;
}"""


def stored(page: Page, store: str) -> list[dict]:
    """Every row of one of the app's IndexedDB stores."""
    return page.evaluate(STORE_ROWS, store)


BLOB_HASHES = """async () => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open('tournee');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const rows = await new Promise((resolve) => {
    const request = db.transaction('blobs').objectStore('blobs').getAll();
    request.onsuccess = () => resolve(request.result);
  });
  const out = {};
  for (const { id, blob } of rows) {
    const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
    const bitmap = await createImageBitmap(blob);
    out[id] = {
      sha256: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join(''),
      type: blob.type, width: bitmap.width, height: bitmap.height,
    };
  }
  db.close();
  return out;
}"""


def login(page: Page, email: str) -> None:
    """Fill the French login form and wait for the home screen."""
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_test_id("home-search")).to_be_visible()


# A sync round of this document is over: none running, and the last complete pull ended after
# the document began (so it asked the server after anything the test wrote before loading it).
SYNCED_HERE = """() => {
  const state = window.__tourneeSync.get();
  return !state.syncing && state.lastSyncAt !== null
    && Date.parse(state.lastSyncAt) >= performance.timeOrigin;
}"""


def wait_synced(page: Page) -> None:
    """The worker controls the page and a full pull begun by this page has finished with
    nothing left to send."""
    # The worker's install fetches the whole shell (~125 files); with both CI passes sharing
    # 2 cores, through tests/chaos.py's one-thread-per-request proxy, it once took over the
    # default 30 s.
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)
    expect(page.get_by_test_id("sync-indicator")).to_contain_text("Synchronisé", timeout=20_000)
    # After a reload the indicator says "Synchronisé" at once, from the time the page before
    # stored; the new page's own pull may still be on its way (and be cut if the test then
    # goes offline).
    expose_sync_state(page)
    page.wait_for_function(SYNCED_HERE, timeout=20_000)


def expose_sync_state(page: Page) -> None:
    """Put the app's sync store on `window.__tourneeSync`, for conditions to wait on."""
    page.evaluate("""async () => {
      window.__tourneeSync = (await import('/js/sync/state.js')).syncState;
    }""")  # the same module instance as the app's: one module map per page


def log_call(page: Page, subject: str | None = None, photo: bytes | None = None) -> None:
    """Consigner -> Appel -> (subject, photo) -> Enregistrer, on the record page shown."""
    page.get_by_role("button", name="Consigner", exact=True).tap()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Appel", exact=True).tap()
    if subject:
        dialog.get_by_label("Objet (facultatif)").fill(subject)
    if photo:
        dialog.get_by_test_id("quicklog-photo-input").set_input_files(
            files=[{"name": "vitrine.png", "mimeType": "image/png", "buffer": photo}])
        expect(dialog.get_by_test_id("quicklog-photos").locator("img")).to_have_count(1)
    dialog.get_by_role("button", name="Enregistrer", exact=True).tap()
    expect(page.get_by_role("dialog")).to_have_count(0)


def png(width: int, height: int, blue: int = 128) -> bytes:
    """A gradient PNG (pure Python: no imaging library in the test environment)."""
    template = bytearray(width * 3)
    template[0::3] = bytes(x * 255 // width for x in range(width))
    template[2::3] = bytes([blue]) * width
    rows = bytearray()
    for y in range(height):
        template[1::3] = bytes([y * 255 // height]) * width
        rows += b"\x00" + template

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes(rows), 6)) + chunk(b"IEND", b""))


def wait_live(page: Page, connected: bool = True, timeout: float = 10_000) -> None:
    """Wait until the app's live socket is (or is no longer) open, as its sync store says."""
    expose_sync_state(page)
    page.wait_for_function("(want) => window.__tourneeSync.get().live === want", arg=connected,
                           timeout=timeout)


def log_exchange(auth, company, subject: str, **extra) -> dict:
    """A colleague logs a call on the company through the API (another device, another person)."""
    response = auth.post("/api/exchanges", json={
        "kind": "call", "state": "done", "subject": subject, "company_id": str(company.id),
        "starts_at": datetime.now(UTC).isoformat(), **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()
