"""Liveness, readiness and the system's health, with django-health-check.

- ``/healthz``: the process answers (no database, no cache). A failing one is restarted.
- ``/readyz``: this web process can serve: the database answers. A failing one is taken out
  of the load balancer until it passes. Redis is not asked: without it pages render from the
  database and views are counted there.
- ``/health/``: everything behind the site: the database, Redis and its persistence, a
  Celery worker on every queue, how deep the queues are, raw documents stuck pending or
  processing, and how far the view flush lags. For monitoring, not for the load balancer:
  a stopped worker must not take the web processes out of service.

Anonymous callers get the status alone (200 ``ok`` or 503 ``unavailable``); staff signed in
to the admin, or a caller with ``Authorization: Bearer <MONITORING_TOKEN>``, get each check
with its reason, as JSON.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import hmac

from django.conf import settings
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET
from health_check.base import HealthCheck
from health_check.checks import Database
from health_check.contrib.celery import Ping
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from newsroom import monitoring
from newsroom.celery import app
from newsroom.redis import get_redis, persistence_problem


@require_GET
def liveness(request):
    """Alive: no database, no cache; also the benchmarks' trivial baseline view."""
    return HttpResponse("ok", content_type="text/plain")


def monitoring_access(request) -> bool:
    """Whether ``request`` may see details: staff signed in, or the monitoring token."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return True
    token = settings.MONITORING_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


class _DatabaseWork:
    """A check that uses the ORM in the executor's thread closes that thread's connection after."""

    def run(self):
        try:
            self.check()
        finally:
            connections.close_all()


@dataclasses.dataclass
class RedisReachable(HealthCheck):
    """Redis answers a PING (the broker, the cache and the view counters)."""

    timeout = dt.timedelta(seconds=3)

    def run(self):
        try:
            get_redis().ping()
        except Exception as exc:
            raise ServiceUnavailable(f"Redis does not answer: {type(exc).__name__}") from exc


@dataclasses.dataclass
class RedisPersistence(HealthCheck):
    """Redis keeps its data over a restart (append-only file or snapshots)."""

    timeout = dt.timedelta(seconds=3)

    def run(self):
        try:
            problem = persistence_problem()
        except Exception as exc:
            raise ServiceUnavailable(f"Redis persistence unknown: {type(exc).__name__}") from exc
        if problem:
            raise ServiceUnavailable(problem)


@dataclasses.dataclass
class CeleryWorkers(Ping):
    """A Celery worker answers on every queue the project's tasks go to (not only the default one)."""

    timeout: dt.timedelta = dataclasses.field(default=dt.timedelta(seconds=2), repr=False)

    def check_active_queues(self, *active_workers):
        served = {
            queue.get("name")
            for queues in (self.app.control.inspect(list(active_workers)).active_queues() or {}).values()
            for queue in queues
        }
        missing = [queue for queue in monitoring.task_queues() if queue not in served]
        if missing:
            raise ServiceUnavailable(f"No worker for the queue(s): {', '.join(missing)}")


@dataclasses.dataclass
class QueueDepth(HealthCheck):
    """No queue holds more than ``HEALTH_QUEUE_MAX_DEPTH`` waiting messages."""

    timeout = dt.timedelta(seconds=3)

    def run(self):
        try:
            depths = monitoring.queue_depths()
        except Exception as exc:
            raise ServiceUnavailable(f"The broker does not answer: {type(exc).__name__}") from exc
        over = {queue: depth for queue, depth in depths.items() if depth > settings.HEALTH_QUEUE_MAX_DEPTH}
        if over:
            listed = ", ".join(f"{queue} {depth:,}" for queue, depth in sorted(over.items()))
            raise ServiceUnavailable(
                f"Queue(s) over {settings.HEALTH_QUEUE_MAX_DEPTH:,} waiting tasks: {listed}"
            )


@dataclasses.dataclass
class StuckDocuments(_DatabaseWork, HealthCheck):
    """No raw document has been pending or processing longer than ``HEALTH_STUCK_DOCUMENT_SECONDS``."""

    def check(self):
        stuck = monitoring.stuck_documents()
        if stuck.count:
            raise ServiceUnavailable(
                f"{stuck.count:,} raw document(s) pending or processing for over "
                f"{settings.HEALTH_STUCK_DOCUMENT_SECONDS:,} s (the oldest for {stuck.oldest_seconds:,.0f} s)"
            )


@dataclasses.dataclass
class ViewFlushLag(HealthCheck):
    """Counted views reach the database within ``HEALTH_VIEW_FLUSH_MAX_LAG`` seconds (beat and a worker run the flush)."""

    timeout = dt.timedelta(seconds=3)

    def run(self):
        try:
            state = monitoring.view_flush_state()
        except Exception as exc:
            raise ServiceUnavailable(f"Redis does not answer: {type(exc).__name__}") from exc
        if state is not None and state.lag_seconds > settings.HEALTH_VIEW_FLUSH_MAX_LAG:
            raise ServiceUnavailable(
                f"Counted views have waited {state.lag_seconds:,.0f} s for their flush "
                f"(over {settings.HEALTH_VIEW_FLUSH_MAX_LAG:,} s): is celery beat running?"
            )


class _GuardedHealthView(HealthCheckView):
    """django-health-check's view: 503 when a check fails; the details only for monitoring."""

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            self.results = await asyncio.gather(*(check.get_result(executor) for check in self.get_checks()))
        healthy = not any(result.error for result in self.results)
        status = 200 if healthy else 503
        if not await _monitoring_access(request):
            return HttpResponse("ok" if healthy else "unavailable", content_type="text/plain", status=status)
        checks = {
            type(result.check).__name__: {
                "ok": not result.error,
                "detail": str(result.error) if result.error else "OK",
                "seconds": round(result.time_taken, 3),
            }
            for result in self.results
        }
        return JsonResponse({"status": "ok" if healthy else "unavailable", "checks": checks}, status=status)


async def _monitoring_access(request) -> bool:
    from asgiref.sync import sync_to_async

    # The session and user are read from the database: not in the event loop.
    return await sync_to_async(monitoring_access)(request)


class ReadinessView(_GuardedHealthView):
    # The database alone: without Redis the pages render from the database and views are
    # counted there (docs/page-views.md), so a Redis outage must not empty the load balancer.
    def get_checks(self):
        yield Database()


class SystemHealthView(_GuardedHealthView):
    def get_checks(self):
        yield Database()
        yield StuckDocuments()
        if settings.REDIS_URL:
            yield RedisReachable()
            yield RedisPersistence()
            yield ViewFlushLag()
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            yield CeleryWorkers(app=app)
            yield QueueDepth()
