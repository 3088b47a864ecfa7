"""Screenshot every PWA screen at 390x844, in French and English, light and dark.

Usage:
    .venv/bin/python scripts/screenshots.py --base-url http://127.0.0.1:5077 \
        --email commercial@demo.tournee.fr --password tournee-demo

Writes screenshots/<locale>-<scheme>/NN-screen.png (the folder is gitignored). Needs a running
server with data that the search term finds (a company with contacts and deals). Nothing is
saved: the quick-log sheet is opened but never submitted.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
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
