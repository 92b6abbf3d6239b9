"""What the health checks and the metrics read: queue depths, stuck documents, the view flush's lag.

Each figure is read where it lives (the broker, the database, Redis) when it is asked for, so
every web process reports the same numbers. The flush's last success is written by the
worker that ran it (``view_flush_succeeded``, connected to Celery's ``task_success``).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from kombu.exceptions import ChannelError

from articles import counters
from articles.models import RawDocument
from newsroom.celery import app
from newsroom.redis import get_redis

VIEW_FLUSH_TASK = "articles.tasks.view_counts_flush_task"
# Unix time of the last flush that finished; read by every web process.
VIEW_FLUSHED_AT_KEY = "monitoring:views:flushed-at"
STUCK_STATUSES = (RawDocument.Status.PENDING, RawDocument.Status.PROCESSING)


def task_queues() -> list[str]:
    """The queues the project's tasks go to: the default one and those named in the routes."""
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values() if "queue" in route}
    return sorted({settings.CELERY_TASK_DEFAULT_QUEUE, *routed})


def queue_depths() -> dict[str, int]:
    """Messages waiting in each queue on the broker (not those a worker has taken)."""
    depths = {}
    with app.connection_for_read() as connection:
        channel = connection.default_channel
        for queue in task_queues():
            try:
                depths[queue] = channel.queue_declare(queue=queue, passive=True).message_count
            except ChannelError:
                # Not declared yet: no worker or sender has used it, so nothing waits in it.
                depths[queue] = 0
    return depths


@dataclass(frozen=True)
class StuckDocuments:
    count: int
    oldest_seconds: float  # how long the oldest has waited; 0 when none


def stuck_documents(*, older_than: float | None = None) -> StuckDocuments:
    """Raw documents still pending or processing ``older_than`` seconds after they were last sent
    to extraction (``queued_at``: by ingest, an editor's re-run or the sweeper, the clock the
    sweeper keeps too; an old document run again is not stuck for having been finished long ago)."""
    older_than = settings.HEALTH_STUCK_DOCUMENT_SECONDS if older_than is None else older_than
    now = timezone.now()
    stuck = RawDocument.objects.filter(
        status__in=STUCK_STATUSES, queued_at__lt=now - dt.timedelta(seconds=older_than)
    )
    count = stuck.count()
    if not count:
        return StuckDocuments(0, 0.0)
    oldest = stuck.order_by("queued_at").values_list("queued_at", flat=True).first()
    return StuckDocuments(count, (now - oldest).total_seconds())


@dataclass(frozen=True)
class ViewFlushState:
    waiting: bool  # counted views not yet in the database
    last_success: float | None  # Unix time of the last flush that finished, None if none was seen
    lag_seconds: float  # how long the oldest waiting view may have waited; 0 when none waits


def view_flush_state(*, now: float | None = None) -> ViewFlushState | None:
    """The view flush as seen in Redis, or None when views are counted straight into the database."""
    if settings.VIEW_COUNTER_BACKEND != "redis":
        return None
    now = time.time() if now is None else now
    client = get_redis()
    waiting = bool(client.exists(counters.PENDING_KEY)) or any(
        True for _ in client.scan_iter(match=f"{counters.BATCH_PREFIX}*", count=100)
    )
    raw = client.get(VIEW_FLUSHED_AT_KEY)
    last_success = float(raw) if raw is not None else None
    if not waiting:
        lag = 0.0
    elif last_success is None:
        # Views wait and no flush has finished since this key was written: count from the
        # first time this was seen, so the lag grows while nothing flushes.
        client.set(VIEW_FLUSHED_AT_KEY, now, nx=True)
        lag = 0.0
    else:
        lag = max(0.0, now - last_success)
    return ViewFlushState(waiting, last_success, lag)


def view_flush_succeeded(sender=None, **kwargs) -> None:
    """Celery ``task_success``: the view flush finished; its time is the lag's starting point."""
    if getattr(sender, "name", None) == VIEW_FLUSH_TASK and settings.VIEW_COUNTER_BACKEND == "redis":
        get_redis().set(VIEW_FLUSHED_AT_KEY, time.time())
