"""Background jobs on Huey: a SQLite file in instance/ by default, Redis when configured.

Jobs are declared once at import time with `@jobs.job()`; each app binds them to its own Huey
queue in init_app(), so tests and processes never share a queue by accident. A job runs inside
an app context. A failure is logged and retried with exponential backoff and jitter, as a new
scheduled task carrying its attempt number, so a retry survives a restart like any job.
"""

from __future__ import annotations

import importlib
import logging
import random
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import RedisHuey, SqliteHuey, crontab
from huey.api import Huey
from huey.consumer import Consumer
from huey.exceptions import TaskLockedException

log = logging.getLogger("tournee.jobs")


class RetryLater(Exception):
    """A job asks to run again later (a 429 or 5xx from a peer), after `delay` seconds if set."""

    def __init__(self, message: str, delay: float | None = None) -> None:
        super().__init__(message)
        self.delay = delay


class GiveUp(Exception):
    """A job failed in a way a retry cannot fix: logged, not retried."""


class Job:
    """A job function; enqueue() and schedule() put it on the current app's queue."""

    def __init__(self, fn: Callable, retries: int, base_delay: float, max_delay: float,
                 every_minutes: int | None = None) -> None:
        self.fn = fn
        self.name = fn.__name__
        self.retries = retries
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.every_minutes = every_minutes  # run by the consumer's scheduler, no arguments

    def enqueue(self, *args: Any) -> None:
        """Run the job as soon as a worker is free."""
        self._task()(*args, attempt=0)

    def schedule(self, *args: Any, eta: datetime | None = None,
                 delay: float | None = None) -> None:
        """Run the job at `eta` (UTC) or after `delay` seconds."""
        if eta is not None and eta.tzinfo is None:
            eta = eta.replace(tzinfo=UTC)  # Huey would read a naive time as local time
        self._task().schedule(args=args, kwargs={"attempt": 0}, eta=eta, delay=delay)

    def _task(self) -> Any:
        return current_app.extensions["jobs"].tasks[self.name]

    def backoff(self, attempt: int) -> float:
        """Seconds before retry number `attempt + 1`: doubling, capped, with full jitter."""
        return random.uniform(0.5, 1.0) * min(self.max_delay, self.base_delay * 2 ** attempt)


class JobQueue:
    """One app's Huey instance and its bound tasks."""

    def __init__(self, huey: Huey, tasks: dict[str, Any]) -> None:
        self.huey = huey
        self.tasks = tasks

    def pending(self) -> int:
        """Jobs waiting to run now or later."""
        return self.huey.pending_count() + self.huey.scheduled_count()


class Jobs:
    """The extension: a registry of jobs, bound to a queue per app."""

    def __init__(self) -> None:
        self.registry: dict[str, Job] = {}

    def job(self, retries: int = 5, base_delay: float = 2.0,
            max_delay: float = 600.0) -> Callable[[Callable], Job]:
        """Declare a background job retried `retries` times with exponential backoff."""
        def register(fn: Callable) -> Job:
            job = Job(fn, retries, base_delay, max_delay)
            self.registry[job.name] = job
            return job
        return register

    def periodic(self, every_minutes: int) -> Callable[[Callable], Job]:
        """Declare a job the consumer runs every `every_minutes` (a divisor of 60), on the
        clock (minute 0, 15, 30...). Not retried: the next run does the work again."""
        if 60 % every_minutes:
            raise ValueError("every_minutes must divide 60")

        def register(fn: Callable) -> Job:
            job = Job(fn, 0, 0.0, 0.0, every_minutes)
            self.registry[job.name] = job
            return job
        return register

    def init_app(self, app: Flask) -> None:
        """Give the app its queue: Redis if TOURNEE_REDIS_URL is set, else instance/jobs.db."""
        importlib.import_module("app.jobs")  # declares the jobs
        huey = make_huey(app)
        tasks = {name: _bind(huey, app, job) for name, job in self.registry.items()}
        app.extensions["jobs"] = JobQueue(huey, tasks)


def _bind(huey: Huey, app: Flask, job: Job) -> Any:
    if job.every_minutes is None:
        return huey.task(name=job.name)(_runner(app, job))
    return huey.periodic_task(crontab(minute=f"*/{job.every_minutes}"),
                              name=job.name)(_alone(huey, _runner(app, job)))


def _alone(huey: Huey, run: Callable) -> Callable:
    """Every consumer's scheduler queues the periodic jobs: with several workers sharing a
    queue, a run that finds the previous one still going (any process) skips its turn."""
    def run_alone(*args: Any, **kwargs: Any) -> None:
        try:
            with huey.lock_task(f"periodic:{run.__name__}"):
                run(*args, **kwargs)
        except TaskLockedException:
            log.info("job %s skipped: still running elsewhere", run.__name__)
    run_alone.__name__ = run.__name__
    return run_alone


def make_huey(app: Flask) -> Huey:
    """A Huey queue on the configured storage."""
    if app.config.get("REDIS_URL"):
        return RedisHuey(app.config["REDIS_PREFIX"], url=app.config["REDIS_URL"],
                         results=False, utc=True)
    path = Path(app.instance_path) / "jobs.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("tournee", filename=str(path), results=False, utc=True)


def describe(args: tuple) -> str:
    """A job's arguments for the log: ids only (messages may quote private exchanges)."""
    return ", ".join(str(a) if isinstance(a, int) or (isinstance(a, str) and len(a) <= 40)
                     else "…" for a in args)


def _runner(app: Flask, job: Job) -> Callable:
    def run(*args: Any, attempt: int = 0) -> None:
        with app.app_context():
            try:
                job.fn(*args)
            except GiveUp as error:
                log.warning("job %s(%s) gave up: %s", job.name, describe(args), error)
            except Exception as error:  # every failure is logged, then retried or dropped
                _retry_or_drop(app, job, args, attempt, error)
    run.__name__ = job.name
    return run


def _retry_or_drop(app: Flask, job: Job, args: tuple, attempt: int, error: Exception) -> None:
    expected = isinstance(error, RetryLater)  # a busy peer: no traceback needed
    if attempt >= job.retries:
        log.error("job %s(%s) failed %d times, dropped: %s", job.name, describe(args),
                  attempt + 1, error, exc_info=not expected)
        return
    delay = getattr(error, "delay", None) or job.backoff(attempt)
    log.warning("job %s(%s) failed (attempt %d), retry in %.1f s: %s",
                job.name, describe(args), attempt + 1, delay, error, exc_info=not expected)
    app.extensions["jobs"].tasks[job.name].schedule(
        args=args, kwargs={"attempt": attempt + 1}, delay=delay)


class InProcessConsumer(Consumer):
    """A consumer running beside the web server: the server keeps the process's signals."""

    def _set_signal_handlers(self) -> None:
        pass


def start_consumer(app: Flask, workers: int | None = None) -> Consumer:
    """Start worker threads and the scheduler for this app's queue; stop() them when done."""
    queue: JobQueue = app.extensions["jobs"]
    consumer = InProcessConsumer(queue.huey, workers=workers or app.config["JOBS_WORKERS"],
                                 worker_type="thread", max_delay=0.5,
                                 check_worker_health=False)
    consumer.start()
    return consumer


def run_worker(app: Flask) -> None:
    """Run the consumer in the foreground (`tournee worker`) until SIGTERM or Ctrl+C."""
    queue: JobQueue = app.extensions["jobs"]
    queue.huey.create_consumer(workers=app.config["JOBS_WORKERS"], worker_type="thread",
                               max_delay=0.5).run()
