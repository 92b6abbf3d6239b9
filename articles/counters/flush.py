"""The flush: pending hits move from Redis into the database in batches, each applied exactly once."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable

import redis
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from articles.counters import keys, totals
from articles.models import ViewFlushBatch
from newsroom.redis import get_redis

logger = logging.getLogger(__name__)

# Where a test can stop a flush (see the flush_views command): between the rename and the
# transaction, inside the transaction after every write, between the commit and the delete.
PAUSE_POINTS = ("after_rename", "inside_transaction", "after_commit")
# Any constant: flushes take it inside their transaction, so two never write at once
# (no deadlock between batches that touch the same articles in another order).
ADVISORY_LOCK = 0x6E65_7773_7669_6577  # "newsview"
BATCH_TIME = "%Y%m%dT%H%M%S"

Pause = Callable[[str], None]


def view_counts_flush(*, pause: Pause | None = None) -> int:
    """Move pending view counts from Redis into article totals and daily rows, exactly once.

    1. Batches left by an earlier flush that stopped half way are applied first (each one
       only if its id is not in the ledger yet). If the database is down this raises, and
       the pending hash is left alone: hits keep waiting in Redis.
    2. The pending hash is renamed to a new batch key (atomic: hits arriving from then on
       start a new hash), and the batch is applied.

    A batch is applied in one transaction that first inserts its id into the
    ``ViewFlushBatch`` ledger (unique), then adds the totals; the Redis key is deleted only
    after the commit. Killed before the commit: the transaction is rolled back, the key is
    still there, the next flush applies it. Killed after the commit: the id is in the
    ledger, the next flush deletes the key without applying it again.
    Returns the number of views moved.
    """
    if settings.VIEW_COUNTER_BACKEND != "redis":
        return 0
    pause = pause or _no_pause
    client = get_redis()
    moved = 0
    for key in sorted(client.scan_iter(match=f"{keys.BATCH_PREFIX}*", count=1000)):
        moved += _batch_apply(client, key.decode(), pause)
    batch_key = f"{keys.BATCH_PREFIX}{timezone.now():{BATCH_TIME}}-{uuid.uuid4().hex}"
    try:
        client.rename(keys.PENDING_KEY, batch_key)
    except redis.ResponseError as exc:
        if "no such key" in str(exc).lower():  # nothing pending
            _ledger_prune()
            return moved
        raise
    pause("after_rename")
    moved += _batch_apply(client, batch_key, pause)
    _ledger_prune()
    return moved


def _batch_apply(client: redis.Redis, batch_key: str, pause: Pause) -> int:
    batch_id = batch_key.removeprefix(keys.BATCH_PREFIX)
    created = _batch_time(batch_id)
    if created is not None and created < _ledger_cutoff():
        # Its ledger row, if it was applied, may have been pruned: a person has to decide.
        logger.error("view batch %s is older than the ledger keeps; left in Redis, not applied", batch_id)
        return 0
    today = timezone.now().date()
    views: dict[tuple[int, dt.date], int] = {}
    for field, value in client.hgetall(batch_key).items():
        key = keys.pending_field_parse(field, default_day=today)
        views[key] = views.get(key, 0) + int(value)
    uniques = _uniques_count(client, list(views))
    per_article: dict[int, int] = defaultdict(int)
    for (article_id, _), count in views.items():
        per_article[article_id] += count
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])
            # The ledger row first: a second flusher on the same batch waits on its unique
            # key until this transaction ends, then fails.
            ledger = ViewFlushBatch.objects.create(batch_id=batch_id, articles=len(per_article))
            existing = totals.article_totals_add(per_article)
            applied = {key: count for key, count in views.items() if key[0] in existing}
            totals.article_days_add(applied, uniques=uniques)
            ledger.articles, ledger.views = len(existing), sum(applied.values())
            ledger.save(update_fields=["articles", "views"])
            pause("inside_transaction")
    except IntegrityError:
        if not ViewFlushBatch.objects.filter(batch_id=batch_id).exists():
            raise  # not the ledger (an article deleted meanwhile): the batch waits for the next flush
        logger.info("view batch %s was already applied", batch_id)
        client.delete(batch_key)
        return 0
    if len(applied) < len(views):
        logger.info(
            "view batch %s: %d article-days of deleted articles dropped", batch_id, len(views) - len(applied)
        )
    pause("after_commit")
    client.delete(batch_key)
    return ledger.views


def _uniques_count(
    client: redis.Redis, article_days: list[tuple[int, dt.date]]
) -> dict[tuple[int, dt.date], int]:
    pipe = client.pipeline(transaction=False)
    for article_id, day in article_days:
        pipe.pfcount(keys.uniques_key(article_id, day))
    return dict(zip(article_days, pipe.execute(), strict=True)) if article_days else {}


def _batch_time(batch_id: str) -> dt.datetime | None:
    stamp = batch_id.partition("-")[0]
    try:
        return dt.datetime.strptime(stamp, BATCH_TIME).replace(tzinfo=dt.UTC)
    except ValueError:
        return None  # an id from before batch ids carried their time


def _ledger_cutoff() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=settings.VIEW_FLUSH_LEDGER_DAYS)


def _ledger_prune() -> None:
    # Batch ids start with their time, so this is a range scan of the unique index.
    cutoff = f"{_ledger_cutoff():{BATCH_TIME}}"
    ViewFlushBatch.objects.filter(batch_id__lt=cutoff, batch_id__regex=r"^[0-9]{8}T[0-9]{6}-").delete()


def _no_pause(point: str) -> None:
    pass
