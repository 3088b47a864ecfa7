"""Every figure of the production-path issue in one run, each against its baseline.

    .venv/bin/python bench/run_all.py [--quick] [--postgres URL] [--only http,search,...]

Prints one Markdown table (figure, measured, baseline, ratio, target, pass/fail), then the
details each figure rests on, and writes both to bench/out/run_all-<time>.md. Every ratio is
measured in this run: the app and its baseline on the same data, the same server setup and the
same load generator, alternating where they are timed. The parts:

- http: GET /api/contacts/{id} through `tournee serve` against a bare Flask hello-world, and
  the company timeline against raw SQL + json.dumps served by a bare handler, both under the
  same gunicorn setup and wrk (bench_http.py); plus bench_read.py's in-process ratio and
  (full run) bench_floor.py's diagnostic: the same contact read without the ORM, then without
  SQLAlchemy, against the same hello-world;
- search: p95 over 100,000 contacts and 1,000,000 exchanges, and the index against LIKE
  (bench_search.py; SQLite, and PostgreSQL too with --postgres);
- coldload: bytes for the login screen from an empty cache (bench_coldload.py);
- lighthouse: mobile performance and accessibility, login and home (bench_lighthouse.py);
- sync, live: bench_sync.py and bench_live.py with short settings, their key ratios.

`--quick` (a smoke check, under 3 minutes once bench/out/ holds the data sets; the first run
builds them, about 10 minutes) runs shorter loads and fewer queries, the cold load with the
service worker only and Lighthouse behind nginx only. Needs wrk (apt-get install -y wrk),
Chromium at /usr/bin/chromium, nginx and openssl for the production-like front, npm for
Lighthouse, and Redis on 127.0.0.1:6379 for bench_live.py's production setup.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out"
PARTS = ("http", "search", "coldload", "lighthouse", "sync", "live")


class Table:
    """The summary rows and the notes under them."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []
        self.notes: list[str] = []

    def add(self, figure: str, measured: str, baseline: str, ratio: str, target: str,
            passed: bool | None) -> None:
        verdict = "-" if passed is None else ("pass" if passed else "**FAIL**")
        self.rows.append((figure, measured, baseline, ratio, target, verdict))
        print(f"  {figure}: {measured} / {baseline} -> {ratio} ({target}: {verdict})",
              file=sys.stderr, flush=True)

    def note(self, text: str) -> None:
        self.notes.append(text)

    def markdown(self) -> str:
        lines = ["| figure | measured | baseline | ratio | target | pass/fail |",
                 "|---|---|---|---|---|---|"]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True,
                              text=True).stdout.strip()
    return (f"{os.cpu_count()} cores ({cpu}), {memory / 1024 / 1024:.0f} GB RAM; "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}; {chromium}")


def other_load() -> str:
    """The busiest processes that are not this run's (what else used the machine)."""
    out = subprocess.run(["ps", "-eo", "pcpu,args", "--sort=-pcpu"], capture_output=True,
                         text=True).stdout.splitlines()[1:]
    mine = ("run_all.py", "bench_", "wrk ", "tournee serve", "chromium", "lighthouse", "nginx",
            "bench-bare", "gunicorn", "tournee worker", "tournee run", "ps -eo")
    busy = [line.strip()[:90] for line in out
            if float(line.split(None, 1)[0]) >= 10 and not any(m in line for m in mine)]
    return "; ".join(busy[:5]) or "none above 10% CPU"


# -- parts ------------------------------------------------------------------------------------

def part_http(table: Table, quick: bool) -> None:
    from bench import bench_http

    seconds, rounds = (3, 1) if quick else (8, 3)
    r = bench_http.run(scale=20, seconds=seconds, rounds=rounds, connections=16)
    contact, timeline = r["contact"], r["timeline"]
    ratio = contact["app"]["rps"] / contact["base"]["rps"]
    table.add("GET /api/contacts/{id}, req/s (tournee serve, wrk -c16)",
              f"{contact['app']['rps']:.0f}", f"{contact['base']['rps']:.0f} (bare Flask "
              "hello-world, same gunicorn setup)", f"{ratio:.2f}", ">= 0.5", ratio >= 0.5)
    cpu = contact["base"]["cpu_ms"] / contact["app"]["cpu_ms"]
    table.add("GET /api/contacts/{id}, server CPU ms per request (hello / app)",
              f"{contact['app']['cpu_ms']:.2f}", f"{contact['base']['cpu_ms']:.2f} (hello-world)",
              f"{cpu:.2f}", ">= 0.5", cpu >= 0.5)
    app_ms, raw_ms = 1000 / timeline["app"]["rps"], 1000 / timeline["base"]["rps"]
    table.add("Company timeline through the server, ms per request (1 / req/s)",
              f"{app_ms:.2f}", f"{raw_ms:.2f} (raw SQL + json.dumps, bare handler)",
              f"{app_ms / raw_ms:.1f}x", "<= 3x", app_ms / raw_ms <= 3)
    cpu = timeline["app"]["cpu_ms"] / timeline["base"]["cpu_ms"]
    table.add("Company timeline, server CPU ms per request", f"{timeline['app']['cpu_ms']:.2f}",
              f"{timeline['base']['cpu_ms']:.2f} (raw SQL + json.dumps)", f"{cpu:.1f}x",
              "<= 3x", cpu <= 3)
    table.note(
        f"http: demo x20 on SQLite, `tournee serve` = gunicorn gthread 1 process x 256 threads "
        f"(no Redis), wrk 1 thread 16 connections, {seconds} s per run, {rounds} round(s) "
        "alternating app and baseline (median). req/s per round: contact "
        f"{contact['app']['each']} vs hello {contact['base']['each']}; timeline "
        f"{timeline['app']['each']} vs raw {timeline['base']['each']}. Latency p50/p99 ms: "
        f"contact {contact['app']['p50']:.1f}/{contact['app']['p99']:.1f}, hello "
        f"{contact['base']['p50']:.1f}/{contact['base']['p99']:.1f}, timeline "
        f"{timeline['app']['p50']:.1f}/{timeline['app']['p99']:.1f}, raw "
        f"{timeline['base']['p50']:.1f}/{timeline['base']['p99']:.1f}. Non-2xx: "
        f"{contact['app']['non2xx'] + timeline['app']['non2xx']}; server log problems: "
        f"{r['problems'] or 'none'}.")
    if not quick:
        part_floor(table, seconds)
    runs = "100" if quick else "300"
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_read.py"), "--runs", runs],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    row = next(line for line in out.splitlines() if line.startswith("| company timeline"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    table.add("Company timeline in process (bench_read.py, WSGI test client), p50 ms",
              cells[1], f"{cells[3]} (raw SQL + json.dumps, no HTTP)", cells[5], "<= 3x",
              float(cells[5].rstrip("x")) <= 3)
    table.note(f"bench_read.py --runs {runs}: {row}")


def part_floor(table: Table, seconds: float) -> None:
    """The contact read without the ORM, then without SQLAlchemy: what the target needs."""
    from bench import bench_floor

    out = bench_floor.run(scale=20, seconds=seconds, rounds=1)
    labels = {"core": "SQLAlchemy Core, no ORM or Flask-Login",
              "raw": "raw DBAPI (sqlite3), no SQLAlchemy"}
    for name, label in labels.items():
        r = out["results"][name]
        table.add(f"Same contact read, {label} (diagnostic, bench_floor.py), req/s",
                  f"{r['app']['rps']:.0f}", f"{r['base']['rps']:.0f} (hello-world)",
                  f"{r['app']['rps'] / r['base']['rps']:.2f}", "-", None)
    app = out["results"]["app"]
    table.note(f"bench_floor.py (1 round of {seconds} s each): the app's contact GET in the same "
               f"server {app['app']['rps']:.0f} req/s vs hello {app['base']['rps']:.0f}; "
               f"non-2xx and server log problems: {out['problems'] or 'none'}.")


def part_search(table: Table, quick: bool, postgres: str | None) -> None:
    from bench import bench_search

    runs, like_runs = (60, 10) if quick else (400, 60)
    for url in (None, postgres) if postgres else (None,):
        r = bench_search.run(runs, like_runs, url)
        s, name = r["stats"], "SQLite FTS5" if r["dialect"] == "sqlite" else "PostgreSQL"
        for key, label in (("service", "service"), ("api", "API, in process")):
            table.add(f"Search p95 ({name}, {label}), ms", f"{s[key]['p95']:.1f}",
                      "-", "-", "<= 50 ms", s[key]["p95"] <= 50)
        for q in ("p50", "p95"):
            ratio = s["like"][q] / s["query_same"][q]
            table.add(f"Search {q} against LIKE '%q%' ({name}, the query alone), ms",
                      f"{s['query_same'][q]:.2f}", f"{s['like'][q]:.1f} (LIKE, ranked)",
                      f"{ratio:.0f}x", ">= 100x", ratio >= 100)
        table.note(
            f"search ({name}): {r['counts']}; {r['queries']} queries (half 3-letter prefixes, "
            f"half full names), LIKE on the first {r['like_runs']}. p50/p95 ms: query "
            f"{s['query']['p50']:.1f}/{s['query']['p95']:.1f}, service "
            f"{s['service']['p50']:.1f}/{s['service']['p95']:.1f}, API "
            f"{s['api']['p50']:.1f}/{s['api']['p95']:.1f}; on the LIKE queries: index query "
            f"{s['query_same']['p50']:.1f}/{s['query_same']['p95']:.1f}, service "
            f"{s['service_same']['p50']:.1f}/{s['service_same']['p95']:.1f}, LIKE ranked "
            f"{s['like']['p50']:.1f}/{s['like']['p95']:.1f}, LIKE first 20 found (no order) "
            f"{s['like_first']['p50']:.1f}/{s['like_first']['p95']:.1f}. Queries with hits: "
            f"index {r['found']['service']}/{r['queries']}, LIKE {r['found']['like']}/"
            f"{r['like_runs']} (a full name spans two columns: LIKE never finds it).")


def part_coldload(table: Table, quick: bool) -> None:
    from bench import bench_coldload

    modes = ("allow",) if quick else ("allow", "block")
    r = bench_coldload.run(modes)
    for mode, label in (("allow", "with the service worker"), ("block", "page alone")):
        if mode not in modes:
            continue
        shell = r[mode]["login"]["shell"]
        api = r[mode]["login"].get("api", {"gzip": 0, "headers": 0, "body_gzip": 0,
                                           "body_identity": 0})
        gz = (shell["gzip"] + api["gzip"]) / 1000
        bodies = (shell["body_gzip"] + api["body_gzip"]) / 1000
        identity = (shell["body_identity"] + api["body_identity"]) / 1000
        served = identity + (shell["headers"] + api["headers"]) / 1000
        table.add(f"Cold load, login screen, {label}: bodies as sent (shell: brotli by the "
                  "app; JSON: gzip 6) + HTTP/1.1 headers, KB", f"{gz:.0f}",
                  f"{served:.0f} (uncompressed)", f"{gz / served:.2f}", "<= 150 KB", gz <= 150)
        table.add(f"Cold load, login screen, {label}: bodies as sent only (headers left to "
                  "HTTP/2), KB", f"{bodies:.0f}", f"{identity:.0f} (uncompressed)",
                  f"{bodies / identity:.2f}", "<= 150 KB", bodies <= 150)
        home = r[mode]["home"]
        parts = ", ".join(f"{kind} {row['requests']} requests, {row['served'] / 1000:.0f} KB "
                          f"as served, {row['gzip'] / 1000:.0f} KB with JSON gzip 6"
                          for kind, row in sorted(home.items()))
        if mode == "allow":
            for setup in ("nginx", "caddy"):
                front = bench_coldload.run_front(setup)
                wire = front["bytes"] / 1000
                table.add(f"Cold load, login screen, with the service worker, behind {setup} "
                          "(TLS, HTTP/2), on the wire, KB", f"{wire:.0f}",
                          f"{served:.0f} (uncompressed)", f"{wire / served:.2f}", "<= 150 KB",
                          wire <= 150)
                sent = (f" ({setup} sent bodies {front['bodies'] / 1000:.0f} KB and headers "
                        f"{front['headers'] / 1000:.0f} KB)" if front["headers"] is not None
                        else "")
                table.note(f"cold load behind {setup}: {front['responses']} requests reached "
                           f"the app{sent}; {wire:.0f} KB on the wire over "
                           f"{front['connections']} connection(s), TLS included.")
        table.note(f"cold load ({label}): login screen shell {shell['requests']} responses "
                   f"{shell['statuses']}, headers {shell['headers'] / 1000:.0f} KB; after "
                   f"the login, until the home screen and 2 s of quiet: {parts}. Page errors: "
                   f"{r[mode]['errors'] or 'none'}.")


def part_lighthouse(table: Table, quick: bool) -> None:
    from bench import bench_lighthouse

    setups = ("nginx",) if quick else ("nginx", "caddy", "direct")
    r = bench_lighthouse.run(setups, ("login", "home"), OUT)
    for (setup, screen), scores in r.items():
        where = f"behind {setup} (TLS, HTTP/2)" if setup in bench_lighthouse.PROXIES \
            else "direct to gunicorn"
        for category in ("performance", "accessibility"):
            table.add(f"Lighthouse mobile {category}, {screen} screen, {where}",
                      str(scores[category]), "-", "-", ">= 95", scores[category] >= 95)
        table.note(f"lighthouse {setup} {screen}: {scores['metrics']}; below 1: "
                   f"{'; '.join(scores['misses']) or 'nothing'}")


def markdown_rows(text: str, first_cell: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in text.splitlines() if line.startswith(f"| {first_cell}")]


def part_sync(table: Table, quick: bool) -> None:
    scale, outbox = (1, 100) if quick else (7, 500)
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_sync.py"), "--scale",
                          str(scale), "--rtt-ms", "150", "--outbox", str(outbox)],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    api = markdown_rows(out, "API, all pages")[0]
    raw = markdown_rows(out, "raw SQL")[0]
    ratio = markdown_rows(out, "ratio")[0]
    table.add(f"First sync of the working set (demo x{scale}), server s", api[1],
              f"{raw[1]} (raw SQL + json.dumps)", ratio[1], "-", None)
    drains = markdown_rows(out, f"{outbox} exchanges")
    one = next(r for r in drains if r[1] == "1")
    fifty = next(r for r in drains if r[1] == "50")
    target = "<= 10 s" if outbox == 500 else "-"
    table.add(f"Outbox drain, {outbox} exchanges at +150 ms RTT, batches of 50, s", fifty[3],
              f"{one[3]} (batches of 1)", fifty[4], target,
              float(fifty[3]) <= 10 if outbox == 500 else None)
    table.note("bench_sync.py: " + " ".join(line for line in out.splitlines()
                                            if line.startswith(("Working set", "| API"))))


def part_live(table: Table, quick: bool) -> None:
    sockets, writes = (40, 10) if quick else (200, 50)
    users = max(4, sockets // 10)
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_live.py"), "--sockets",
                          str(sockets), "--users", str(users), "--writes", str(writes),
                          "--settle", "1", "--setups", "production"],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    row = markdown_rows(out, "production")[0]
    received = re.search(r"\(([\d.]+)%\)", row[2])
    table.add(f"Live hints, {sockets} sockets x {writes} writes, received", row[2], "-", "-",
              "100%", received is not None and float(received.group(1)) == 100.0)
    table.add("Live hint receipt p95 against the POST round trip p95, ms", row[6],
              f"{row[4]} (POST round trip)", row[10], "<= 1x", float(row[10].rstrip("x")) <= 1)
    table.note("bench_live.py production: " + " | ".join(row))


# -- main ---------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="smoke check, under 3 minutes")
    parser.add_argument("--postgres", default=None,
                        help="also run the search on this PostgreSQL database (filled if empty)")
    parser.add_argument("--only", default=",".join(PARTS), help="comma-separated parts")
    opts = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    table, started = Table(), time.monotonic()
    header = [f"Command: `.venv/bin/python bench/run_all.py{' --quick' if opts.quick else ''}"
              f"{' --postgres ...' if opts.postgres else ''}`",
              f"Date: {datetime.now().strftime('%Y-%m-%d %H:%M')}", f"Machine: {machine()}",
              f"Load average at start: {load_average()}; other busy processes: {other_load()}"]
    print("\n".join(header), file=sys.stderr)
    for part in opts.only.split(","):
        print(f"[{part}] load average {load_average()}", file=sys.stderr, flush=True)
        began = time.monotonic()
        try:
            if part == "search":
                part_search(table, opts.quick, opts.postgres)
            else:
                globals()[f"part_{part}"](table, opts.quick)
        except Exception as error:  # one broken part must not hide the others' figures
            table.add(f"{part}: did not run", type(error).__name__, "-", "-", "-", False)
            table.note(f"{part} failed: {error!r}")
        table.note(f"[{part}: {time.monotonic() - began:.0f} s, load average after "
                   f"{load_average()}; other busy processes: {other_load()}]")
    header.append(f"Load average at the end: {load_average()}; total "
                  f"{time.monotonic() - started:.0f} s")
    report = "\n".join([*header, "", table.markdown(), "", *[f"- {n}" for n in table.notes]])
    path = OUT / f"run_all-{datetime.now().strftime('%Y%m%d-%H%M%S')}.md"
    path.write_text(report + "\n")
    print(report)
    print(f"\n(written to {path.relative_to(ROOT)})", file=sys.stderr)


if __name__ == "__main__":
    main()
