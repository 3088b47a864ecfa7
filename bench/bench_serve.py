"""HTTP under idle WebSockets: gunicorn gthread (`tournee serve`) against gunicorn gevent.

    .venv/bin/python bench/bench_serve.py [--sockets 1000] [--users 20] [--seconds 10]
        [--clients 2] [--concurrency 8] [--threads 600] [--setups gthread,gevent]
        [--keepalive 0]

Each setup: a fresh SQLite instance folder, `tournee init-db`, `--users` accounts, the live
broker and job queue on this machine's Redis (a unique prefix per run), 2 processes:
- gthread: `tournee serve` with TOURNEE_WORKERS=2 and TOURNEE_THREADS=--threads;
- gevent: `gunicorn -k gevent -w 2 --worker-connections 4000 'app:create_app()'` (gevent must be
  installed; it is not a dependency of the app).
First with no socket, then with `--sockets` idle /api/live sockets open (opened all at once by
a separate client process, bench/bench_live.py's client: one epoll thread reads them all and
answers pings): `--clients` processes x `--concurrency` threads GET /api/auth/me as a
logged-in user for `--seconds`, each request timed by the client. Reported: sockets open,
requests per second, latency percentiles, failed requests, RSS and threads of the server
processes. Client and server share the machine's cores.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import redis
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_live import (  # noqa: E402
    PASSWORD,
    children_of,
    client_main,
    create_users,
    login,
    memory,
    pct,
    wait_until_up,
)
from tests.chaos import TOURNEE, free_port  # noqa: E402

GUNICORN = Path(sys.executable).with_name("gunicorn")
REDIS_URL = "redis://127.0.0.1:6379/0"


def start(setup: str, folder: Path, opts: argparse.Namespace,
          ) -> tuple[subprocess.Popen, dict, list[str]]:
    port = free_port()
    env = {**os.environ, "TOURNEE_INSTANCE_DIR": str(folder), "PORT": str(port),
           "TOURNEE_DEMO_ON_EMPTY": "0", "TOURNEE_REDIS_URL": REDIS_URL,
           "TOURNEE_REDIS_PREFIX": f"bench-serve-{uuid.uuid4().hex}", "TOURNEE_WORKERS": "2",
           "TOURNEE_THREADS": str(opts.threads), "TOURNEE_ACCESS_LOG": "0",
           "TOURNEE_DATABASE_URL": f"sqlite:///{folder / 'tournee.db'}"}
    env.update({k: v for k, v in os.environ.items() if k.startswith("GEVENT_")})
    subprocess.run([TOURNEE, "init-db"], env=env, check=True, capture_output=True)
    emails = create_users(folder, opts.users)
    log = open(folder / "server.log", "ab")  # noqa: SIM115 (the process keeps it)
    if setup == "gthread":
        command = [TOURNEE, "serve"]
    else:
        command = [GUNICORN, "-k", "gevent", "-w", "2", "--worker-connections", "4000",
                   "--keep-alive", str(opts.keepalive), "-b", f"127.0.0.1:{port}",
                   "app:create_app()"]
    proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    wait_until_up(port)
    deadline = time.monotonic() + 30
    while len(children_of(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    return proc, {"port": port, "env": env}, emails


def stop(proc: subprocess.Popen, env: dict) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"*{env['TOURNEE_REDIS_PREFIX']}*"))
    if keys:
        client.delete(*keys)


def load_main(port: int, cookie: str, seconds: float, concurrency: int, out) -> None:
    """`concurrency` threads GET /api/auth/me in a loop; send back (latencies, failures)."""
    import threading

    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def loop() -> None:
        session = requests.Session()
        session.headers["Cookie"] = cookie
        mine, bad = [], []
        while time.monotonic() < stop_at:
            t0 = time.monotonic()
            try:
                response = session.get(f"http://127.0.0.1:{port}/api/auth/me", timeout=30)
                if response.status_code != 200:
                    bad.append(str(response.status_code))
                else:
                    mine.append(time.monotonic() - t0)
            except requests.RequestException as error:
                bad.append(type(error).__name__)
        with lock:
            latencies.extend(mine)
            failures.extend(bad)

    threads = [threading.Thread(target=loop) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.send((latencies, failures))


def measure(port: int, cookie: str, opts: argparse.Namespace) -> dict:
    pipes, procs = [], []
    for _ in range(opts.clients):
        parent, child = multiprocessing.Pipe()
        proc = multiprocessing.Process(target=load_main, args=(
            port, cookie, opts.seconds, opts.concurrency, child))
        proc.start()
        pipes.append(parent)
        procs.append(proc)
    latencies, failures = [], []
    for pipe, proc in zip(pipes, procs, strict=True):
        got, bad = pipe.recv()
        latencies += got
        failures += bad
        proc.join()
    ms = [v * 1000 for v in latencies] or [0.0]
    return {"rps": len(latencies) / opts.seconds, "p50": pct(ms, 50), "p95": pct(ms, 95),
            "p99": pct(ms, 99), "max": max(ms), "failed": len(failures)}


def run_setup(setup: str, opts: argparse.Namespace, tmp: Path) -> list[dict]:
    folder = tmp / setup
    folder.mkdir()
    proc, info, emails = start(setup, folder, opts)
    port = info["port"]
    rows = []
    try:
        sessions = [login(port, email) for email in emails]
        cookies = ["; ".join(f"{k}={v}" for k, v in s.cookies.items()) for s in sessions]
        row = {"setup": setup, "sockets": "0/0", **measure(port, cookies[0], opts)}
        rss, threads, _ = memory([proc.pid, *children_of(proc.pid)])
        rows.append({**row, "rss_mb": rss / 1024, "threads": threads})
        parent, child = multiprocessing.Pipe()
        sockets_proc = multiprocessing.Process(target=client_main, args=(
            child, port, [cookies[i % len(cookies)] for i in range(opts.sockets)]))
        sockets_proc.start()
        opened, errors, took = parent.recv()
        if errors:
            print(f"{setup}: {len(errors)} sockets failed, e.g. {errors[0]}", file=sys.stderr)
        print(f"{setup}: {opened} sockets opened in {took:.1f} s", file=sys.stderr)
        time.sleep(3)  # settle: handshakes done, readers idle
        row = {"setup": setup, "sockets": f"{opened}/{opts.sockets}",
               **measure(port, cookies[0], opts)}
        rss, threads, _ = memory([proc.pid, *children_of(proc.pid)])
        rows.append({**row, "rss_mb": rss / 1024, "threads": threads})
        parent.send("stop")
        parent.recv()
        sockets_proc.join()
    finally:
        stop(proc, info["env"])
    log = (folder / "server.log").read_text(errors="replace")
    for word in ("Traceback", "ERROR", "WARNING"):
        if word in log:
            print(f"{setup}: server log has {word} lines (see {folder / 'server.log'})",
                  file=sys.stderr)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--threads", type=int, default=600)
    parser.add_argument("--keepalive", type=int, default=2, help="gevent only")
    parser.add_argument("--setups", default="gthread,gevent")
    parser.add_argument("--keep", action="store_true", help="Keep the instance folders.")
    opts = parser.parse_args()
    assert PASSWORD  # the accounts' password comes from bench_live
    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    rows = []
    for setup in opts.setups.split(","):
        rows += run_setup(setup, opts, tmp)
    print("| setup | sockets open | req/s | p50 ms | p95 ms | p99 ms | max ms | failed "
          "| RSS MB | threads |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['setup']} | {r['sockets']} | {r['rps']:.0f} | {r['p50']:.1f} | "
              f"{r['p95']:.1f} | {r['p99']:.1f} | {r['max']:.0f} | {r['failed']} | "
              f"{r['rss_mb']:.0f} | {r['threads']} |")
    if not opts.keep:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print(f"instance folders kept in {tmp}", file=sys.stderr)


if __name__ == "__main__":
    main()
