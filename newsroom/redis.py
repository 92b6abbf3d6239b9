"""Redis: the shared connection built lazily from ``settings.REDIS_URL``, the cache backend, and its persistence."""

import logging
from functools import cache

import redis
from django.conf import settings
from django_redis.cache import RedisCache as DjangoRedisCache
from django_redis.cache import omit_exception
from django_redis.client.default import glob_escape
from django_redis.exceptions import ConnectionInterrupted


@cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2, health_check_interval=30)


def get_redis() -> redis.Redis:
    if not settings.REDIS_URL:
        raise RuntimeError("REDIS_URL is not set")
    return _client(settings.REDIS_URL)


logger = logging.getLogger(__name__)

# Eviction policies that only ever remove keys with a time to live: the pending view counts
# and flush batches have none, so they are never evicted.
SAFE_EVICTION = ("noeviction", "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl")


def persistence_problem(client: redis.Redis | None = None) -> str | None:
    """Why counted views waiting in Redis could be lost, in words; None when they cannot.

    Views wait in Redis between flushes, so Redis must keep them across a restart: the
    append-only file (``appendonly yes``) with ``appendfsync everysec`` (at most about a
    second of hits lost in a crash of the machine) or ``always`` (none), no failing writes,
    and no eviction of keys without a time to live. None when Redis is not configured.
    """
    if client is None:
        if not settings.REDIS_URL:
            return None
        client = get_redis()
    where = _location(client)
    try:
        info = client.info("persistence")
        policy = client.info("memory").get("maxmemory_policy", "noeviction")
    except redis.RedisError as exc:
        return f"Redis at {where} cannot be asked about its persistence ({type(exc).__name__}: {exc})"
    problems = []
    if not info.get("aof_enabled"):
        snapshots = "with snapshots only" if _config(client, "save") else "without any persistence"
        problems.append(
            f"runs {snapshots} (appendonly no): a restart loses the views counted since the last "
            "flush or snapshot; set appendonly yes"
        )
    else:
        fsync = _config(client, "appendfsync")
        if fsync == "no":
            problems.append("writes its append-only file with appendfsync no; use everysec or always")
        if info.get("aof_last_write_status", "ok") != "ok":
            problems.append("failed its last append-only file write (is the disk full?)")
    if policy not in SAFE_EVICTION:
        problems.append(f"evicts any key when full (maxmemory-policy {policy}); use noeviction")
    return f"Redis at {where} " + "; it ".join(problems) if problems else None


def persistence_warn() -> None:
    """Log ``persistence_problem()`` as a warning at start, where there is one."""
    problem = persistence_problem()
    if problem:
        logger.warning("View counts are at risk: %s. See docs/operations.md.", problem)


def _config(client: redis.Redis, name: str) -> str | None:
    try:
        return client.config_get(name).get(name)
    except redis.RedisError:  # CONFIG renamed away on managed Redis: say nothing of it
        return None


def _location(client: redis.Redis) -> str:
    kwargs = client.connection_pool.connection_kwargs
    if "path" in kwargs:
        return kwargs["path"]
    return f"{kwargs.get('host', '?')}:{kwargs.get('port', '?')}/{kwargs.get('db', 0)}"


class RedisCache(DjangoRedisCache):
    """django-redis, whose ``clear()`` removes only this cache's keys instead of the whole database.

    The database also holds the view counters waiting for their flush and the Celery
    queues; a ``cache.clear()`` must not take them along. Cache keys are
    ``<KEY_PREFIX>:<version>:<key>``, and the version is a number.
    """

    @omit_exception
    def clear(self) -> None:
        client = self.client.get_client(write=True)
        try:
            batch = []
            for key in client.scan_iter(match=f"{glob_escape(self.key_prefix)}:[0-9]*", count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    client.unlink(*batch)
                    batch.clear()
            if batch:
                client.unlink(*batch)
        except (redis.ConnectionError, redis.TimeoutError, redis.ResponseError) as exc:
            raise ConnectionInterrupted(connection=client) from exc
