"""The reads behind the sitemaps: pages of published stories keyed by id ranges, and the last 48 hours.

A site of millions of stories cannot page its sitemap with COUNT(*) and OFFSET: both walk every
row before the page. Page ``n`` instead holds the published stories whose ids fall in
``((n - 1) * size, n * size]``: the index needs only the highest published id, and each page is
one range of the primary key. A page keeps its stories for good (ids never change), so search
engines see old pages unchanged and only the last one grow.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from articles.models import Article
from articles.selectors import ARTICLE_ORDERING

# Google News reads stories of the last two days, at most 1,000 of them per sitemap.
NEWS_WINDOW = dt.timedelta(hours=48)
NEWS_LIMIT = 1000


class SitemapEntry(NamedTuple):
    slug: str
    updated_at: dt.datetime


class NewsEntry(NamedTuple):
    slug: str
    headline: str
    published_at: dt.datetime
    language: str


def sitemap_page_count(*, page_size: int) -> int:
    """How many id-range pages the published stories need (0 when none is published)."""
    last_id = Article.objects.published().order_by("-id").values_list("id", flat=True).first()
    return 0 if last_id is None else -(-last_id // page_size)


def sitemap_page_entries(*, page: int, page_size: int) -> list[SitemapEntry]:
    """The published stories of page ``page`` (from 1), by id."""
    first_id = (page - 1) * page_size + 1
    rows = (
        Article.objects.published()
        .filter(id__gte=first_id, id__lt=first_id + page_size)
        .order_by("id")
        .values_list("slug", "updated_at")
    )
    return [SitemapEntry(*row) for row in rows]


def news_sitemap_entries(*, now: dt.datetime) -> list[NewsEntry]:
    """Stories published in the 48 hours before ``now``, newest first, at most ``NEWS_LIMIT``."""
    rows = (
        Article.objects.published()
        .filter(published_at__gte=now - NEWS_WINDOW, published_at__lte=now)
        .order_by(*ARTICLE_ORDERING)
        .values_list("slug", "headline", "published_at", "language")[:NEWS_LIMIT]
    )
    return [NewsEntry(*row) for row in rows]
