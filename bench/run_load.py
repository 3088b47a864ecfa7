"""Load test: salespeople (bench/locustfile.py) against `tournee serve`, on SQLite and on
PostgreSQL + Redis, with tables of latency and a check of the server logs.

    .venv/bin/python bench/run_load.py                        # both, 200 users, 10 minutes
    .venv/bin/python bench/run_load.py --backend sqlite -u 20 -t 1m

Per backend: a fresh database with the demo data (`tournee demo --scale N`), `tournee worker`
and `tournee serve` started as production runs them (SQLite: 1 process, since several need
Redis; PostgreSQL + Redis: TOURNEE_WORKERS=2), then `locust --headless`. Errors are locust's
failures (5xx, connection errors, unexpected 4xx, broken exactly-once) plus, in the server's
and worker's logs, 5xx answers, tracebacks, "database is locked" and deadlocks. Files go to
--out (default /tmp/tournee-load/<backend>/). Exit status 1 if anything failed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
READS = ("GET /api/companies", "GET /api/contacts", "GET /api/deals", "GET /api/tasks",
         "GET /api/notifications", "GET /api/sync/changes")
Finder = Callable[[], list[psutil.Process]]  # a group of processes, as they are now
LOG_ERRORS = {
    "database is locked": re.compile(r"database is locked"),
    "traceback": re.compile(r"^Traceback \(most recent call last\)"),
    "deadlock": re.compile(r"deadlock detected", re.I),
    "pool exhausted": re.compile(r"QueuePool limit"),
    "5xx answer": re.compile(r'" 5\d\d \d+ '),  # the access log: "GET /path HTTP/1.1" 500 ...
    "worker timeout": re.compile(r"WORKER TIMEOUT"),
}


@dataclass
class Run:
    backend: str
    out: Path
    env: dict
    workers: int
    stats: list[dict] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    log_errors: dict = field(default_factory=dict)
    log_samples: list[str] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)
    cpu: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1",
                    "-qc", sql], check=True)


def environment(backend: str, out: Path, args: argparse.Namespace) -> tuple[dict, int]:
    """The server's environment for a backend, and its number of processes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOURNEE_")}
    env |= {"TOURNEE_INSTANCE_DIR": str(out / "instance"), "TOURNEE_ACCESS_LOG": "1",
            "TOURNEE_DEMO_ON_EMPTY": "0"}
    if args.threads:
        env["TOURNEE_THREADS"] = str(args.threads)
    if backend == "sqlite":
        return env | {"TOURNEE_WORKERS": "1"}, 1  # more than one process needs Redis
    psql(f"DROP DATABASE IF EXISTS {args.pg_db} WITH (FORCE)")
    psql(f"CREATE DATABASE {args.pg_db}")
    env |= {"TOURNEE_DATABASE_URL": f"{args.pg_url}/{args.pg_db}",
            "TOURNEE_REDIS_URL": args.redis_url,
            "TOURNEE_REDIS_PREFIX": f"tournee-load-{os.getpid()}",
            "TOURNEE_WORKERS": "2"}
    return env, 2


def database_url(run: Run) -> str:
    return run.env.get("TOURNEE_DATABASE_URL") or f"sqlite:///{run.out / 'instance/tournee.db'}"


def facts(run: Run) -> tuple[list[str], int]:
    """The demo's sales accounts and the change counter (devices start synced up to it)."""
    engine = create_engine(database_url(run))
    with engine.connect() as conn:
        emails = list(conn.scalars(text(
            "SELECT email FROM users WHERE role = 'sales' AND active ORDER BY email")))
        counter = conn.scalar(text("SELECT value FROM change_counter WHERE id = 1"))
    engine.dispose()
    return emails, counter


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    """Start a command in its own process group, its output to `log`."""
    with open(log, "wb") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT,
                                cwd=ROOT, start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the group this script started (gunicorn's master and its workers)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_ready(port: int, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"tournee serve exited with {server.returncode}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/auth/me", timeout=2)
        except urllib.error.HTTPError as exc:
            if exc.code == 401:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("tournee serve did not answer in time")


class CpuMeter:
    """CPU seconds used by process groups and by the whole machine during the run."""

    def __init__(self, groups: dict[str, Finder]) -> None:
        self.groups = groups  # name -> function returning that group's processes now
        self.seen: dict[str, dict[int, float]] = {name: {} for name in groups}
        self.first: dict[str, dict[int, float]] = {name: {} for name in groups}
        self.machine0 = psutil.cpu_times()
        self.loads: list[float] = []
        self.sample()

    def sample(self) -> None:
        for name, find in self.groups.items():
            for proc in find():
                try:
                    times = proc.cpu_times()
                except psutil.Error:
                    continue
                used = times.user + times.system
                self.first[name].setdefault(proc.pid, used)
                self.seen[name][proc.pid] = used
        self.loads.append(os.getloadavg()[0])

    def result(self, seconds: float) -> dict:
        machine = psutil.cpu_times()
        busy = sum(getattr(machine, f) - getattr(self.machine0, f)
                   for f in ("user", "system", "nice", "irq", "softirq", "steal"))
        out = {name: sum(self.seen[name][pid] - self.first[name][pid] for pid in self.seen[name])
               for name in self.groups}
        out["machine busy"] = busy
        out |= {"cores": psutil.cpu_count(), "seconds": seconds,
                "load1 mean": sum(self.loads) / len(self.loads), "load1 max": max(self.loads)}
        return out


def tree(process: subprocess.Popen) -> Finder:
    def find() -> list[psutil.Process]:
        try:
            root = psutil.Process(process.pid)
            return [root, *root.children(recursive=True)]
        except psutil.Error:
            return []
    return find


def by_cmdline(fragment: str) -> Finder:
    def find() -> list[psutil.Process]:
        found = []
        for proc in psutil.process_iter(["cmdline"]):
            if fragment in " ".join(proc.info["cmdline"] or ()):
                found.append(proc)
        return found
    return find


def run_backend(backend: str, args: argparse.Namespace) -> Run:
    out = args.out / backend
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    env, workers = environment(backend, out, args)
    run = Run(backend, out, env, workers)
    tournee = str(BIN / "tournee")
    began = time.monotonic()
    with open(out / "demo.log", "wb") as log:
        subprocess.run([tournee, "demo", "--scale", str(args.scale)], env=env, cwd=ROOT,
                       check=True, stdout=log, stderr=subprocess.STDOUT)
    run.notes.append(f"demo x{args.scale} loaded in {time.monotonic() - began:.0f} s")
    emails, counter = facts(run)
    port = free_port()
    worker = start([tournee, "worker"], env, out / "worker.log")
    server = start([tournee, "serve", "--port", str(port)], env, out / "server.log")
    try:
        wait_ready(port, server)
        time.sleep(2)  # every process up, not just the first to answer
        locust_env = env | {"LOAD_ACCOUNTS": ",".join(emails), "LOAD_PASSWORD": "tournee-demo",
                            "LOAD_SYNC_CURSOR": str(counter),
                            "LOAD_COUNTS_FILE": str(out / "counts.json")}
        command = [str(BIN / "locust"), "-f", str(ROOT / "bench/locustfile.py"), "--headless",
                   "-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.duration,
                   "--host", f"http://127.0.0.1:{port}", "--csv", str(out / "locust"),
                   "--stop-timeout", "5", "--only-summary"]
        (out / "command.txt").write_text(" ".join(command) + "\n")
        groups = {"server": tree(server), "worker": tree(worker)}
        if backend == "postgres":
            groups["postgres"] = by_cmdline(f"postgres {args.pg_db} ")
            groups["redis"] = by_cmdline("redis-server")
        locust = start(command, locust_env, out / "locust.log")
        groups["locust"] = tree(locust)
        meter, t0 = CpuMeter(groups), time.monotonic()
        while locust.poll() is None:
            time.sleep(5)
            meter.sample()
        run.cpu = meter.result(time.monotonic() - t0)
        run.notes.append(f"{len(emails)} sales accounts shared by {args.users} users; "
                         f"devices synced up to change {counter}")
    finally:
        stop(server)
        stop(worker)
    collect(run)
    if backend == "postgres" and not args.keep:
        psql(f"DROP DATABASE IF EXISTS {args.pg_db} WITH (FORCE)")
        import redis

        client = redis.Redis.from_url(args.redis_url)
        for key in client.scan_iter(f"{env['TOURNEE_REDIS_PREFIX']}*"):
            client.delete(key)
    return run


def collect(run: Run) -> None:
    """Read locust's CSV files, the scenario's counters and the logs."""
    if not (run.out / "locust_stats.csv").exists():
        raise SystemExit(f"locust wrote no statistics: see {run.out / 'locust.log'}")
    with open(run.out / "locust_stats.csv") as stats:
        run.stats = list(csv.DictReader(stats))
    with open(run.out / "locust_failures.csv") as failures:
        run.failures = list(csv.DictReader(failures))
    counts = run.out / "counts.json"
    run.counts = json.loads(counts.read_text()) if counts.exists() else {}
    for log in ("server.log", "worker.log"):
        for line in (run.out / log).read_text(errors="replace").splitlines():
            for what, pattern in LOG_ERRORS.items():
                if pattern.search(line):
                    run.log_errors[what] = run.log_errors.get(what, 0) + 1
                    if len(run.log_samples) < 20:
                        run.log_samples.append(f"{log}: {line[:300]}")


def category(name: str) -> str:
    if name.startswith("GET /api/search"):
        return "search"
    if name.startswith(READS):
        return "read"
    if name.startswith("POST /api/auth"):
        return "login"
    return "write"


def table(run: Run) -> str:
    rows = ["| request | count | failures | req/s | p50 ms | p95 ms | p99 ms | max ms |",
            "|---|---|---|---|---|---|---|---|"]
    for row in run.stats:
        name = row["Name"] if row["Name"] != "Aggregated" else "**total**"
        rows.append(f"| {name} | {row['Request Count']} | {row['Failure Count']} | "
                    f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | "
                    f"{row['99%']} | {float(row['Max Response Time']):.0f} |")
    return "\n".join(rows)


def mix(run: Run) -> str:
    per: dict[str, int] = {}
    for row in run.stats:
        if row["Name"] != "Aggregated":
            per[category(row["Name"])] = per.get(category(row["Name"]), 0) + int(
                row["Request Count"])
    total = sum(v for k, v in per.items() if k != "login") or 1
    return ", ".join(f"{k} {v} ({100 * v / total:.0f}%)" for k, v in sorted(per.items())
                     if k != "login") + f"; logins {per.get('login', 0)}"


def errors(run: Run) -> int:
    total = next((int(r["Failure Count"]) for r in run.stats if r["Name"] == "Aggregated"), 0)
    return total + sum(run.log_errors.values())


def report(run: Run) -> str:
    cpu = run.cpu
    groups = [k for k in ("server", "worker", "postgres", "redis", "locust") if k in cpu]
    used = ", ".join(f"{k} {cpu[k] / cpu['seconds']:.2f}" for k in groups)
    lines = [f"### {run.backend} ({run.workers} process(es))", "", *run.notes, "",
             table(run), "",
             f"Mix: {mix(run)}.",
             f"Scenario counters: {json.dumps(run.counts)}",
             f"CPU (cores used on average over {cpu['seconds']:.0f} s, of {cpu['cores']}): "
             f"{used}; whole machine {cpu['machine busy'] / cpu['seconds']:.2f}; "
             f"load average (1 min) mean {cpu['load1 mean']:.1f}, max {cpu['load1 max']:.1f}",
             f"Errors in the logs: {run.log_errors or 'none'}"]
    lines += [f"    {sample}" for sample in run.log_samples]
    for failure in run.failures[:20]:
        lines.append(f"Failure x{failure['Occurrences']}: {failure['Method']} "
                     f"{failure['Name']}: {failure['Error'][:200]}")
    lines.append(f"Errors in all: {errors(run)}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("-u", "--users", type=int, default=200)
    parser.add_argument("-r", "--spawn-rate", type=float, default=10)
    parser.add_argument("-t", "--duration", default="10m")
    parser.add_argument("--scale", type=int, default=5, help="demo data scale")
    parser.add_argument("--threads", type=int, default=0, help="default: TOURNEE_THREADS")
    parser.add_argument("--out", type=Path, default=Path("/tmp/tournee-load"))
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    parser.add_argument("--pg-db", default="tournee_load")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args()
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    runs = []
    for backend in backends:
        run = run_backend(backend, args)
        text_ = report(run)
        (run.out / "report.md").write_text(text_ + "\n")
        print(text_, "\n", flush=True)
        runs.append(run)
    sys.exit(1 if any(errors(run) for run in runs) else 0)


if __name__ == "__main__":
    main()
