"""View counting: one Redis round trip per hit, flushed to the database exactly once."""

import contextlib
import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from articles import counters
from articles.counters import flush as counters_flush
from articles.counters import keys
from articles.models import Article, ArticleViewDay, ViewFlushBatch
from tests.conftest import wait_for
from tests.factories import CHROME, ArticleFactory

pytestmark = [pytest.mark.django_db]


@contextlib.contextmanager
def commands_sent(client):
    """The names of the commands ``client`` sends to Redis inside the block, in order."""
    sent = []
    original = client.execute_command

    def counting(*args, **options):
        sent.append(args[0])
        return original(*args, **options)

    client.execute_command = counting
    try:
        yield sent
    finally:
        del client.execute_command


def day_rows(article):
    return {
        row.day: (row.views, row.unique_visitors) for row in ArticleViewDay.objects.filter(article=article)
    }


# --- Without Redis ----------------------------------------------------------------------------


def test_without_redis_each_view_is_written_to_the_database(settings):
    settings.VIEW_COUNTER_BACKEND = "database"
    article = ArticleFactory()

    for _ in range(3):
        counters.article_view_record(article_id=article.pk)

    article.refresh_from_db()
    assert article.view_count == 3
    assert counters.view_counts_flush() == 0


def test_without_redis_each_view_also_lands_in_the_days_figures(settings):
    settings.VIEW_COUNTER_BACKEND = "database"
    article = ArticleFactory()
    today = timezone.now().date()
    yesterday = today - dt.timedelta(days=1)

    counters.article_view_record(article_id=article.pk, day=yesterday)
    for _ in range(2):
        counters.article_view_record(article_id=article.pk)

    assert day_rows(article) == {yesterday: (1, 0), today: (2, 0)}
    assert Article.objects.get(pk=article.pk).view_count == 3


def test_a_view_of_a_deleted_article_is_dropped_without_error(settings):
    settings.VIEW_COUNTER_BACKEND = "database"

    assert counters.article_view_record(article_id=987654) == counters.Outcome.COUNTED
    assert not ArticleViewDay.objects.exists()


def test_the_updated_time_of_an_article_does_not_move_when_it_is_read(settings):
    settings.VIEW_COUNTER_BACKEND = "database"
    article = ArticleFactory()
    before = Article.objects.get(pk=article.pk).updated_at

    counters.article_view_record(article_id=article.pk)

    # The page's cached body is keyed on updated_at: reads must not invalidate it.
    assert Article.objects.get(pk=article.pk).updated_at == before


# --- With Redis ----------------------------------------------------------------------------------


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
def test_the_flush_fills_the_days_with_views_and_sets_unique_visitors(settings, redis_client):
    settings.VIEW_COUNTER_BACKEND = "redis"
    settings.VIEW_DEDUPE_WINDOW = 0
    article = ArticleFactory()
    today = timezone.now().date()
    yesterday = today - dt.timedelta(days=1)
    for visitor in ["v1", "v2", "v1", "v3", "v1"]:
        counters.article_view_record(article_id=article.pk, visitor=visitor)
    counters.article_view_record(article_id=article.pk, visitor="v9", day=yesterday)

    assert counters.view_counts_flush() == 6
    assert day_rows(article) == {today: (5, 3), yesterday: (1, 1)}

    # Unique visitors are set from the day's HyperLogLog, not added: v1 again changes nothing.
    counters.article_view_record(article_id=article.pk, visitor="v1")
    counters.article_view_record(article_id=article.pk, visitor="v4")
    assert counters.view_counts_flush() == 2
    assert day_rows(article)[today] == (7, 4)
    assert Article.objects.get(pk=article.pk).view_count == 8


@pytest.mark.services
def test_unique_visitors_never_go_down_when_the_days_hyperloglog_has_expired(settings, redis_client):
    settings.VIEW_COUNTER_BACKEND = "redis"
    settings.VIEW_DEDUPE_WINDOW = 0
    article = ArticleFactory()
    today = timezone.now().date()
    for visitor in ["a", "b", "c"]:
        counters.article_view_record(article_id=article.pk, visitor=visitor)
    counters.view_counts_flush()
    redis_client.delete(keys.uniques_key(article.pk, today))

    counters.article_view_record(article_id=article.pk)  # no visitor: counted, no unique figure
    counters.view_counts_flush()

    assert day_rows(article)[today] == (4, 3)


@pytest.mark.services
def test_one_hit_is_one_round_trip_to_redis(settings, redis_client):
    settings.VIEW_COUNTER_BACKEND = "redis"
    article = ArticleFactory()
    request = RequestFactory().post("/", HTTP_USER_AGENT=CHROME, REMOTE_ADDR="198.51.100.1")
    counters.article_view_hit(
        request=request, article_id=article.pk, fetch_dest="empty"
    )  # loads script, salt
    with commands_sent(redis_client) as sent:
        for n in range(10):
            request = RequestFactory().post("/", HTTP_USER_AGENT=CHROME, REMOTE_ADDR=f"198.51.100.{n + 2}")
            outcome = counters.article_view_hit(request=request, article_id=article.pk, fetch_dest="empty")
            assert outcome == counters.Outcome.COUNTED

    assert sent == ["EVALSHA"] * 10
    assert counters.article_pending_views(article_id=article.pk) == 11


@pytest.mark.services
def test_the_published_check_rides_in_the_same_round_trip(settings, redis_client):
    settings.VIEW_COUNTER_BACKEND = "redis"
    article = ArticleFactory()
    draft = ArticleFactory(status=Article.Status.DRAFT)
    factory = RequestFactory()

    def hit(article_id, n):
        request = factory.post("/", HTTP_USER_AGENT=CHROME, REMOTE_ADDR=f"198.51.100.{n}")
        return counters.article_view_hit(request=request, article_id=article_id, fetch_dest="empty")

    # First hits: the cache does not know the articles yet, the database is asked once.
    assert hit(article.pk, 1) == counters.Outcome.COUNTED
    assert hit(draft.pk, 1) == counters.Outcome.NOT_FOUND
    assert hit(987654, 1) == counters.Outcome.NOT_FOUND
    with commands_sent(redis_client) as sent:
        assert hit(article.pk, 2) == counters.Outcome.COUNTED
        assert hit(draft.pk, 2) == counters.Outcome.NOT_FOUND
        assert hit(article.pk, 2) == counters.Outcome.REPEAT

    assert sent == ["EVALSHA"] * 3
    assert counters.article_pending_views(article_id=article.pk) == 2
    assert counters.article_pending_views(article_id=draft.pk) == 0


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
    assert sum(views for views, _ in day_rows(article).values()) == 5
    assert not list(redis_client.scan_iter(match=f"{counters.BATCH_PREFIX}*"))


@pytest.mark.services
def test_a_batch_already_written_is_not_counted_again(settings, redis_client):
    settings.VIEW_COUNTER_BACKEND = "redis"
    article = ArticleFactory(view_count=7)
    # A flush wrote its batch to the database and died before deleting the Redis key
    # (the field is in the format used before days were kept: it still reads).
    redis_client.hset(f"{counters.BATCH_PREFIX}crashed-after-write", str(article.pk), 7)
    ViewFlushBatch.objects.create(batch_id="crashed-after-write", articles=1, views=7)

    assert counters.view_counts_flush() == 0
    assert Article.objects.get(pk=article.pk).view_count == 7
    assert not redis_client.exists(f"{counters.BATCH_PREFIX}crashed-after-write")


@pytest.mark.services
def test_views_of_a_deleted_article_do_not_hold_up_the_batch(settings, redis_client):
    settings.VIEW_COUNTER_BACKEND = "redis"
    kept, deleted = ArticleFactory(), ArticleFactory()
    counters.article_view_record(article_id=kept.pk)
    counters.article_view_record(article_id=deleted.pk)
    deleted.delete()

    assert counters.view_counts_flush() == 1
    assert Article.objects.get(pk=kept.pk).view_count == 1
    batch = ViewFlushBatch.objects.get()
    assert (batch.articles, batch.views) == (1, 1)
    assert not list(redis_client.scan_iter(match=f"{counters.BATCH_PREFIX}*"))


@pytest.mark.services
def test_batch_ids_carry_their_time_and_old_ledger_rows_are_pruned(settings, redis_client):
    settings.VIEW_COUNTER_BACKEND = "redis"
    settings.VIEW_FLUSH_LEDGER_DAYS = 30
    article = ArticleFactory()
    ViewFlushBatch.objects.create(batch_id="20000101T000000-old", views=1)
    ViewFlushBatch.objects.create(batch_id="crashed-after-write", views=1)  # an id from before: kept
    counters.article_view_record(article_id=article.pk)

    counters.view_counts_flush()

    ids = set(ViewFlushBatch.objects.values_list("batch_id", flat=True))
    assert "20000101T000000-old" not in ids and "crashed-after-write" in ids
    (new,) = ids - {"crashed-after-write"}
    assert dt.datetime.strptime(new[:15], "%Y%m%dT%H%M%S").date() == timezone.now().date()


@pytest.mark.services
def test_a_leftover_batch_older_than_the_ledger_is_left_for_a_person(settings, redis_client, caplog):
    settings.VIEW_COUNTER_BACKEND = "redis"
    article = ArticleFactory()
    old = f"{counters.BATCH_PREFIX}20000101T000000-forgotten"
    redis_client.hset(old, keys.pending_field(article.pk, dt.date(2000, 1, 1)), 3)

    assert counters.view_counts_flush() == 0
    assert redis_client.exists(old)
    assert "older than the ledger keeps" in caplog.text
    redis_client.delete(old)


@pytest.mark.services
def test_two_flushes_at_once_apply_a_leftover_batch_once(settings, redis_client, transactional_db):
    settings.VIEW_COUNTER_BACKEND = "redis"
    article = ArticleFactory()
    for _ in range(50):
        counters.article_view_record(article_id=article.pk)
    redis_client.rename(counters.PENDING_KEY, f"{counters.BATCH_PREFIX}20990101T000000-shared")
    results, errors = [], []

    def flush():
        try:
            results.append(counters.view_counts_flush())
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=flush) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(results) == [0, 0, 0, 50]
    assert Article.objects.get(pk=article.pk).view_count == 50


@pytest.mark.services
def test_hits_sent_while_flushes_run_are_all_counted_once(settings, redis_client, transactional_db):
    settings.VIEW_COUNTER_BACKEND = "redis"
    articles = [ArticleFactory() for _ in range(5)]
    sent = 2000
    done = threading.Event()

    def flush_loop():
        while not done.is_set():
            counters.view_counts_flush()
        connection.close()

    flusher = threading.Thread(target=flush_loop)
    flusher.start()
    for n in range(sent):
        counters.article_view_record(article_id=articles[n % 5].pk)
    done.set()
    flusher.join(timeout=60)
    counters.view_counts_flush()

    assert (
        sum(Article.objects.filter(pk__in=[a.pk for a in articles]).values_list("view_count", flat=True))
        == sent
    )
    assert sum(ArticleViewDay.objects.values_list("views", flat=True)) == sent
    assert sum(ViewFlushBatch.objects.values_list("views", flat=True)) == sent


@pytest.mark.services
def test_the_beat_task_flushes_in_a_real_worker(settings, redis_client, celery_worker_process):
    from articles.tasks import view_counts_flush_task

    article = ArticleFactory()
    for _ in range(3):
        counters.article_view_record(article_id=article.pk)

    view_counts_flush_task.delay()

    assert wait_for(lambda: Article.objects.get(pk=article.pk).view_count == 3, timeout=60)
    assert not redis_client.exists(counters.PENDING_KEY)


def test_flush_pause_points_are_the_documented_ones():
    assert counters_flush.PAUSE_POINTS == ("after_rename", "inside_transaction", "after_commit")
