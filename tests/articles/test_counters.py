"""View counting: one Redis command per hit, flushed to the database exactly once."""

import pytest

from articles import counters
from articles.models import Article, ViewFlushBatch
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db]


def test_without_redis_each_view_is_written_to_the_database(settings):
    settings.VIEW_COUNTER_BACKEND = "database"
    article = ArticleFactory()

    for _ in range(3):
        counters.article_view_record(article_id=article.pk)

    article.refresh_from_db()
    assert article.view_count == 3
    assert counters.view_counts_flush() == 0


@pytest.mark.services
def test_hits_wait_in_redis_until_the_flush_moves_them(settings, redis_client):
    settings.VIEW_COUNTER_BACKEND = "redis"
    a, b = ArticleFactory(), ArticleFactory()

    for _ in range(5):
        counters.article_view_record(article_id=a.pk)
    counters.article_view_record(article_id=b.pk)

    assert Article.objects.get(pk=a.pk).view_count == 0
    assert counters.article_pending_views(article_id=a.pk) == 5
    assert counters.view_counts_flush() == 6
    assert Article.objects.get(pk=a.pk).view_count == 5
    assert Article.objects.get(pk=b.pk).view_count == 1
    assert counters.view_counts_flush() == 0
    assert Article.objects.get(pk=a.pk).view_count == 5


@pytest.mark.services
def test_a_batch_left_by_a_crashed_flush_is_applied_once(settings, redis_client):
    settings.VIEW_COUNTER_BACKEND = "redis"
    article = ArticleFactory()
    for _ in range(4):
        counters.article_view_record(article_id=article.pk)
    # A flush renamed the pending hash and died before writing anything.
    redis_client.rename(counters.PENDING_KEY, f"{counters.BATCH_PREFIX}crashed-before-write")
    counters.article_view_record(article_id=article.pk)

    assert counters.view_counts_flush() == 5
    assert Article.objects.get(pk=article.pk).view_count == 5
    assert not list(redis_client.scan_iter(match=f"{counters.BATCH_PREFIX}*"))


@pytest.mark.services
def test_a_batch_already_written_is_not_counted_again(settings, redis_client):
    settings.VIEW_COUNTER_BACKEND = "redis"
    article = ArticleFactory(view_count=7)
    # A flush wrote its batch to the database and died before deleting the Redis key.
    redis_client.hset(f"{counters.BATCH_PREFIX}crashed-after-write", str(article.pk), 7)
    ViewFlushBatch.objects.create(batch_id="crashed-after-write", articles=1, views=7)

    assert counters.view_counts_flush() == 0
    assert Article.objects.get(pk=article.pk).view_count == 7
    assert not redis_client.exists(f"{counters.BATCH_PREFIX}crashed-after-write")
