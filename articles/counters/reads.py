"""Reading view figures: views still pending in Redis, an article's days, the most read articles."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import BigIntegerField, Case, F, Sum, Value, When
from django.utils import timezone

from articles.counters import keys
from articles.counters.record import redis_failed, redis_in_use
from articles.models import Article, ArticleViewDay
from newsroom.redis import get_redis

# Window name -> whole days before today that it covers.
MOST_READ_WINDOWS = {"24h": 1, "7d": 7}
MOST_READ_MAX = 20
MINUTES_A_DAY = 24 * 60
MOST_READ_GENERATION_KEY = "articles:most-read:generation"


@dataclass(frozen=True)
class ViewDay:
    day: dt.date
    views: int
    unique_visitors: int


@dataclass(frozen=True)
class MostReadItem:
    article: Article
    views: int  # estimated views within the window, see articles_most_read


def article_pending_views(*, article_id: int) -> int:
    """Views counted but not flushed yet (today's and yesterday's), so a page can show a fresh total."""
    if not redis_in_use():
        return 0
    today = timezone.now().date()
    fields = [
        keys.pending_field(article_id, today - dt.timedelta(days=1)),
        keys.pending_field(article_id, today),
    ]
    try:
        values = get_redis().hmget(keys.PENDING_KEY, fields)
    except redis.RedisError as exc:
        redis_failed(exc)
        return 0
    return sum(int(value or 0) for value in values)


def article_view_days(*, article: Article, days: int) -> list[ViewDay]:
    """The last ``days`` days of an article, newest first, days without views included."""
    today = timezone.now().date()
    first = today - dt.timedelta(days=days - 1)
    rows = {
        row.day: row
        for row in ArticleViewDay.objects.filter(article=article, day__gte=first).only(
            "day", "views", "unique_visitors"
        )
    }
    figures = []
    for offset in range(days):
        day = today - dt.timedelta(days=offset)
        row = rows.get(day)
        figures.append(ViewDay(day, row.views if row else 0, row.unique_visitors if row else 0))
    return figures


def articles_most_read(*, window: str, limit: int) -> list[MostReadItem]:
    """The published articles most read within ``window`` ("24h" or "7d"), from the daily rows.

    Daily rows cannot split a day, so the window's oldest day is weighted by the share of
    it still inside the window: at 06:00 UTC, "24h" is today's views plus 18/24 of
    yesterday's (as if yesterday's views were spread evenly over the day). Cached for
    ``MOST_READ_CACHE_SECONDS``; a cached read costs no query.
    """
    if window not in MOST_READ_WINDOWS:
        raise ValueError(f"unknown window {window!r}")
    cache_key = f"articles:most-read:{window}:{_most_read_generation()}"
    items = cache.get(cache_key)
    if items is None:
        items = _most_read(days=MOST_READ_WINDOWS[window], now=timezone.now())
        cache.set(cache_key, items, settings.MOST_READ_CACHE_SECONDS)
    return items[:limit]


def articles_most_read_forget() -> None:
    """A story left the public: the cached lists are not read again (called once the change commits).

    The lists are cached under a generation that this replaces, rather than deleted: a reader
    that computed a list from the database just before the change and stores it just after
    stores it under the old generation, which nobody reads any more.
    """
    cache.set(MOST_READ_GENERATION_KEY, time.time_ns(), None)


def article_deleted(sender, instance, **kwargs) -> None:
    """``post_delete`` of an article: a published one leaves "most read" once the deletion commits."""
    if instance.status == Article.Status.PUBLISHED:
        transaction.on_commit(articles_most_read_forget)


def _most_read_generation() -> int:
    generation = cache.get(MOST_READ_GENERATION_KEY)
    if generation is None:
        cache.add(MOST_READ_GENERATION_KEY, 0, None)
        generation = cache.get(MOST_READ_GENERATION_KEY, 0)
    return generation


def _most_read(*, days: int, now: dt.datetime) -> list[MostReadItem]:
    today = now.date()
    oldest = today - dt.timedelta(days=days)
    minutes_left = MINUTES_A_DAY - (now.hour * 60 + now.minute)
    weighted = Case(
        When(day=oldest, then=F("views") * Value(minutes_left)),
        default=F("views") * Value(MINUTES_A_DAY),
        output_field=BigIntegerField(),
    )
    ranked = list(
        ArticleViewDay.objects.filter(
            day__gte=oldest, day__lte=today, article__status=Article.Status.PUBLISHED
        )
        .values("article_id")
        .annotate(score=Sum(weighted))
        .filter(score__gt=0)
        .order_by("-score", "-article_id")[:MOST_READ_MAX]
    )
    articles = Article.objects.select_related("agency").in_bulk([row["article_id"] for row in ranked])
    items = [
        MostReadItem(articles[row["article_id"]], round(row["score"] / MINUTES_A_DAY))
        for row in ranked
        if row["article_id"] in articles
    ]
    return [item for item in items if item.views > 0]
