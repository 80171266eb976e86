"""A real Celery worker on Redis against the test database (PostgreSQL leg of CI).

The worker is a separate process, so the tests that use it must commit their
data (`transaction=True`) and the worker must point at the *test* database.
Each test session gets its own queue so parallel runs on one Redis never
steal each other's tasks.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tcm.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def _database_url():
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip(
            "the worker test needs PostgreSQL (DATABASE_URL) so two processes share the test DB"
        )
    user = db.get("USER") or "postgres"
    auth = f"{user}:{db['PASSWORD']}" if db.get("PASSWORD") else user
    return (
        f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


@pytest.fixture
def celery_worker(transactional_db):
    """Start `celery worker` as a subprocess and wait until it answers a ping."""
    if not settings.REDIS_URL:
        pytest.skip("the worker test needs REDIS_URL (PostgreSQL leg of CI)")
    queue = f"tcm-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_QUEUE": queue}
    (ROOT / "var").mkdir(exist_ok=True)
    log = open(ROOT / "var" / f"{queue}.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tcm",
            "worker",
            "-Q",
            queue,
            "--pool",
            "solo",
            "--hostname",
            f"{queue}@%h",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        _wait_for(queue, process)
        yield queue
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        celery_app.conf.task_default_queue = settings.CELERY_TASK_DEFAULT_QUEUE


def _wait_for(queue, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"celery worker exited with {process.returncode}; see var/{queue}.log"
            )
        if celery_app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=1):
            return
    raise RuntimeError("celery worker did not answer within a minute")
