"""Counting page views of articles: one Redis round trip a hit, flushed to the database in batches, exactly once.

See docs/page-views.md for the design: what counts as a view, how a visitor is known without
storing an address, why a flush stopped at any point neither loses nor double-counts, and
what happens while Redis or PostgreSQL is down.
"""

from articles.counters.flush import PAUSE_POINTS, view_counts_flush
from articles.counters.keys import BATCH_PREFIX, KEY_PREFIX, PENDING_KEY
from articles.counters.reads import (
    MOST_READ_MAX,
    MOST_READ_WINDOWS,
    MostReadItem,
    ViewDay,
    article_deleted,
    article_pending_views,
    article_view_days,
    articles_most_read,
    articles_most_read_forget,
)
from articles.counters.record import (
    Outcome,
    article_view_hit,
    article_view_record,
    redis_in_use,
)

__all__ = [
    "BATCH_PREFIX",
    "KEY_PREFIX",
    "MOST_READ_MAX",
    "MOST_READ_WINDOWS",
    "PAUSE_POINTS",
    "PENDING_KEY",
    "MostReadItem",
    "Outcome",
    "ViewDay",
    "article_deleted",
    "article_pending_views",
    "article_view_days",
    "article_view_hit",
    "article_view_record",
    "articles_most_read",
    "articles_most_read_forget",
    "redis_in_use",
    "view_counts_flush",
]
