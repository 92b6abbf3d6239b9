"""Redis: the shared connection built lazily from ``settings.REDIS_URL``, and the cache backend."""

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


# --- Persistence (merge note: the counts-survive-Redis work may bring its own; keep one) ----------


def persistence_problem(client: redis.Redis | None = None) -> str | None:
    """Why Redis would lose data on a restart (view counts waiting for their flush, queued tasks), or None.

    Reads ``INFO persistence``: with neither the append-only file nor RDB snapshots, or with
    the last write of either failing, a restart loses what Redis holds.
    """
    client = client or get_redis()
    info = client.info("persistence")
    if info.get("aof_enabled") and info.get("aof_last_write_status", "ok") != "ok":
        return f"Redis cannot write its append-only file (last write: {info['aof_last_write_status']})"
    if info.get("rdb_last_bgsave_status", "ok") != "ok" and not info.get("aof_enabled"):
        return f"Redis cannot save its snapshot (last save: {info['rdb_last_bgsave_status']})"
    if info.get("aof_enabled"):
        return None
    if _rdb_saves_configured(client):
        return None
    return "Redis runs without persistence (appendonly no, no save points): a restart loses every count not yet flushed"


def _rdb_saves_configured(client: redis.Redis) -> bool:
    try:
        save = client.config_get("save").get("save", "")
    except redis.ResponseError:
        # Managed Redis services refuse CONFIG and persist as their plan says: not ours to judge.
        return True
    return bool(save.strip())
