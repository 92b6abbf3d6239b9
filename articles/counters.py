"""Counting article views: one Redis command per hit, flushed to PostgreSQL in batches."""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from articles.models import Article, ViewFlushBatch
from newsroom.redis import get_redis

logger = logging.getLogger(__name__)

PENDING_KEY = "newsroom:views:pending"
BATCH_PREFIX = "newsroom:views:batch:"


def article_view_record(*, article_id: int) -> None:
    """Count one view of an article."""
    if settings.VIEW_COUNTER_BACKEND == "redis":
        get_redis().hincrby(PENDING_KEY, str(article_id), 1)
    else:
        Article.objects.filter(pk=article_id).update(view_count=F("view_count") + 1)


def view_counts_flush() -> int:
    """Move pending view counts from Redis into article totals, exactly once.

    The pending hash is renamed to a batch key in one atomic step, so hits that
    arrive during the flush start a new hash. The batch id is stored in the same
    database transaction as the totals: a batch left behind by a crashed flush is
    applied on the next run only if that id is not stored yet, and then removed.
    Returns the number of views moved.
    """
    if settings.VIEW_COUNTER_BACKEND != "redis":
        return 0
    client = get_redis()
    moved = 0
    for key in client.scan_iter(match=f"{BATCH_PREFIX}*"):
        moved += _batch_apply(client, key.decode())
    batch_key = f"{BATCH_PREFIX}{uuid.uuid4().hex}"
    try:
        client.rename(PENDING_KEY, batch_key)
    except Exception as exc:  # redis raises ResponseError "no such key" when nothing is pending
        if "no such key" in str(exc).lower():
            return moved
        raise
    return moved + _batch_apply(client, batch_key)


def _batch_apply(client, batch_key: str) -> int:
    batch_id = batch_key.removeprefix(BATCH_PREFIX)
    counts = {int(k): int(v) for k, v in client.hgetall(batch_key).items()}
    moved = 0
    try:
        with transaction.atomic():
            # The batch row goes first: a second flusher racing on the same
            # leftover batch blocks on its unique key, then fails and rolls back.
            ViewFlushBatch.objects.create(batch_id=batch_id, articles=len(counts), views=sum(counts.values()))
            for article_id, views in sorted(counts.items()):
                Article.objects.filter(pk=article_id).update(view_count=F("view_count") + views)
        moved = sum(counts.values())
    except IntegrityError:
        logger.info("view batch %s was already applied", batch_id)
    client.delete(batch_key)
    return moved


def article_pending_views(*, article_id: int) -> int:
    """Views counted but not yet flushed, so a page can show an up-to-date total."""
    if settings.VIEW_COUNTER_BACKEND != "redis":
        return 0
    value = get_redis().hget(PENDING_KEY, str(article_id))
    return int(value or 0)
