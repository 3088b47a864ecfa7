"""Tap-to-saved latency of an offline call log in Chromium, CPU throttled.

    .venv/bin/python bench/bench_tap.py [--runs 40] [--throttle 4]

A real `tournee run` process, Debian's Chromium at 390x844 through Playwright. After one
online sync the page goes offline and logs calls on a company page: Consigner -> Appel ->
Enregistrer. The app records `quicklog:tap-to-saved` (performance.measure from the tap's event
time to the exchange and its outbox entry committed in IndexedDB). The baseline, in the same
page and throttling, is one bare IndexedDB readwrite transaction putting one record.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402
from tests.browser.offline import log_call, login, wait_synced  # noqa: E402
from tests.chaos import ServerProcess, free_port  # noqa: E402
from tests.factories import PASSWORD  # noqa: E402

BARE_IDB = """async (runs) => {
  const db = await new Promise((resolve, reject) => {
    const r = indexedDB.open('bench-baseline', 1);
    r.onupgradeneeded = () => r.result.createObjectStore('rows', { keyPath: 'id' });
    r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error);
  });
  const out = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await new Promise((resolve, reject) => {
      const tx = db.transaction('rows', 'readwrite');
      tx.objectStore('rows').put({ id: crypto.randomUUID(), subject: 'Appel', at: Date.now() });
      tx.oncomplete = resolve; tx.onerror = () => reject(tx.error);
    });
    out.push(performance.now() - start);
  }
  db.close();
  return out;
}"""


def pct(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def measure(runs: int, throttle: float) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        server = ServerProcess(Path(tmp), free_port())
        server.create_user("vendeur@example.fr", PASSWORD)
        server.start()
        base = f"http://127.0.0.1:{server.port}"
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                context = browser.new_context(base_url=base, locale="fr-FR", **PHONE)
                page = context.new_page()
                page.goto("/")
                login(page, "vendeur@example.fr")
                csrf = page.request.get("/api/auth/me").json()["csrf_token"]
                company = str(uuid.uuid4())
                page.request.post("/api/companies", data={"id": company, "name": "Dupont SARL"},
                                  headers={"X-CSRF-Token": csrf})
                page.reload()
                wait_synced(page)
                context.set_offline(True)
                page.goto(f"/#/companies/{company}")
                cdp = context.new_cdp_session(page)
                rows = []
                for rate in (1, throttle):
                    cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
                    page.evaluate("performance.clearMeasures()")
                    for i in range(runs):
                        try:
                            log_call(page, subject=f"Appel {rate}-{i}")
                        except Exception:
                            page.screenshot(path=str(ROOT / "bench" / "out" / "tap-failure.png"))
                            raise
                    taps = page.evaluate("performance.getEntriesByName('quicklog:tap-to-saved')"
                                         ".map((m) => m.duration)")
                    bare = page.evaluate(BARE_IDB, runs)
                    t50, t95 = pct(taps)
                    b50, b95 = pct(bare)
                    rows.append(f"| {rate:g}x | {len(taps)} | {t50:.1f} | {t95:.1f} | {b50:.1f} "
                                f"| {b95:.1f} | {t95 / b95:.1f}x |")
                browser.close()
        finally:
            server.kill()
    return ["| CPU | calls | tap-to-saved p50 ms | p95 ms | bare IDB write p50 ms | p95 ms "
            "| ratio p95 |", "|---|---|---|---|---|---|---|", *rows]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--throttle", type=float, default=4)
    opts = parser.parse_args()
    print("\n".join(measure(opts.runs, opts.throttle)))


if __name__ == "__main__":
    main()
