"""Requests per second through `tournee serve` against bare handlers on the same gunicorn setup.

    .venv/bin/python bench/bench_http.py [--scale 20] [--seconds 5] [--rounds 3]
        [--connections 16]

The app runs as `tournee serve` (gunicorn gthread, the processes and threads its
configuration gives: 1 x 256 without Redis) on a copy of the demo data scaled (built once with
`tournee demo --scale N`, i.e. through the migrations, cached in bench/out/). The baseline is a
bare Flask app served by the same code path (app.serve.gunicorn_options with the same
configuration and environment, same access log) with two handlers: a hello-world, and the
company timeline as raw SQL (plain sqlite3) + json.dumps on the same database file.

Load: wrk (`apt-get install -y wrk`), one thread, `--connections` connections, rotating over
200 contacts / companies, with the logged-in session cookie on every request (the bare app
ignores it). Besides req/s, the servers' own CPU time per request (user + system, from
/proc, master and workers) is reported: other load on the machine changes it far less.
`tournee serve` closes each connection after its answer (keepalive 0), and the bare
app is served with the same setting, so every request of both pays a TCP connect. Rounds
alternate app and baseline; figures are the median of the rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out"
TOURNEE = Path(sys.executable).with_name("tournee")
EMAIL, PASSWORD = "commercial@demo.tournee.fr", "tournee-demo"
# The rows of app/services/timeline.py for a company (same arms, same visibility), by hand.
TIMELINE_SQL = """
SELECT * FROM exchanges e
WHERE e.deleted_at IS NULL
  AND (e.private = 0 OR e.created_by_id = :u OR EXISTS (
       SELECT 1 FROM exchange_participants p WHERE p.exchange_id = e.id AND p.user_id = :u))
  AND e.id IN (
       SELECT id FROM exchanges WHERE company_id = :c
       UNION SELECT id FROM exchanges WHERE contact_id IN (
             SELECT contact_id FROM company_contacts WHERE company_id = :c)
             AND coalesce(company_id, :c) = :c
       UNION SELECT exchange_id FROM exchange_deals WHERE deal_id IN (
             SELECT id FROM deals WHERE company_id = :c))
ORDER BY e.starts_at DESC, e.id DESC LIMIT 50
"""


# -- data ---------------------------------------------------------------------------------------

def served_database(scale: int) -> Path:
    """The demo data scaled, loaded through the migrations as `tournee demo` does; cached."""
    path = OUT / f"served-x{scale}.db"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        temp = Path(tmp) / "tournee.db"
        env = {**os.environ, "TOURNEE_INSTANCE_DIR": tmp,
               "TOURNEE_DATABASE_URL": f"sqlite:///{temp}", "TOURNEE_REDIS_URL": ""}
        started = time.perf_counter()
        subprocess.run([TOURNEE, "demo", "--scale", str(scale)], env=env, check=True,
                       capture_output=True)
        print(f"built {path.name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        with sqlite3.connect(temp) as conn:  # one self-contained file, WAL folded in
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy(temp, path)
    return path


def dashed(hex_id: str) -> str:
    """A UUID as the API spells it (SQLite stores them as 32 hex digits)."""
    h = hex_id.replace("-", "")
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def sample_ids(path: Path, table: str, count: int = 200) -> list[str]:
    """The same `count` live ids of `table` at every call (a seeded draw)."""
    with sqlite3.connect(path) as conn:
        ids = [r[0] for r in conn.execute(f"SELECT id FROM {table} "
                                          "WHERE deleted_at IS NULL ORDER BY id")]
    return [dashed(i) for i in random.Random(7).sample(ids, min(count, len(ids)))]


# -- the bare app (runs in its own gunicorn process) -------------------------------------------

def bare_app(db_path: str, user_hex: str):
    """Flask with nothing but two handlers: hello-world and the raw timeline."""
    from flask import Flask, Response

    app = Flask("bare")
    local = threading.local()

    def connection() -> sqlite3.Connection:
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = sqlite3.connect(db_path, check_same_thread=False)
            conn.row_factory = sqlite3.Row
        return conn

    @app.get("/hello")
    def hello() -> str:
        return "Hello, World!"

    @app.get("/raw/companies/<company_id>/timeline")
    def raw_timeline(company_id: str) -> Response:
        rows = connection().execute(
            TIMELINE_SQL, {"c": company_id.replace("-", ""), "u": user_hex}).fetchall()
        return Response(json.dumps([dict(r) for r in rows], default=str),
                        mimetype="application/json")

    return app


def serve_options(port: int) -> dict:
    """The gunicorn options `tournee serve` would use under this environment, on `port`."""
    from app.config import Config
    from app.serve import gunicorn_options, workers_for

    config = {k: getattr(Config, k) for k in dir(Config) if k.isupper()}
    return gunicorn_options(config, Config.HOST, port, workers_for(config),
                            config["WEB_THREADS"])


def serve_bare(port: int, db_path: str, user_hex: str) -> None:
    """Serve bare_app() with the options `tournee serve` would use under this environment."""
    from gunicorn.app.base import BaseApplication

    options = serve_options(port)
    options["proc_name"] = "bench-bare"

    class Bare(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return bare_app(db_path, user_hex)

    Bare().run()


# -- servers ------------------------------------------------------------------------------------

def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}) before answering")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # an answer, even a 401
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answers at {url}")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Servers:
    """`tournee serve` on a copy of the data, and the bare app on the same file."""

    def __init__(self, data: Path, folder: Path, extra_env: dict | None = None,
                 app_argv: list[str] | None = None) -> None:
        self.folder = folder
        self.db = folder / "tournee.db"
        shutil.copy(data, self.db)
        self.env = {**os.environ, "TOURNEE_INSTANCE_DIR": str(folder),
                    "TOURNEE_DATABASE_URL": f"sqlite:///{self.db}", "TOURNEE_DEMO_ON_EMPTY": "0",
                    "TOURNEE_REDIS_URL": "", **(extra_env or {})}
        self.app_port, self.bare_port = free_port(), free_port()
        self.logs = [open(folder / "serve.log", "ab"), open(folder / "bare.log", "ab")]  # noqa: SIM115
        # `app_argv` serves something else in the app's place (bench_floor.py); its port last.
        self.app = subprocess.Popen([*(app_argv or [TOURNEE, "serve", "--port"]),
                                     str(self.app_port)],
                                    env=self.env, cwd=ROOT, stdout=self.logs[0],
                                    stderr=subprocess.STDOUT)
        self.bare: subprocess.Popen | None = None
        try:
            wait_until_up(f"http://127.0.0.1:{self.app_port}/api/auth/me", self.app)
            self.cookie, self.user_hex = self.login()
            self.bare = subprocess.Popen(
                [sys.executable, __file__, "--bare", str(self.bare_port), str(self.db),
                 self.user_hex], env=self.env, cwd=ROOT, stdout=self.logs[1],
                stderr=subprocess.STDOUT)
            wait_until_up(f"http://127.0.0.1:{self.bare_port}/hello", self.bare)
        except BaseException:
            self.stop()
            raise

    def login(self) -> tuple[str, str]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.app_port}/api/auth/login", method="POST",
            data=json.dumps({"email": EMAIL, "password": PASSWORD}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            cookie = response.headers["Set-Cookie"].split(";", 1)[0]
            user = json.load(response)["user"]
        return cookie, user["id"].replace("-", "")

    def url(self, which: str, path: str) -> str:
        port = self.app_port if which == "app" else self.bare_port
        return f"http://127.0.0.1:{port}{path}"

    def stop(self) -> None:
        stop_processes({self.app: signal.SIGTERM, self.bare: signal.SIGTERM})
        for log in self.logs:
            log.close()

    def problems(self) -> list[str]:
        """Server log lines that look like trouble."""
        found = []
        for name in ("serve.log", "bare.log"):
            for line in (self.folder / name).read_text(errors="replace").splitlines():
                if re.search(r"Traceback|ERROR|CRITICAL|\" 5\d\d ", line):
                    found.append(f"{name}: {line[:200]}")
        return found


def stop_processes(signals: dict) -> None:
    """Send each running process its signal, then wait for all (killed after 20 s)."""
    for proc, signum in signals.items():
        if proc is not None and proc.poll() is None:
            proc.send_signal(signum)
    for proc in signals:
        if proc is not None:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


# -- load ---------------------------------------------------------------------------------------

WRK_SCRIPT = """
paths = {%s}
i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def wrk(url: str, paths: list[str], cookie: str, seconds: float, connections: int,
        folder: Path) -> dict:
    """Run wrk against `url` rotating over `paths`; return req/s, latency p50/p99, errors."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    script = folder / "paths.lua"
    script.write_text(WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths))
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
         "--timeout", "10s", "-H", f"Cookie: {cookie}", "-s", str(script), url],
        capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": rps, "requests": requests,
            "p50": _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1)),
            "p99": _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1)),
            "non2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(1) if errors else "", "raw": out}


def cpu_seconds(root: int) -> float:
    """User + system CPU seconds of a process and its children (gunicorn: master + workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == root or int(fields[1]) == root:  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def compare(servers: Servers, pairs: list[tuple[str, str, list[str], str, list[str]]],
            seconds: float, rounds: int, connections: int) -> dict[str, dict]:
    """For each (name, app path prefix...) pair, alternate app and baseline runs."""
    results: dict[str, dict] = {}
    for name, app_which, app_paths, base_which, base_paths in pairs:
        runs = {"app": [], "base": []}
        for _ in range(rounds):
            for side, which, paths in (("app", app_which, app_paths),
                                       ("base", base_which, base_paths)):
                pid = servers.app.pid if which == "app" else servers.bare.pid
                before = cpu_seconds(pid)
                run = wrk(servers.url(which, "/"), paths, servers.cookie, seconds, connections,
                          servers.folder)
                run["cpu_ms"] = (cpu_seconds(pid) - before) / run["requests"] * 1000
                runs[side].append(run)
        results[name] = {side: summarise(r) for side, r in runs.items()}
    return results


def summarise(runs: list[dict]) -> dict:
    return {"rps": statistics.median(r["rps"] for r in runs),
            "cpu_ms": statistics.median(r["cpu_ms"] for r in runs),
            "p50": statistics.median(r["p50"] for r in runs),
            "p99": statistics.median(r["p99"] for r in runs),
            "non2xx": sum(r["non2xx"] for r in runs),
            "socket_errors": "; ".join(r["socket_errors"] for r in runs if r["socket_errors"]),
            "each": [round(r["rps"]) for r in runs]}


def run(scale: int = 20, seconds: float = 5, rounds: int = 3, connections: int = 16) -> dict:
    """Both comparisons in one setup; returns their summaries and the setup's facts."""
    data = served_database(scale)
    contacts = [f"/api/contacts/{i}" for i in sample_ids(data, "contacts")]
    companies = sample_ids(data, "companies")
    with tempfile.TemporaryDirectory() as tmp:
        servers = Servers(data, Path(tmp))
        try:
            results = compare(servers, [
                ("contact", "app", contacts, "bare", ["/hello"]),
                ("timeline", "app", [f"/api/companies/{c}/timeline" for c in companies],
                 "bare", [f"/raw/companies/{c}/timeline" for c in companies]),
            ], seconds, rounds, connections)
            results["problems"] = servers.problems()
        finally:
            servers.stop()
    results["setup"] = {"scale": scale, "seconds": seconds, "rounds": rounds,
                        "connections": connections}
    return results


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--bare":
        serve_bare(int(sys.argv[2]), sys.argv[3], sys.argv[4])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    opts = parser.parse_args()
    results = run(opts.scale, opts.seconds, opts.rounds, opts.connections)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()

