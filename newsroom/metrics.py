"""Prometheus metrics: requests (django-prometheus), Celery tasks, queue lengths and the view flush's lag.

``/metrics`` on the web processes serves django-prometheus's request metrics and, read when
scraped, the queue lengths, the view flush's lag and the stuck raw documents. Workers count
their tasks (``newsroom_celery_tasks_total`` and ``newsroom_celery_task_duration_seconds``,
from Celery's signals) and serve them on ``WORKER_METRICS_PORT`` when it is set.

With several processes (gunicorn workers, Celery's prefork pool) each keeps its own counters;
set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory per service and every process writes
there, and each scrape adds them up (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import logging
import os
import time

from django.http import HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily

from newsroom import monitoring

logger = logging.getLogger(__name__)

TASKS = Counter(
    "newsroom_celery_tasks",
    "Celery tasks that ended, by task and state (SUCCESS, FAILURE, RETRY, ...).",
    ["task", "state"],
)
TASK_SECONDS = Histogram(
    "newsroom_celery_task_duration_seconds",
    "Time a Celery task ran, by task.",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 90, 300),
)
_started: dict[str, float] = {}


def task_started(task_id=None, **kwargs) -> None:
    """Celery ``task_prerun``."""
    if task_id:
        _started[task_id] = time.monotonic()


def task_ended(task_id=None, task=None, state=None, **kwargs) -> None:
    """Celery ``task_postrun``: one more task of its kind ended in ``state``, and how long it ran."""
    name = getattr(task, "name", "unknown")
    TASKS.labels(task=name, state=state or "UNKNOWN").inc()
    started = _started.pop(task_id, None)
    if started is not None:
        TASK_SECONDS.labels(task=name).observe(time.monotonic() - started)


def worker_serve_metrics(**kwargs) -> None:
    """Celery ``worker_ready`` (the worker's main process, once the pool has started): serve the task metrics on ``WORKER_METRICS_PORT``."""
    from django.conf import settings

    if not settings.WORKER_METRICS_PORT:
        return
    start_http_server(
        settings.WORKER_METRICS_PORT, addr=settings.WORKER_METRICS_ADDR, registry=_process_registry()
    )
    logger.info("task metrics on %s:%s/metrics", settings.WORKER_METRICS_ADDR, settings.WORKER_METRICS_PORT)


def _process_registry() -> CollectorRegistry:
    """This process's metrics, or with ``PROMETHEUS_MULTIPROC_DIR`` those of every process of the service."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


class SystemCollector:
    """Figures read when scraped: queue lengths, the view flush, stuck raw documents.

    A source that does not answer leaves its figures out and sets
    ``newsroom_monitoring_source_up{source=...}`` to 0.
    """

    def collect(self):
        up = GaugeMetricFamily(
            "newsroom_monitoring_source_up", "Whether a source of these figures answered.", labels=["source"]
        )
        yield from self._read("broker", up, self._queues)
        yield from self._read("redis", up, self._view_flush)
        yield from self._read("database", up, self._stuck)
        yield up

    def _read(self, source, up, read):
        try:
            families = list(read())
        except Exception:
            logger.warning("metrics: %s did not answer", source, exc_info=True)
            up.add_metric([source], 0)
            return
        up.add_metric([source], 1)
        yield from families

    def _queues(self):
        from django.conf import settings

        if settings.CELERY_TASK_ALWAYS_EAGER:
            return
        family = GaugeMetricFamily(
            "newsroom_celery_queue_length", "Tasks waiting on the broker, by queue.", labels=["queue"]
        )
        for queue, depth in monitoring.queue_depths().items():
            family.add_metric([queue], depth)
        yield family

    def _view_flush(self):
        state = monitoring.view_flush_state()
        if state is None:
            return
        yield GaugeMetricFamily(
            "newsroom_view_flush_lag_seconds",
            "How long counted views may have waited for their flush into the database (0: none waits).",
            value=state.lag_seconds,
        )
        if state.last_success is not None:
            yield GaugeMetricFamily(
                "newsroom_view_flush_last_success_timestamp_seconds",
                "When the last view flush finished (Unix time).",
                value=state.last_success,
            )

    def _stuck(self):
        stuck = monitoring.stuck_documents()
        yield GaugeMetricFamily(
            "newsroom_raw_documents_stuck",
            "Raw documents pending or processing past HEALTH_STUCK_DOCUMENT_SECONDS.",
            value=stuck.count,
        )
        yield GaugeMetricFamily(
            "newsroom_raw_documents_stuck_oldest_seconds",
            "How long the oldest stuck raw document has waited (0: none).",
            value=stuck.oldest_seconds,
        )


_system = CollectorRegistry(auto_describe=False)
_system.register(SystemCollector())


def metrics_view(request):
    """``/metrics``: for staff or ``Authorization: Bearer <MONITORING_TOKEN>``; 404 for anyone else."""
    from django.http import Http404

    from newsroom.health import monitoring_access

    if not monitoring_access(request):
        raise Http404
    body = generate_latest(_process_registry()) + generate_latest(_system)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
