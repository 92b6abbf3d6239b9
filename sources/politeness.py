"""A polite client: at most one request per host per ``SOURCE_HOST_INTERVAL`` seconds, all workers together.

With Redis each host has one key holding the time (Redis's clock, in milliseconds) from which
the next request may go; a script reads and books it in one step, so two workers never take the
same turn. A ``Retry-After`` from the host pushes that time out for everyone. Without Redis
(SQLite and in-process tasks, for development) the same rule holds within the process.
"""

from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit

from django.conf import settings

KEY_PREFIX = "sources:host:"

# KEYS[1]: the host's key. ARGV[1]: milliseconds to book (take a turn), ARGV[2]: 1 to take a turn,
# 0 to only push the next turn out by ARGV[1] (a Retry-After). Answers the milliseconds to wait
# before the turn is free (0: taken now).
_TURN = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local span = tonumber(ARGV[1])
if ARGV[2] == '0' then
  if now_ms + span > free then
    redis.call('SET', KEYS[1], now_ms + span, 'PX', math.max(1, span))
  end
  return 0
end
if free > now_ms then
  return free - now_ms
end
redis.call('SET', KEYS[1], now_ms + span, 'PX', math.max(1, span))
return 0
"""

_local_lock = threading.Lock()
_local_free: dict[str, float] = {}


def host_of(url: str) -> str:
    return (urlsplit(url).netloc or url).lower()


def host_turn(host: str) -> float:
    """Take the host's turn now and answer 0, or answer the seconds until it is free (nothing taken)."""
    return _book(host, settings.SOURCE_HOST_INTERVAL, take=True)


def host_hold(host: str, seconds: float) -> None:
    """Keep every worker off ``host`` for ``seconds`` from now (the host asked, with Retry-After)."""
    _book(host, seconds, take=False)


def host_wait(host: str, *, max_wait: float | None = None) -> float | None:
    """Wait for the host's turn and take it: None when taken, else the seconds it would still take.

    Gives up, without waiting, as soon as the turn is more than ``max_wait`` seconds away
    (``SOURCE_HOST_MAX_WAIT``), so a poll never sleeps through a long Retry-After.
    """
    max_wait = settings.SOURCE_HOST_MAX_WAIT if max_wait is None else max_wait
    while True:
        wait = host_turn(host)
        if wait <= 0:
            return None
        if wait > max_wait:
            return wait
        time.sleep(wait)


def _book(host: str, seconds: float, *, take: bool) -> float:
    if settings.REDIS_URL:
        from newsroom.redis import get_redis

        client = get_redis()
        wait_ms = client.eval(_TURN, 1, f"{KEY_PREFIX}{host}", int(seconds * 1000), "1" if take else "0")
        return int(wait_ms) / 1000
    now = time.time()
    with _local_lock:
        free = _local_free.get(host, 0.0)
        if not take:
            _local_free[host] = max(free, now + seconds)
            return 0.0
        if free > now:
            return free - now
        _local_free[host] = now + seconds
        return 0.0
