"""Exactly once, proven: the flushing process is SIGKILLed at each step, and no view is lost or counted twice."""

import os
import random
import signal
import subprocess
import sys
import threading
import time

import pytest
from django.db import connection

from articles import counters
from articles.counters import PAUSE_POINTS
from articles.models import Article, ArticleViewDay, ViewFlushBatch
from tests.conftest import REPO_ROOT
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def flusher_env(**extra) -> dict:
    """The environment of a flush process on the test database and Redis."""
    from django.conf import settings

    db = connection.settings_dict
    url = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    return {**os.environ, "DEBUG": "1", "DATABASE_URL": url, "REDIS_URL": settings.REDIS_URL, **extra}


def start_flusher(*args, **env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "flush_views", *args],
        cwd=REPO_ROOT,
        env=flusher_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def read_until(process: subprocess.Popen, expected: str) -> bool:
    """Read the process's output until the line ``expected``; False if it ended first."""
    seen = []
    for line in process.stdout:
        if line.strip() == expected:
            return True
        seen.append(line)
    print("".join(seen))
    return False


def send_hits(articles, count: int, *, start: int = 0) -> None:
    for n in range(start, start + count):
        outcome = counters.article_view_record(
            article_id=articles[n % len(articles)].pk, visitor=f"reader-{n}"
        )
        assert outcome == counters.Outcome.COUNTED


def counted(articles) -> int:
    return sum(Article.objects.filter(pk__in=[a.pk for a in articles]).values_list("view_count", flat=True))


def assert_exact(articles, sent: int, redis_client) -> None:
    assert not list(redis_client.scan_iter(match=f"{counters.BATCH_PREFIX}*"))
    assert not redis_client.exists(counters.PENDING_KEY)
    assert counted(articles) == sent
    assert sum(ArticleViewDay.objects.values_list("views", flat=True)) == sent
    assert sum(ViewFlushBatch.objects.values_list("views", flat=True)) == sent
    for article in articles:
        total = Article.objects.get(pk=article.pk).view_count
        assert total == sum(ArticleViewDay.objects.filter(article=article).values_list("views", flat=True))


@pytest.mark.parametrize("point", PAUSE_POINTS)
def test_a_flush_killed_at_any_step_neither_loses_nor_double_counts(settings, redis_client, point):
    settings.VIEW_DEDUPE_WINDOW = 0
    articles = [ArticleFactory() for _ in range(3)]
    send_hits(articles, 30)

    process = start_flusher(NEWSROOM_FLUSH_PAUSE_AT=point)
    assert read_until(process, f"paused at {point}")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    process.stdout.close()

    # What the killed flush left: a batch key in Redis, and the ledger says whether it landed.
    (batch,) = redis_client.scan_iter(match=f"{counters.BATCH_PREFIX}*")
    landed = ViewFlushBatch.objects.filter(
        batch_id=batch.decode().removeprefix(counters.BATCH_PREFIX)
    ).exists()
    assert landed == (point == "after_commit")
    assert counted(articles) == (30 if landed else 0)

    send_hits(articles, 12, start=30)  # readers do not wait for the flush
    # The next flush (beat, ten seconds later) tidies up; the killed one's locks are gone.
    assert counters.view_counts_flush() == (12 if landed else 42)
    assert_exact(articles, 42, redis_client)


def test_a_looping_flusher_killed_again_and_again_under_load_counts_every_hit(settings, redis_client):
    """A worker that dies at random moments while hits keep coming: each restart tidies up."""
    settings.VIEW_DEDUPE_WINDOW = 0
    articles = [ArticleFactory() for _ in range(20)]
    rng = random.Random(20261125)
    sent = 0
    stop = threading.Event()
    errors = []

    def load():
        nonlocal sent
        try:
            while not stop.is_set():
                send_hits(articles, 50, start=sent)
                sent += 50
                time.sleep(0.005)
        except Exception as exc:  # surfaced below
            errors.append(exc)

    sender = threading.Thread(target=load)
    sender.start()
    kills = 0
    try:
        for _ in range(6):
            process = start_flusher("--interval", "0.02")
            time.sleep(rng.uniform(1.3, 2.5))  # Django starts (about 1 s), then dozens of flushes
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            process.stdout.close()
            kills += 1
    finally:
        stop.set()
        sender.join(timeout=30)
    assert errors == []
    assert kills == 6
    assert sent > 1000

    counters.view_counts_flush()
    assert_exact(articles, sent, redis_client)


def test_a_flusher_stopped_politely_flushes_what_is_left(settings, redis_client):
    settings.VIEW_DEDUPE_WINDOW = 0
    articles = [ArticleFactory() for _ in range(2)]
    process = start_flusher("--interval", "60")
    assert read_until(process, "flushing every 60 s until stopped")
    send_hits(articles, 25)

    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=30)

    assert process.returncode == 0, output
    assert "moved 25 views" in output
    assert_exact(articles, 25, redis_client)


def test_the_pause_hook_is_refused_without_debug(settings):
    result = subprocess.run(
        [sys.executable, "manage.py", "flush_views"],
        cwd=REPO_ROOT,
        env=flusher_env(
            DEBUG="0",
            SECRET_KEY="test-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz",
            NEWSROOM_FLUSH_PAUSE_AT="after_rename",
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "needs DEBUG on" in result.stderr
