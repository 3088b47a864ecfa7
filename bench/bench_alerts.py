"""Alert sweep benchmark: time and SQL statements per sweep on the demo data at x1 and x20.

    .venv/bin/python bench/bench_alerts.py [--scales 1 20]

For each scale, the demo database (built once and cached in bench/out/, as bench_read.py does)
is copied to a temporary file, then timed through `app.services.alerts.engine.sweep` in a write
transaction with its commit (notices stored, push jobs queued on the app's Huey file):

1. first sweep: every alert of the demo opens (a few notices per user, see MAX_NOTICES_PER_USER);
2. steady sweep: nothing new (what the periodic job does every 15 minutes);
3. after one write: the re-evaluation of one deal and its company (as after logging a call).

SQL statements are counted with a `before_cursor_execute` listener on the app's engine (an
executemany counts once). The goal: the same count at x1 and x20.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, func, select  # noqa: E402

from app import create_app  # noqa: E402
from app.config import TestConfig  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Alert, Company, Contact, Deal, Exchange, Task  # noqa: E402
from app.models.events import writing  # noqa: E402
from app.services.alerts.engine import sweep  # noqa: E402
from bench.bench_read import OUT, build  # noqa: E402


class Counter:
    """SQL statements sent on an engine while active."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.count = 0

    def _note(self, *args) -> None:
        self.count += 1

    def __enter__(self) -> Counter:
        self.count = 0
        event.listen(self.engine, "before_cursor_execute", self._note)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._note)


def timed_sweep(counter: Counter, **kwargs) -> tuple[float, int, dict]:
    """One sweep in its own write transaction, committed: (seconds, statements, counts)."""
    with counter, writing():
        db.session.rollback()
        started = time.perf_counter()
        report = sweep(db.session, **kwargs)
        db.session.commit()
        elapsed = time.perf_counter() - started
    return elapsed, counter.count, report.counts()


def copy_of(scale: int, into: Path) -> Path:
    """A private copy of the cached demo database (the sweep writes alerts into it)."""
    source = OUT / f"demo-x{scale}.db"
    if not source.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        build(source, scale)
    target = into / f"alerts-x{scale}.db"
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def run_scale(scale: int, workdir: Path) -> dict:
    path = copy_of(scale, workdir)

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"
        INSTANCE_DIR = workdir / f"instance-x{scale}"

    app = create_app(Config)
    with app.app_context():
        db.create_all()  # tables newer than the cached file (alerts) if it predates them
        sizes = {name: db.session.scalar(select(func.count()).select_from(model))
                 for name, model in (("companies", Company), ("contacts", Contact),
                                     ("deals", Deal), ("exchanges", Exchange), ("tasks", Task))}
        counter = Counter(db.engine)
        first = timed_sweep(counter)
        steady = timed_sweep(counter)
        deal = db.session.scalar(select(Deal).join(Alert, Alert.record_id == Deal.id)
                                 .where(Alert.rule == "deal_neglected").limit(1))
        one = timed_sweep(counter, records={"deal": {deal.id}, "company": {deal.company_id}})
        opened = dict(db.session.execute(select(Alert.rule, func.count()).group_by(
            Alert.rule)).all())
        db.session.remove()
        db.engine.dispose()
    return {"scale": scale, "sizes": sizes, "first": first, "steady": steady, "one": one,
            "opened": opened}


def table(results: list[dict]) -> list[str]:
    lines = ["| scale | companies / contacts / deals / exchanges / tasks | alerts opened "
             "| first sweep s (statements) | steady sweep s (statements) "
             "| one deal after a write ms (statements) |",
             "|---|---|---|---|---|---|"]
    for r in results:
        s = r["sizes"]
        lines.append(
            f"| x{r['scale']} | {s['companies']} / {s['contacts']} / {s['deals']} / "
            f"{s['exchanges']} / {s['tasks']} | {r['first'][2]['opened']} "
            f"| {r['first'][0]:.2f} ({r['first'][1]}) | {r['steady'][0]:.2f} ({r['steady'][1]}) "
            f"| {r['one'][0] * 1000:.1f} ({r['one'][1]}) |")
    if len(results) >= 2:
        low, high = results[0], results[-1]
        ratio = " | ".join(
            f"{name}: time x{high[name][0] / low[name][0]:.1f}, statements "
            f"{high[name][1]} vs {low[name][1]}" for name in ("first", "steady", "one"))
        lines += ["", f"x{high['scale']} / x{low['scale']}: {ratio}"]
    lines += ["", "Alerts by rule: " + "; ".join(
        f"x{r['scale']} " + ", ".join(f"{k} {v}" for k, v in sorted(r["opened"].items()))
        for r in results)]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 20])
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = [run_scale(scale, Path(tmp)) for scale in opts.scales]
    print("\n".join(table(results)))


if __name__ == "__main__":
    main()
