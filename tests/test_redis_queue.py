"""The job queue on this machine's Redis (TOURNEE_REDIS_URL), as a fleet runs it: jobs queued
by one process run in another, failures are retried, and a periodic job runs once at a time
whatever the number of workers."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import uuid
from pathlib import Path

import pytest
import redis
from huey import RedisHuey

from app import create_app
from app.config import TestConfig
from app.extensions import db
from app.job_queue import _alone
from tests.conftest import Auth, run_jobs
from tests.test_jobs import TOURNEE, count_and_fail, drain

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture()
def on_redis(app):
    """A second app on the same database and instance, its queue on Redis (its own prefix)."""
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        pytest.fail("Redis must run on 127.0.0.1:6379 (see README)")
    prefix = f"test-{uuid.uuid4().hex}"

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        INSTANCE_DIR = Path(app.instance_path)
        REDIS_URL = globals()["REDIS_URL"]
        REDIS_PREFIX = prefix

    fleet_app = create_app(Config)
    yield fleet_app
    fleet_app.extensions["jobs"].huey.storage.flush_all()
    with fleet_app.app_context():
        db.engine.dispose()


def test_the_queue_is_on_redis_and_outlives_the_process(on_redis, tmp_path):
    assert isinstance(on_redis.extensions["jobs"].huey, RedisHuey)
    marker = tmp_path / "runs.txt"
    with on_redis.test_request_context():
        count_and_fail.enqueue(str(marker), 0)
    assert on_redis.extensions["jobs"].huey.pending_count() == 1  # waiting in Redis

    class Later(TestConfig):  # a restarted process: same Redis, same prefix
        SQLALCHEMY_DATABASE_URI = on_redis.config["SQLALCHEMY_DATABASE_URI"]
        INSTANCE_DIR = Path(on_redis.instance_path)
        REDIS_URL = REDIS_URL
        REDIS_PREFIX = on_redis.config["REDIS_PREFIX"]

    later = create_app(Later)
    assert run_jobs(later) == 1
    with later.app_context():
        db.engine.dispose()
    assert marker.read_text() == "run\n"


def test_failures_are_retried_through_redis(on_redis, tmp_path):
    retried = tmp_path / "retried.txt"
    with on_redis.test_request_context():
        count_and_fail.enqueue(str(retried), 2)
    drain(on_redis)
    assert retried.read_text().count("run") == 3


def test_tournee_worker_on_redis_runs_what_the_web_process_queued(on_redis, people,
                                                                   push_peer):
    bruno = Auth(on_redis.test_client())
    assert bruno.login(people.b.email).status_code == 200
    _, info = push_peer.new_device()
    assert bruno.post("/api/push/subscriptions", json=info).status_code == 201
    assert bruno.post("/api/push/test").status_code == 202  # queued on Redis; nothing runs it
    assert on_redis.extensions["jobs"].pending()
    env = {**os.environ, "TOURNEE_INSTANCE_DIR": on_redis.instance_path,
           "TOURNEE_DATABASE_URL": on_redis.config["SQLALCHEMY_DATABASE_URI"],
           "TOURNEE_REDIS_URL": REDIS_URL, "TOURNEE_REDIS_PREFIX": on_redis.config["REDIS_PREFIX"]}
    worker = subprocess.Popen([TOURNEE, "worker"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
    try:
        (got,) = push_peer.wait_for(1, timeout=20)
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=20)[0].decode()
    assert got.payload["kind"] == "test", output
    assert "Redis" in output and worker.returncode == 0, output


def test_a_periodic_run_is_skipped_while_another_process_holds_it(on_redis):
    huey = on_redis.extensions["jobs"].huey
    started, release, runs = threading.Event(), threading.Event(), []

    def sweep() -> None:
        runs.append(threading.current_thread().name)
        started.set()
        release.wait(10)

    first = threading.Thread(target=_alone(huey, sweep), name="first")
    first.start()
    assert started.wait(10)
    # A second worker (another Huey on the same Redis prefix: another process) gets its turn.
    other = RedisHuey(on_redis.config["REDIS_PREFIX"], url=REDIS_URL, results=False, utc=True)
    _alone(other, sweep)()
    release.set()
    first.join(10)
    assert runs == ["first"]  # the overlapping turn was skipped, not run twice
    _alone(other, sweep)()  # once free, the next turn runs
    assert len(runs) == 2
