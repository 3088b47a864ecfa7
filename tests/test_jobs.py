"""The job queue: jobs outlive the process that queued them, failures back off and are logged,
and `tournee worker` runs them on its own."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

from app import create_app
from app.extensions import jobs
from app.job_queue import RetryLater
from tests.conftest import run_jobs

TOURNEE = Path(sys.executable).with_name("tournee")


@jobs.job(retries=2, base_delay=0.01, max_delay=0.02)
def count_and_fail(path: str, fail_times: int) -> None:
    """A test job: appends a line to `path`, failing the first `fail_times` runs."""
    file = Path(path)
    runs = len(file.read_text().splitlines()) if file.exists() else 0
    with file.open("a") as out:
        out.write("run\n")
    if runs < fail_times:
        raise RetryLater(f"run {runs + 1} fails on purpose")


def drain(app, rounds: int = 50) -> None:
    """Run due jobs, waiting for scheduled retries (a few ms each here)."""
    import time

    for _ in range(rounds):
        run_jobs(app)
        if not app.extensions["jobs"].pending():
            return
        time.sleep(0.02)


def test_a_queued_job_survives_a_restart(app, tmp_path):
    marker = tmp_path / "runs.txt"
    with app.test_request_context():
        count_and_fail.enqueue(str(marker), 0)
    assert not marker.exists()

    restarted = _same_instance(app)
    run_jobs(restarted)

    assert marker.read_text() == "run\n"


def _same_instance(app):
    """A second app on the same instance folder and database: a process after a restart."""
    from app.config import TestConfig

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        INSTANCE_DIR = Path(app.instance_path)

    return create_app(Config)


def test_failures_are_retried_with_backoff_then_dropped_and_logged(app, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="tournee.jobs")
    retried, dropped = tmp_path / "retried.txt", tmp_path / "dropped.txt"
    with app.test_request_context():
        count_and_fail.enqueue(str(retried), 2)  # fails twice, then succeeds
        count_and_fail.enqueue(str(dropped), 5)  # fails more often than its 2 retries

    drain(app)

    assert retried.read_text().count("run") == 3
    assert dropped.read_text().count("run") == 3  # first run + 2 retries, then dropped
    messages = [r.getMessage() for r in caplog.records]
    assert sum("retry in" in m for m in messages) == 4
    assert sum("count_and_fail(…, 5) failed 3 times, dropped" in m for m in messages) == 1


def test_backoff_doubles_with_jitter_up_to_a_cap():
    job = count_and_fail
    for attempt, ceiling in enumerate((0.01, 0.02, 0.02, 0.02)):
        delays = [job.backoff(attempt) for _ in range(200)]
        assert ceiling / 2 <= min(delays) and max(delays) <= ceiling
        assert len(set(delays)) > 1  # jittered: devices back from a tunnel do not retry in step


def test_tournee_worker_runs_what_the_web_process_queued(app, make_auth, people, push_peer,
                                                        tmp_path):
    bruno = make_auth(people.b)
    _, info = push_peer.new_device()
    bruno.post("/api/push/subscriptions", json=info)
    bruno.post("/api/push/test")  # queued; nothing runs jobs in this process
    env = {**os.environ, "TOURNEE_INSTANCE_DIR": app.instance_path,
           "TOURNEE_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]}

    worker = subprocess.Popen([TOURNEE, "worker"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
    try:
        (got,) = push_peer.wait_for(1, timeout=20)
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=20)[0].decode()

    assert got.payload["kind"] == "test", output
    assert worker.returncode == 0, output  # SIGTERM: a clean stop
