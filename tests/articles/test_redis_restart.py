"""Redis restarted during hits and during a flush: with its append-only file, every hit lands exactly once.

Each test runs a redis-server of its own (``tests.redis_server``), with ``appendonly yes`` and
``appendfsync always``, and restarts it; the machine's Redis is never touched.
"""

import signal
import threading

import pytest
from django.db.models import Sum
from rest_framework.test import APIClient

from articles import counters
from articles.counters import record
from articles.models import Article, ArticleViewDay, ViewFlushBatch
from tests.conftest import IN_CI
from tests.factories import CHROME, ArticleFactory
from tests.redis_server import OwnRedis

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

HITS = 300
RESTARTS = {"terminated": signal.SIGTERM, "killed": signal.SIGKILL}


def own_redis_at(settings, tmp_path, **options) -> OwnRedis:
    try:
        server = OwnRedis(tmp_path, **options)
    except FileNotFoundError:
        if IN_CI:
            raise
        pytest.skip("redis-server is not installed")
    server.start()
    settings.REDIS_URL = server.url
    settings.VIEW_COUNTER_BACKEND = "redis"
    settings.VIEW_REDIS_RETRY_SECONDS = 0.2
    return server


@pytest.fixture
def own_redis(settings, tmp_path):
    server = own_redis_at(settings, tmp_path)
    yield server
    server.stop(signal.SIGKILL)
    record._down_until.pop(server.url, None)


def beacon(article, n: int) -> int:
    address = f"10.{n // 250}.{n % 250}.{n % 7 + 1}"  # one reader an address: every hit is a view
    return (
        APIClient()
        .post(f"/api/articles/{article.pk}/views/", HTTP_USER_AGENT=CHROME, REMOTE_ADDR=address)
        .status_code
    )


def hits_with_a_restart(articles, server: OwnRedis, sig: int) -> list[int]:
    """Send HITS beacon hits; after the first third, Redis goes down and comes back while they go on."""
    third = threading.Event()
    restarter = threading.Thread(target=lambda: (third.wait(), server.restart(sig)))
    restarter.start()
    answers = []
    for n in range(HITS):
        if n == HITS // 3:
            third.set()
        answers.append(beacon(articles[n % len(articles)], n))
    restarter.join(timeout=60)
    return answers


def counted(articles) -> int:
    ids = [a.pk for a in articles]
    return Article.objects.filter(pk__in=ids).aggregate(n=Sum("view_count"))["n"] or 0


def flush_until_empty(server: OwnRedis) -> None:
    client = server.client()
    for _ in range(5):
        try:
            counters.view_counts_flush()
        except Exception as exc:  # a flush that met the restart: the next one finishes its work
            print(f"flush failed: {exc!r}")
        if not client.exists(counters.PENDING_KEY) and not list(
            client.scan_iter(match=f"{counters.BATCH_PREFIX}*")
        ):
            return
    raise AssertionError("the flushes left batches in Redis")


@pytest.mark.parametrize("how", list(RESTARTS))
def test_redis_restarted_during_hits_loses_no_accepted_hit(own_redis, settings, how):
    settings.VIEW_DEDUPE_WINDOW = 1800
    articles = [ArticleFactory() for _ in range(3)]

    answers = hits_with_a_restart(articles, own_redis, RESTARTS[how])
    flush_until_empty(own_redis)

    accepted = answers.count(204)
    print(f"Redis {how} during {HITS} hits: {accepted} accepted, {counted(articles)} counted")
    assert accepted == HITS
    assert counted(articles) == HITS
    assert ArticleViewDay.objects.filter(article__in=articles).aggregate(n=Sum("views"))["n"] == HITS
    assert counters.view_counts_flush() == 0  # nothing left, nothing counted twice


def test_redis_without_persistence_restarted_during_hits_loses_them_and_says_so(settings, tmp_path):
    """Why production runs Redis with AOF: the probe's loss, reproduced, and the warning that names it."""
    server = own_redis_at(settings, tmp_path, appendonly=False)
    try:
        settings.VIEW_DEDUPE_WINDOW = 1800
        articles = [ArticleFactory() for _ in range(3)]
        from newsroom.redis import persistence_problem

        assert "without any persistence" in persistence_problem()

        answers = hits_with_a_restart(articles, server, signal.SIGTERM)
        flush_until_empty(server)

        lost = answers.count(204) - counted(articles)
        print(f"Redis without persistence restarted during {HITS} hits: {lost} lost")
        assert lost > 0
    finally:
        server.stop(signal.SIGKILL)
        record._down_until.pop(server.url, None)


@pytest.mark.parametrize("how", list(RESTARTS))
@pytest.mark.parametrize("point", counters.PAUSE_POINTS)
def test_redis_restarted_during_a_flush_lands_the_whole_batch_once(own_redis, settings, point, how):
    settings.VIEW_DEDUPE_WINDOW = 0
    articles = [ArticleFactory() for _ in range(4)]
    for n in range(120):
        assert (
            counters.article_view_record(article_id=articles[n % 4].pk, visitor=f"reader-{n}")
            == counters.Outcome.COUNTED
        )

    def restart_at(reached: str) -> None:
        if reached == point:
            own_redis.restart(RESTARTS[how])

    try:
        counters.view_counts_flush(pause=restart_at)
    except Exception as exc:  # the restart broke this flush: the next one (beat, 10 s later) tidies up
        print(f"flush met the restart: {exc!r}")
    flush_until_empty(own_redis)

    print(f"Redis {how} at {point}: 120 sent, {counted(articles)} counted")
    assert counted(articles) == 120
    assert ArticleViewDay.objects.filter(article__in=articles).aggregate(n=Sum("views"))["n"] == 120
    assert ViewFlushBatch.objects.aggregate(n=Sum("views"))["n"] == 120
