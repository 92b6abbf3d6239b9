"""Test configuration shared by the whole suite.

Tests marked ``services`` talk to the real PostgreSQL, Redis and a Celery worker
process. Without them configured they are skipped on a developer's machine; with
``CI=true`` a missing service fails the run instead.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import hypothesis
import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"

# CI replays the same generated examples every run, so a result there is reproducible;
# developers' runs keep exploring new ones.
hypothesis.settings.register_profile("ci", derandomize=True, print_blob=True)
if IN_CI:
    hypothesis.settings.load_profile("ci")


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=3):
            return True
    except OSError:
        return False


def services_problem() -> str | None:
    """Why the real services cannot be used, or None when they can."""
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        return "DATABASE_URL does not point at PostgreSQL"
    if not redis_url:
        return "REDIS_URL is not set"
    if not _reachable(database_url, 5432):
        return f"PostgreSQL at {urlsplit(database_url).netloc} is not reachable"
    if not _reachable(redis_url, 6379):
        return f"Redis at {urlsplit(redis_url).netloc} is not reachable"
    return None


def pytest_sessionstart(session):
    if IN_CI and (problem := services_problem()):
        pytest.exit(f"CI=true but the real services are unusable: {problem}", returncode=3)


def pytest_collection_modifyitems(config, items):
    problem = services_problem()
    if problem is None:
        return
    skip = pytest.mark.skip(reason=f"needs the real services: {problem}")
    for item in items:
        if "services" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Run Celery tasks in-process, except in tests that bring a real worker."""
    from newsroom.celery import app

    eager = "services" not in request.keywords
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Start each test with an empty cache, without flushing the Redis database the broker shares."""
    from django.core.cache import cache

    if settings.REDIS_URL:
        from newsroom.redis import get_redis

        client = get_redis()
        keys = list(client.scan_iter(match=f"{settings.CACHES['default']['KEY_PREFIX']}:*"))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()
    # And each process's copies of the public pages (newsroom/page_cache.py) with it.
    from newsroom import page_cache

    page_cache.local_clear()
    yield


@pytest.fixture
def redis_client():
    """The project's Redis connection, with the view counters cleared before and after."""
    from articles import counters
    from newsroom.redis import get_redis

    client = get_redis()

    def clear():
        keys = [counters.PENDING_KEY, *client.scan_iter(match=f"{counters.BATCH_PREFIX}*")]
        if keys:
            client.delete(*keys)

    clear()
    yield client
    clear()


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A real ``celery worker`` process on the Redis broker and the test database."""
    yield from _celery_worker(tmp_path)


@pytest.fixture
def celery_worker_with_beat(transactional_db, tmp_path):
    """A real worker with Celery beat running in it, checking for scheduled stories every second."""
    yield from _celery_worker(
        tmp_path,
        beat=True,
        env={
            "SCHEDULE_CHECK_INTERVAL": "1",
            "VIEW_FLUSH_INTERVAL": "3600",
            "SITE_FURNITURE_LEARN_INTERVAL": "3600",
        },
    )


def _celery_worker(tmp_path, *, beat: bool = False, env: dict | None = None, pool: str = "solo"):
    from django.db import connection

    from newsroom.celery import app

    db = connection.settings_dict
    user = db["USER"] or "postgres"
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"postgres://{user}@{host}:{port}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        **(env or {}),
    }
    app.control.purge()
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "newsroom",
                "worker",
                "--queues=extraction,default",
                f"--pool={pool}",
                *(["--concurrency=1"] if pool == "prefork" else []),
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname=test-{os.getpid()}@%h",
                *(["--beat", f"--schedule={tmp_path / 'beat-schedule'}"] if beat else []),
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    process.log_path = log_path
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.returncode not in (0, -15):
            print(log_path.read_text(errors="replace"))


def wait_for(predicate, *, timeout: float = 60.0, interval: float = 0.2):
    """Poll ``predicate`` until it returns a truthy value or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


# --- Fetching pages (articles/fetcher.py) ---------------------------------------------------


@pytest.fixture
def trusted_loopback(settings):
    """Let the fetcher reach test servers on 127.0.0.1 and ::1, which the address policy refuses."""
    settings.FETCH_TRUSTED_SOURCES = ["127.0.0.1", "::1"]
    return settings.FETCH_TRUSTED_SOURCES


@pytest.fixture
def local_web():
    """A real HTTP server on 127.0.0.1 (``tests/web_server.py``); ``seen`` lists what it was asked."""
    from tests.web_server import LocalWebServer

    server = LocalWebServer()
    yield server
    server.close()
