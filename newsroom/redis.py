"""The shared Redis connection, built lazily from ``settings.REDIS_URL``."""

from functools import cache

import redis
from django.conf import settings


@cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2, health_check_interval=30)


def get_redis() -> redis.Redis:
    if not settings.REDIS_URL:
        raise RuntimeError("REDIS_URL is not set")
    return _client(settings.REDIS_URL)
