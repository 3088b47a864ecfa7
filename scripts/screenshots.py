"""Screenshot every PWA screen at 390x844, in French and English, light and dark.

Usage:
    .venv/bin/python scripts/screenshots.py --base-url http://127.0.0.1:5077 \
        --email commercial@demo.tournee.fr --password tournee-demo

Writes screenshots/<locale>-<scheme>/NN-screen.png (the folder is gitignored). Needs a running
server with data that the search term finds (a company with contacts and deals). The offline
part of the tour WRITES to that server (use a demo instance): one exchange with a photo, a
contact edited on two sides (a conflict, settled), and a refused exchange left "to review".
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import Browser, Page, expect, sync_playwright

# The same browser set-up and test image as the browser tests.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.offline import png

VIEWPORT = {"width": 390, "height": 844}
LOCALES = {"fr": "fr-FR", "en": "en-GB"}
SCHEMES = ("light", "dark")


class Shooter:
    """Takes numbered screenshots of one page into one folder."""

    def __init__(self, page: Page, folder: Path, full_page: bool) -> None:
        self.page = page
        self.folder = folder
        self.full_page = full_page
        self.count = 0
        folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, name: str) -> None:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        self.page.screenshot(path=str(path))
        overflow = self.page.evaluate("document.documentElement.scrollWidth - innerWidth")
        if overflow > 0:
            print(f"  WARNING: {name} overflows horizontally by {overflow}px")
        if self.full_page:
            self.page.screenshot(path=str(path.with_suffix(".full.png")), full_page=True)
        print(f"  {path}")


# An exchange an older app version could have queued; the server refuses its long subject.
QUEUE_BAD_EXCHANGE = """async () => {
  const { enqueue } = await import('/js/sync/outbox.js');
  const id = crypto.randomUUID();
  const data = { id, kind: 'call', state: 'done', subject: 'x'.repeat(300),
                 starts_at: new Date().toISOString() };
  await enqueue([{ entity: 'exchange', op: 'create', id, data, local: { ...data } }]);
}"""


def go(page: Page, base_url: str, route: str) -> None:
    page.goto(f"{base_url}/#{route}")


def settled(page: Page) -> None:
    """Wait until no "Loading…" placeholder is left on the screen."""
    expect(page.locator(".state[role=status]")).to_have_count(0)


def tour(page: Page, shoot: Shooter, args: argparse.Namespace) -> None:
    """Walk through every screen, taking a screenshot of each."""
    go(page, args.base_url, "/")
    expect(page.get_by_test_id("login-form")).to_be_visible()
    shoot("login")
    page.get_by_label("E-mail", exact=False).first.fill(args.email)
    page.locator("input[type=password]").fill(args.password)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("home-search")).to_be_visible()
    settled(page)
    shoot("home")

    page.get_by_test_id("create-open").click()
    expect(page.get_by_test_id("create-company")).to_be_visible()
    shoot("home-create-menu")
    page.get_by_test_id("create-open").click()

    page.get_by_test_id("home-search").click()
    page.get_by_test_id("search-input").fill(args.query)
    first = page.get_by_test_id("results-company").get_by_test_id("search-result").first
    expect(first).to_be_visible()
    shoot("search")

    first.click()
    expect(page.get_by_test_id("record-header")).to_be_visible()
    settled(page)
    # Prefer a contact with a phone number, so the contact screen shows its call buttons.
    with_phone = page.locator("li:has([data-testid=contact-call]) [data-testid=company-contact]")
    contacts = with_phone if with_phone.count() else page.get_by_test_id("company-contact")
    contact_href = contacts.first.get_attribute("href")
    deal_href = page.get_by_test_id("company-deal").first.get_attribute("href")
    shoot("company")

    page.get_by_test_id("quicklog-open").click()
    expect(page.get_by_test_id("kind-call")).to_be_visible()
    shoot("quicklog")
    page.get_by_test_id("kind-call").click()
    page.locator("[data-testid^=outcome-]").first.click()
    shoot("quicklog-filled")
    page.get_by_test_id("sheet-close").click()

    page.goto(f"{args.base_url}/{contact_href}")
    expect(page.get_by_test_id("record-header")).to_be_visible()
    settled(page)
    shoot("contact")

    page.evaluate(
        """() => {
          const name = document.querySelector('.topbar h1').textContent;
          const started = new Date(Date.now() - 4 * 60000).toISOString();
          sessionStorage.setItem('tournee.pendingCall', JSON.stringify(
            {name, phone: '0612345678', contact_id: location.hash.split('/')[2],
             company_id: null, started_at: started}));
          document.dispatchEvent(new Event('visibilitychange'));
        }"""
    )
    expect(page.get_by_test_id("post-call-banner")).to_be_visible()
    shoot("post-call-banner")
    page.get_by_test_id("post-call-log").click()
    expect(page.get_by_test_id("quicklog")).to_be_visible()
    shoot("post-call-quicklog")
    page.get_by_test_id("sheet-close").click()

    page.goto(f"{args.base_url}/{deal_href}")
    expect(page.get_by_test_id("record-header")).to_be_visible()
    settled(page)
    shoot("deal")
    page.get_by_test_id("task-open").click()
    expect(page.get_by_test_id("task-sheet")).to_be_visible()
    shoot("task-sheet")
    page.get_by_test_id("sheet-close").click()

    go(page, args.base_url, "/new/company")
    expect(page.get_by_test_id("new-company-form")).to_be_visible()
    shoot("new-company")
    page.get_by_test_id("new-company-save").click()
    expect(page.get_by_test_id("form-error")).to_be_visible()
    shoot("new-company-errors")

    go(page, args.base_url, "/new/contact")
    expect(page.get_by_test_id("new-contact-form")).to_be_visible()
    page.get_by_test_id("company-picker-input").fill(args.query)
    expect(page.get_by_test_id("company-picker-option").first).to_be_visible()
    shoot("new-contact")

    go(page, args.base_url, "/settings")
    expect(page.get_by_test_id("logout")).to_be_visible()
    shoot("settings")

    go(page, args.base_url, "/alerts")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    settled(page)
    shoot("alerts")
    go(page, args.base_url, "/tasks")
    expect(page.get_by_test_id("tasks-scope-mine")).to_be_visible()
    settled(page)
    shoot("tasks")
    offline_tour(page, shoot, args, company_href=page_company_href(page, args),
                 contact_href=contact_href)


def page_company_href(page: Page, args: argparse.Namespace) -> str:
    go(page, args.base_url, "/search")
    page.get_by_test_id("search-input").fill(args.query)
    first = page.get_by_test_id("results-company").get_by_test_id("search-result").first
    return first.get_attribute("href")


def edit_on_server(browser: Browser, args: argparse.Namespace, contact_id: str) -> None:
    """Another session changes the contact meanwhile (the conflict's server side)."""
    other = browser.new_context(base_url=args.base_url)
    token = other.request.post("/api/auth/login", data={
        "email": args.email, "password": args.password}).json()["csrf_token"]
    current = other.request.get(f"/api/contacts/{contact_id}").json()
    # Always a real change, so the server's version moves on even when the tour runs again.
    title = ("Acheteuse senior" if current["job_title"] != "Acheteuse senior"
             else "Responsable achats")
    other.request.patch(f"/api/contacts/{contact_id}", headers={"X-CSRF-Token": token},
                        data={"version": current["version"], "job_title": title})
    other.close()


def offline_tour(page: Page, shoot: Shooter, args: argparse.Namespace, company_href: str,
                 contact_href: str) -> None:
    """Sync states: synced, offline with pending work and a photo, to review, a conflict."""
    context = page.context
    page.goto(f"{args.base_url}/{company_href}")
    expect(page.get_by_test_id("sync-indicator")).to_be_visible()
    settled(page)
    shoot("sync-synced")

    context.set_offline(True)
    page.get_by_test_id("quicklog-open").click()
    page.get_by_test_id("kind-visit").click()
    page.get_by_test_id("quicklog-photo-input").set_input_files(
        files=[{"name": "vitrine.png", "mimeType": "image/png",
                "buffer": png(1200, 900, blue=150)}])
    expect(page.get_by_test_id("quicklog-photos").locator("img")).to_have_count(1)
    page.locator(".sheet-body").evaluate("(body) => body.scrollTo(0, body.scrollHeight)")
    shoot("quicklog-photo")
    page.get_by_test_id("quicklog-save").click()
    expect(page.get_by_test_id("quicklog")).to_have_count(0)
    expect(page.locator("[data-pending=true]").first).to_be_visible()
    page.evaluate("window.scrollTo(0, document.getElementById('timeline-title').offsetTop - 120)")
    shoot("sync-offline-pending")

    page.goto(f"{args.base_url}/{contact_href}")
    expect(page.get_by_test_id("record-header")).to_be_visible()
    page.get_by_test_id("record-edit").click()
    expect(page.get_by_test_id("edit-form")).to_be_visible()
    # Values that differ from what the contact has, so an edit is queued on every run.
    job = page.locator("#ed-job_title")
    job.fill("Directrice commerciale" if job.input_value() == "Directrice des achats"
             else "Directrice des achats")
    mobile = page.locator("#ed-mobile")
    mobile.fill("06 98 76 54 32" if mobile.input_value() != "06 98 76 54 32" else "06 12 34 56 78")
    shoot("edit-contact-offline")
    page.get_by_test_id("edit-save").click()
    expect(page.get_by_test_id("record-header")).to_be_visible()
    edit_on_server(page.context.browser, args, contact_href.rsplit("/", 1)[-1])
    page.evaluate(QUEUE_BAD_EXCHANGE)

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_test_id("sync-attention")).to_be_visible(timeout=20_000)
    shoot("sync-attention-indicator")
    page.get_by_test_id("sync-attention").click()
    expect(page.get_by_test_id("attention-item")).to_have_count(2)
    shoot("attention")
    page.get_by_test_id("attention-fix").first.click()
    shoot("attention-fix")
    page.get_by_test_id("attention-resolve").click()
    expect(page.get_by_test_id("conflict-form")).to_be_visible()
    shoot("conflict")
    page.get_by_test_id("conflict-save").click()
    expect(page.get_by_test_id("attention-item")).to_have_count(1)
    page.get_by_test_id("attention-discard").click()
    shoot("attention-discard-confirm")
    page.get_by_test_id("attention-discard-confirm").click()
    expect(page.get_by_test_id("attention-item")).to_have_count(0)


def main() -> None:
    """Parse arguments and shoot every locale x colour scheme."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:5000")
    parser.add_argument("--email", default="commercial@demo.tournee.fr")
    parser.add_argument("--password", default="tournee-demo")
    parser.add_argument("--query", default="dup", help="search term that finds a company")
    parser.add_argument("--out", default="screenshots", type=Path)
    parser.add_argument("--full-page", action="store_true", help="also save full-page shots")
    parser.add_argument("--width", type=int, default=VIEWPORT["width"], help="e.g. 360")
    parser.add_argument("--height", type=int, default=VIEWPORT["height"])
    args = parser.parse_args()
    args.base_url = args.base_url.rstrip("/")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for locale, browser_locale in LOCALES.items():
            for scheme in SCHEMES:
                print(f"{locale}-{scheme}")
                context = browser.new_context(
                    viewport={"width": args.width, "height": args.height},
                    has_touch=True, is_mobile=True,
                    locale=browser_locale, color_scheme=scheme,
                )
                page = context.new_page()
                page.on("console", lambda m: m.type == "error" and print("  console:", m.text))
                page.on("pageerror", lambda e: print("  page error:", e))
                folder = args.out / f"{locale}-{scheme}"
                if args.width != VIEWPORT["width"]:
                    folder = folder.with_name(f"{folder.name}-{args.width}")
                tour(page, Shooter(page, folder, args.full_page), args)
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
