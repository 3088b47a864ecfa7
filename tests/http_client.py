"""A JSON client over real HTTP with its own cookie jar, for tests against a served app."""

from __future__ import annotations

import http.cookiejar
import json
import urllib.error
import urllib.request


class Session:
    """A JSON client over real HTTP with its own cookies."""

    def __init__(self, base: str) -> None:
        self.base, self.csrf = base, ""
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def send(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        request = urllib.request.Request(
            self.base + path, method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json", "X-CSRF-Token": self.csrf})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def post(self, path: str, body: dict) -> tuple[int, dict]:
        return self.send("POST", path, body)

    def get(self, path: str) -> tuple[int, dict]:
        return self.send("GET", path)
