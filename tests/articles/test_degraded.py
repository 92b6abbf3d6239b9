"""Degraded but not lost: with Redis down hits go to the database; with PostgreSQL down they wait in Redis."""

import os
import subprocess
import sys

import pytest
from django.db import OperationalError, connection
from django.utils import timezone
from rest_framework.test import APIClient

from articles import counters
from articles.counters import record
from articles.models import Article, ArticleViewDay, ViewFlushBatch
from tests.conftest import REPO_ROOT
from tests.factories import CHROME, ArticleFactory

pytestmark = [pytest.mark.django_db]

CLOSED = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def redis_down(settings):
    """Redis configured, as in production, but unreachable: counters, cache and all."""
    settings.REDIS_URL = CLOSED
    settings.VIEW_COUNTER_BACKEND = "redis"
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.redis.RedisCache",
            "LOCATION": CLOSED,
            "KEY_PREFIX": "newsroom",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 1},
        }
    }
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
    yield
    record._down_until.pop(CLOSED, None)


def beacon(article, ip="198.51.100.1"):
    return APIClient().post(f"/api/articles/{article.pk}/views/", HTTP_USER_AGENT=CHROME, REMOTE_ADDR=ip)


# --- Redis down ------------------------------------------------------------------------------------


def test_with_redis_down_hits_go_straight_to_the_database(redis_down):
    article = ArticleFactory(legacy_view_count=100)

    responses = [beacon(article, ip=f"198.51.100.{n}") for n in range(3)]
    pixel = APIClient().get(f"/articles/{article.pk}/pixel.gif", HTTP_USER_AGENT=CHROME)

    assert [r.status_code for r in responses] == [204, 204, 204]
    assert pixel.status_code == 200
    assert Article.objects.get(pk=article.pk).view_count == 4
    row = ArticleViewDay.objects.get(article=article, day=timezone.now().date())
    assert (row.views, row.unique_visitors) == (4, 0)


def test_with_redis_down_repeats_are_counted_since_there_is_nowhere_to_remember_them(redis_down):
    article = ArticleFactory()

    for _ in range(3):
        beacon(article)

    assert Article.objects.get(pk=article.pk).view_count == 3


def test_with_redis_down_bots_are_still_not_counted(redis_down):
    article = ArticleFactory()

    APIClient().post(f"/api/articles/{article.pk}/views/", HTTP_USER_AGENT="Googlebot/2.1")

    assert Article.objects.get(pk=article.pk).view_count == 0


def test_with_redis_down_pages_and_the_api_still_answer(redis_down, client):
    article = ArticleFactory(headline="Still readable", legacy_view_count=7484, view_count=16)
    ArticleViewDay.objects.create(article=article, day=timezone.now().date(), views=16)

    page = client.get(article.get_absolute_url())
    front = client.get("/")
    api = APIClient()

    assert page.status_code == 200
    assert "Read 7,500 times" in page.content.decode()
    assert front.status_code == 200 and "Still readable" in front.content.decode()
    assert api.get(f"/api/articles/{article.pk}/").status_code == 200
    assert api.get("/api/articles/most-read/").json()[0]["article_id"] == article.pk
    assert api.get(f"/api/articles/{article.pk}/views/daily/").json()["pending_views"] == 0


def test_with_redis_down_the_flush_fails_loudly_and_changes_nothing(redis_down):
    import redis

    article = ArticleFactory(view_count=5)

    with pytest.raises(redis.ConnectionError):
        counters.view_counts_flush()
    assert Article.objects.get(pk=article.pk).view_count == 5


def test_after_a_redis_failure_hits_skip_it_for_a_while_then_try_again(redis_down, settings):
    settings.VIEW_REDIS_RETRY_SECONDS = 60
    article = ArticleFactory()
    beacon(article)
    assert not counters.redis_in_use()

    settings.VIEW_REDIS_RETRY_SECONDS = 0
    record._down_until[CLOSED] = 0.0
    assert counters.redis_in_use()


@pytest.mark.services
def test_when_redis_comes_back_hits_go_to_it_again(settings, redis_client):
    real = settings.REDIS_URL
    article = ArticleFactory()
    settings.REDIS_URL = CLOSED
    beacon(article)  # counted in the database
    assert Article.objects.get(pk=article.pk).view_count == 1

    settings.REDIS_URL = real  # the failure was noted for the closed address only
    beacon(article, ip="198.51.100.2")

    assert counters.article_pending_views(article_id=article.pk) == 1
    counters.view_counts_flush()
    assert Article.objects.get(pk=article.pk).view_count == 2
    record._down_until.pop(CLOSED, None)


@pytest.mark.services
def test_cache_clear_keeps_the_view_counters():
    """Only the cache's own keys go: the counters and the broker share the Redis database."""
    from django.core.cache import cache

    from newsroom.redis import get_redis

    client = get_redis()
    client.hset(counters.PENDING_KEY, "1:2030-01-01", 5)
    cache.set("something", 1)

    cache.clear()

    assert cache.get("something") is None
    assert client.hget(counters.PENDING_KEY, "1:2030-01-01") == b"5"
    client.delete(counters.PENDING_KEY)


# --- PostgreSQL down ----------------------------------------------------------------------------------


@pytest.fixture
def database_down_switch(transactional_db):
    """Turns the test database's address into a closed port and back."""
    original = dict(connection.settings_dict)

    def down():
        connection.close()
        connection.settings_dict["HOST"] = "127.0.0.1"
        connection.settings_dict["PORT"] = "1"

    def up():
        connection.close()
        connection.settings_dict.update(original)

    yield down, up
    up()


@pytest.mark.services
def test_with_postgresql_down_hits_wait_in_redis_and_are_applied_once_it_is_back(
    settings, redis_client, database_down_switch
):
    down, up = database_down_switch
    settings.VIEW_DEDUPE_WINDOW = 0
    article = ArticleFactory()
    for _ in range(5):
        counters.article_view_record(article_id=article.pk, visitor="reader")

    down()
    for _ in range(3):  # the beat keeps trying
        with pytest.raises(OperationalError):
            counters.view_counts_flush()
        counters.article_view_record(article_id=article.pk, visitor="reader")
    batches = list(redis_client.scan_iter(match=f"{counters.BATCH_PREFIX}*"))
    # The first failed flush renamed the pending hash; later ones stop at that batch and
    # leave the hits that keep coming in the pending hash.
    assert len(batches) == 1
    assert sum(int(v) for v in redis_client.hvals(batches[0])) == 5
    assert sum(int(v) for v in redis_client.hvals(counters.PENDING_KEY)) == 3

    up()
    assert Article.objects.get(pk=article.pk).view_count == 0
    assert counters.view_counts_flush() == 8
    assert Article.objects.get(pk=article.pk).view_count == 8
    assert ArticleViewDay.objects.get(article=article).views == 8
    assert ViewFlushBatch.objects.count() == 2
    assert not list(redis_client.scan_iter(match=f"{counters.BATCH_PREFIX}*"))
    assert counters.view_counts_flush() == 0


@pytest.mark.services
def test_the_flush_command_fails_while_postgresql_is_unreachable_and_loses_nothing(settings, redis_client):
    settings.VIEW_DEDUPE_WINDOW = 0
    article = ArticleFactory()
    for _ in range(4):
        counters.article_view_record(article_id=article.pk)
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/newsroom",
        "REDIS_URL": settings.REDIS_URL,
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "flush_views"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "OperationalError" in result.stderr
    (batch,) = redis_client.scan_iter(match=f"{counters.BATCH_PREFIX}*")
    assert sum(int(v) for v in redis_client.hvals(batch)) == 4
    assert counters.view_counts_flush() == 4
    assert Article.objects.get(pk=article.pk).view_count == 4
