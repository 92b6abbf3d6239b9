"""Recording one view: one Redis round trip a hit, or one database transaction when Redis is not there."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import logging
import time

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.counters import keys, totals, visitors
from articles.models import Article
from articles.selectors import article_is_published, article_published_cache_key
from newsroom.redis import get_redis

logger = logging.getLogger(__name__)

# One script, so a hit is one round trip (EVALSHA) and atomic: the dedupe keys, the day's
# unique visitors and the pending count change together or not at all. The count comes
# last, so a script that fails half way has counted nothing and the hit goes to the database.
# It first reads the cache's "is this article published" entry (selectors.article_is_published
# keeps it in the same Redis), so the beacon's 404 check costs no round trip of its own.
# Within the window a visitor counts once, and a client address at most ARGV[7] times whatever
# user agents or cookies it sends (each new one is a new visitor).
#   KEYS: pending hash, seen key (dedupe), HyperLogLog of the article's day, published cache key,
#         address key (hits counted from one address)
#   ARGV: pending field, visitor hash ("" for none), dedupe window s (0: none), HLL ttl s,
#         the cache's bytes for True ("" to skip the check), address hash ("" for none),
#         views one address may count within the window
# Returns 1 counted, 0 repeat, -1 not in the cache (ask the database), -2 not published.
RECORD_SCRIPT = """
if ARGV[5] ~= '' then
  local published = redis.call('GET', KEYS[4])
  if not published then return -1 end
  if published ~= ARGV[5] then return -2 end
end
local window = tonumber(ARGV[3])
if ARGV[2] ~= '' and window > 0 and not redis.call('SET', KEYS[2], '1', 'NX', 'EX', window) then
  return 0
end
if ARGV[6] ~= '' and window > 0 then
  local counted = redis.call('INCR', KEYS[5])
  if counted == 1 then redis.call('EXPIRE', KEYS[5], window) end
  if counted > tonumber(ARGV[7]) then return 0 end
end
if ARGV[2] ~= '' then
  redis.call('PFADD', KEYS[3], ARGV[2])
  redis.call('EXPIRE', KEYS[3], ARGV[4])
end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
return 1
"""
# A day's HyperLogLog is read by the flushes that follow the day's last hit; then it can go.
UNIQUES_TTL = 3 * 24 * 3600


class Outcome(enum.StrEnum):
    """What became of a hit."""

    COUNTED = "counted"
    # The same visitor, or past VIEW_MAX_PER_ADDRESS from one address, on one article within the window.
    REPEAT = "repeat"
    NOT_FOUND = "not_found"  # no published article: the caller answers 404
    BOT = visitors.Ignored.BOT.value
    PREFETCH = visitors.Ignored.PREFETCH.value
    NOT_A_VIEW = visitors.Ignored.NOT_A_VIEW.value


_SCRIPT_RESULTS = {1: Outcome.COUNTED, 0: Outcome.REPEAT, -2: Outcome.NOT_FOUND}


def article_view_hit(*, request, article_id: int, fetch_dest: str) -> Outcome:
    """Count a reader's hit on an article's beacon (``fetch_dest="empty"``) or pixel (``"image"``).

    ``NOT_FOUND`` when the article is not published; ``BOT``, ``PREFETCH``, ``NOT_A_VIEW``
    when the hit is no page view; ``REPEAT`` within the dedupe window; else ``COUNTED``.
    With Redis up, a counted hit (published check included) is one round trip.
    """
    ignored = visitors.hit_ignored(request, fetch_dest=fetch_dest)
    if ignored is not None:
        return Outcome(ignored.value) if article_is_published(article_id=article_id) else Outcome.NOT_FOUND
    day = timezone.now().date()
    visitor = address = None
    if redis_in_use():
        try:
            client = get_redis()
            salt = visitors.daily_salt(client, day)
            visitor = visitors.visitor_id(request, salt=salt)
            address = visitors.address_id(request, salt=salt)
            marker = _published_marker()
            if marker is not None:
                result = _record(client, article_id, day, visitor, address, published_check=marker)
                if result in _SCRIPT_RESULTS:
                    return _SCRIPT_RESULTS[result]
        except redis.RedisError as exc:
            redis_failed(exc)
    # Not in the cache yet (or no Redis): the selector asks the database and fills the cache.
    if not article_is_published(article_id=article_id):
        return Outcome.NOT_FOUND
    return article_view_record(article_id=article_id, visitor=visitor, address=address, day=day)


def article_view_record(
    *,
    article_id: int,
    visitor: str | None = None,
    address: str | None = None,
    day: dt.date | None = None,
) -> Outcome:
    """Count one view of an article by ``visitor`` from ``address`` (hashes from ``visitors``).

    With Redis: a repeat within ``VIEW_DEDUPE_WINDOW`` seconds is not counted, nor a hit past
    ``VIEW_MAX_PER_ADDRESS`` counted views from one address in that window; the visitor
    joins the day's unique visitors, the view waits in the pending hash for the flush.
    Without Redis, or while it is unreachable: the view is added to the database at once,
    with no dedupe and no unique visitors (see docs/page-views.md, "Degraded modes").
    """
    day = day or timezone.now().date()
    if redis_in_use():
        try:
            return _SCRIPT_RESULTS[
                _record(get_redis(), article_id, day, visitor, address, published_check=b"")
            ]
        except redis.RedisError as exc:
            redis_failed(exc)
    with transaction.atomic():
        if Article.objects.filter(pk=article_id).update(view_count=F("view_count") + 1):
            totals.article_days_add({(article_id, day): 1}, uniques={})
    return Outcome.COUNTED


def _record(
    client,
    article_id: int,
    day: dt.date,
    visitor: str | None,
    address: str | None,
    *,
    published_check: bytes,
) -> int:
    published_key = cache.make_key(article_published_cache_key(article_id)) if published_check else "-"

    def run() -> int:
        return _record_script(client)(
            keys=[
                keys.PENDING_KEY,
                keys.seen_key(article_id, visitor or "-"),
                keys.uniques_key(article_id, day),
                published_key,
                keys.address_key(article_id, address or "-"),
            ],
            args=[
                keys.pending_field(article_id, day),
                visitor or "",
                settings.VIEW_DEDUPE_WINDOW,
                UNIQUES_TTL,
                published_check,
                address or "",
                settings.VIEW_MAX_PER_ADDRESS,
            ],
        )

    try:
        result = run()
    except redis.RedisError:
        if not (_was_up.pop(settings.REDIS_URL, False) and visitor and settings.VIEW_DEDUPE_WINDOW > 0):
            raise
        # Redis went away under this hit, perhaps after running the script and before its reply
        # (a restart): counting it in the database now could count it twice. Once Redis is back
        # (its AOF keeps the visitor's dedupe key with the count), running the script again is
        # safe: it counts the hit, or says REPEAT because it had. Once per process and outage.
        result = _rerun_when_back(run)
    _was_up[settings.REDIS_URL] = True
    return result


def _rerun_when_back(run) -> int:
    deadline = time.monotonic() + settings.VIEW_REDIS_RECHECK_SECONDS
    while True:
        time.sleep(0.1)
        try:
            return run()
        except redis.RedisError:
            if time.monotonic() >= deadline:
                raise


def _published_marker() -> bytes | None:
    """The bytes the cache stores for True, when the cache is django-redis on the counters' Redis."""
    encode = getattr(getattr(cache, "client", None), "encode", None)
    if encode is None or settings.CACHES["default"].get("LOCATION") != settings.REDIS_URL:
        return None
    return encode(True)


@functools.cache
def _record_script(client: redis.Redis):
    # EVALSHA, loading the script once per server (redis-py retries after NOSCRIPT).
    return client.register_script(RECORD_SCRIPT)


# Per process and per Redis URL: when the last failure was, so that while Redis is down each
# hit does not wait for a connection attempt first.
_down_until: dict[str, float] = {}
# Per process and per Redis URL: the last hit went through, so a failure now is Redis going away.
_was_up: dict[str, bool] = {}


def redis_in_use() -> bool:
    """Whether hits go to Redis now: it is configured, and has not just failed."""
    if settings.VIEW_COUNTER_BACKEND != "redis":
        return False
    return time.monotonic() >= _down_until.get(settings.REDIS_URL, 0.0)


def redis_failed(exc: Exception) -> None:
    """Note that Redis failed: hits skip it for ``VIEW_REDIS_RETRY_SECONDS`` in this process."""
    _down_until[settings.REDIS_URL] = time.monotonic() + settings.VIEW_REDIS_RETRY_SECONDS
    logger.warning(
        "Redis failed (%s: %s); views go to the database for the next %s s",
        type(exc).__name__,
        exc,
        settings.VIEW_REDIS_RETRY_SECONDS,
    )
