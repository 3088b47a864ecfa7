"""Lighthouse (mobile) performance and accessibility of the login and home screens.

    .venv/bin/python bench/bench_lighthouse.py [--setups nginx,direct] [--screens login,home]

Lighthouse is the npm package pinned in bench/package.json, installed under bench/ with
`npm ci` when missing; it drives Debian's Chromium (CHROME_PATH=/usr/bin/chromium,
`--headless=new --no-sandbox`) with its default mobile settings (Moto G Power, slow 4G and 4x
CPU slowdown, simulated). The app is `tournee serve` on the demo data (x1), reached two ways:
- nginx: as docs/deploy.md sets it up (TLS with a self-signed certificate here, which
  Chromium is told to trust by its key, so caching and the service worker work as with a
  real one; HTTP/2,
  TOURNEE_PROXY_COUNT=1 and TOURNEE_HTTPS=1, gzip for JSON; the app compresses the shell
  itself);
- direct: the browser talks to gunicorn itself (HTTP/1.1, one request per connection, the
  shell compressed by the app, JSON not), as nobody should deploy it.
Screens: the login screen (no cookie) and the home screen (the session cookie of a login made
beforehand, passed with --extra-headers; the app opens on its home screen and starts its first
sync).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_http import (  # noqa: E402
    EMAIL,
    PASSWORD,
    TOURNEE,
    free_port,
    served_database,
    stop_processes,
    wait_until_up,
)

BENCH = ROOT / "bench"
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
NGINX_CONF = """
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    log_format bench '$status $bytes_sent $body_bytes_sent $request_method $uri';
    access_log {prefix}/access.log bench;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    gzip on;
    gzip_types application/json;
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}
    upstream tournee {{
        server 127.0.0.1:{app_port};
    }}
    server {{
        listen 127.0.0.1:{port} ssl http2;
        ssl_certificate     {prefix}/cert.pem;
        ssl_certificate_key {prefix}/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        client_max_body_size 25m;
        proxy_http_version 1.1;
        # docs/deploy.md has $host (port 443); here the port is not 443, so the Host the
        # browser sent is kept whole, as the live socket's origin check needs.
        proxy_set_header Host              $http_host;
        proxy_set_header X-Forwarded-For   $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        location / {{
            proxy_pass http://tournee;
        }}
        location = /api/live {{
            proxy_pass http://tournee;
            proxy_set_header Host              $http_host;
            proxy_set_header X-Forwarded-For   $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header Upgrade           $http_upgrade;
            proxy_set_header Connection        $connection_upgrade;
            proxy_read_timeout 1h;
            proxy_buffering off;
        }}
    }}
}}
"""


# docs/deploy.md's Caddy site, with the bench's certificate instead of one from an ACME CA.
CADDYFILE = """{{
    admin off
    auto_https off
    default_sni 127.0.0.1
    storage file_system {prefix}/data
}}
https://127.0.0.1:{port} {{
    tls {prefix}/cert.pem {prefix}/key.pem
    log {{
        output file {prefix}/access.log
        format json
    }}
    encode gzip
    reverse_proxy 127.0.0.1:{app_port}
}}
"""


PROXIES = ("nginx", "caddy")


def ensure_lighthouse() -> None:
    """Install the pinned Lighthouse under bench/ if it is not there yet."""
    if LIGHTHOUSE.exists():
        return
    if shutil.which("npm") is None:
        raise SystemExit("npm is needed to install Lighthouse (bench/package.json)")
    print("installing Lighthouse under bench/ (npm ci)...", file=sys.stderr)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=BENCH, check=True,
                   stdout=subprocess.DEVNULL)


def spki_hash(cert: Path) -> str:
    """The certificate's public-key hash, for Chromium's --ignore-certificate-errors-spki-list
    (the page is then as trusted as a real certificate's: its files are cached, which a page
    with a certificate error's are not)."""
    key = subprocess.run(["openssl", "x509", "-in", str(cert), "-pubkey", "-noout"],
                         capture_output=True, check=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=key,
                         capture_output=True, check=True).stdout
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


class Site:
    """`tournee serve` on a copy of the demo data, alone or behind nginx or Caddy."""

    def __init__(self, folder: Path, setup: str) -> None:
        self.folder, self.setup = folder, setup
        shutil.copy(served_database(1), folder / "tournee.db")
        self.app_port = free_port()
        env = {**os.environ, "TOURNEE_INSTANCE_DIR": str(folder),
               "TOURNEE_DATABASE_URL": f"sqlite:///{folder / 'tournee.db'}",
               "TOURNEE_DEMO_ON_EMPTY": "0", "TOURNEE_REDIS_URL": ""}
        if setup in PROXIES:
            env.update(TOURNEE_PROXY_COUNT="1", TOURNEE_HTTPS="1")
        self.log = open(folder / "serve.log", "ab")  # noqa: SIM115 (closed in stop)
        self.app = subprocess.Popen([TOURNEE, "serve", "--port", str(self.app_port)], env=env,
                                    cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        self.proxy: subprocess.Popen | None = None
        try:
            wait_until_up(f"http://127.0.0.1:{self.app_port}/api/auth/me", self.app)
            if setup in PROXIES:
                self.port = free_port()
                self._start_proxy()
                self.origin = f"https://127.0.0.1:{self.port}"
            else:
                self.port, self.origin = self.app_port, f"http://127.0.0.1:{self.app_port}"
        except BaseException:
            self.stop()
            raise

    def _start_proxy(self) -> None:
        prefix = self.folder / self.setup
        prefix.mkdir()
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", str(prefix / "key.pem"), "-out", str(prefix / "cert.pem")],
                       check=True, capture_output=True)
        self.spki = spki_hash(prefix / "cert.pem")
        if shutil.which(self.setup) is None:
            raise SystemExit(f"{self.setup} is needed: apt-get install -y {self.setup}")
        if self.setup == "nginx":
            conf = prefix / "nginx.conf"
            conf.write_text(NGINX_CONF.format(prefix=prefix, port=self.port,
                                              app_port=self.app_port))
            command = ["nginx", "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"]
        else:
            conf = prefix / "Caddyfile"
            conf.write_text(CADDYFILE.format(prefix=prefix, port=self.port,
                                             app_port=self.app_port))
            command = ["caddy", "run", "--config", str(conf), "--adapter", "caddyfile"]
        self.proxy = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT,
                                      env={**os.environ, "HOME": str(prefix)})
        context = ssl._create_unverified_context()  # the bench's own self-signed certificate
        for _ in range(100):
            try:
                urllib.request.urlopen(f"https://127.0.0.1:{self.port}/", timeout=2,
                                       context=context)
                return
            except OSError:
                if self.proxy.poll() is not None:
                    raise RuntimeError(f"{self.setup} exited") from None
                time.sleep(0.1)
        raise RuntimeError(f"{self.setup} does not answer")

    def cookie(self) -> str:
        """Log in as the demo salesperson; return the session cookie (name=value)."""
        request = urllib.request.Request(
            f"{self.origin}/api/auth/login", method="POST",
            data=json.dumps({"email": EMAIL, "password": PASSWORD}).encode(),
            headers={"Content-Type": "application/json", "Origin": self.origin})
        context = ssl._create_unverified_context()
        with urllib.request.urlopen(request, timeout=30, context=context) as response:
            return response.headers["Set-Cookie"].split(";", 1)[0]

    def stop(self) -> None:
        stop_processes({self.proxy: signal.SIGQUIT if self.setup == "nginx" else signal.SIGTERM,
                        self.app: signal.SIGTERM})
        self.log.close()


def lighthouse(url: str, out: Path, cookie: str | None, spki: str | None = None) -> dict:
    """Run Lighthouse once; return the scores and the metrics that weigh."""
    trust = f" --ignore-certificate-errors-spki-list={spki}" if spki else ""
    command = [str(LIGHTHOUSE), url, "--only-categories=performance,accessibility",
               f"--chrome-flags=--headless=new --no-sandbox{trust}",
               "--output=json", f"--output-path={out}", "--quiet"]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM},
                   cwd=BENCH, timeout=300)
    report = json.loads(out.read_text())
    audits = report["audits"]
    misses = [f"{cat}: {ref['id']} {audits[ref['id']]['score']}"
              f" {audits[ref['id']].get('displayValue', '')}".rstrip()
              for cat in ("performance", "accessibility")
              for ref in report["categories"][cat]["auditRefs"]
              if ref["weight"] > 0 and audits[ref["id"]]["score"] is not None
              and audits[ref["id"]]["score"] < 1]
    return {"performance": round(report["categories"]["performance"]["score"] * 100),
            "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
            "metrics": {k: audits[k].get("displayValue") for k in (
                "first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                "cumulative-layout-shift", "speed-index")},
            "final_url": report.get("finalDisplayedUrl") or report.get("finalUrl"),
            "misses": misses}


def run(setups: tuple[str, ...] = ("nginx", "direct"),
        screens: tuple[str, ...] = ("login", "home"), keep: Path | None = None) -> dict:
    """Scores per (setup, screen)."""
    ensure_lighthouse()
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        for setup in setups:
            folder = Path(tmp) / setup
            folder.mkdir()
            site = Site(folder, setup)
            try:
                for screen in screens:
                    cookie = site.cookie() if screen == "home" else None
                    out = (keep or folder) / f"lighthouse-{setup}-{screen}.json"
                    results[(setup, screen)] = lighthouse(f"{site.origin}/", out, cookie,
                                                          getattr(site, "spki", None))
            finally:
                site.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--setups", default="nginx,direct")
    parser.add_argument("--screens", default="login,home")
    opts = parser.parse_args()
    keep = ROOT / "bench" / "out"
    keep.mkdir(parents=True, exist_ok=True)
    results = run(tuple(opts.setups.split(",")), tuple(opts.screens.split(",")), keep)
    for (setup, screen), r in results.items():
        print(f"{setup} {screen}: performance {r['performance']}, accessibility "
              f"{r['accessibility']}; {r['metrics']}")
        for miss in r["misses"]:
            print(f"    {miss}")


if __name__ == "__main__":
    main()
