"""Every UI string exists in French and English (no raw keys on screen)."""

from __future__ import annotations

import re
from pathlib import Path

PWA_JS = Path(__file__).resolve().parents[2] / "app" / "pwa" / "js"
KEY = re.compile(r"^\s*'([a-z_.]+)':", re.MULTILINE)
USED = re.compile(r"\bt\('([a-z_.]+)'")


def keys(locale: str) -> set[str]:
    return set(KEY.findall((PWA_JS / "i18n" / f"{locale}.js").read_text(encoding="utf-8")))


def test_french_and_english_have_the_same_keys():
    assert keys("fr") == keys("en")


def test_every_literal_key_used_in_the_code_is_translated():
    used = set()
    for path in PWA_JS.rglob("*.js"):
        used |= set(USED.findall(path.read_text(encoding="utf-8")))
    assert used, "no t('...') calls found: is the pattern out of date?"
    assert used - keys("fr") == set()
