"""Related lists over HTTP, for the API and the widget alike: ``?limit=``, conditional GET, Cache-Control."""

from __future__ import annotations

from django.conf import settings
from django.utils.http import parse_etags

from articles.related.cache import RELATED_MAX_ITEMS

RELATED_LIMIT_DEFAULT = 5


class LimitError(ValueError):
    """A ``?limit=`` that is not a whole number from 1 to ``RELATED_MAX_ITEMS``; the message says so."""


def related_limit(raw: str | None) -> int:
    """How many related items a request asks for: ``?limit=`` from 1 to 20, 5 when it is absent."""
    if raw is None or raw == "":
        return RELATED_LIMIT_DEFAULT
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= RELATED_MAX_ITEMS:
        raise LimitError(f"limit must be a whole number from 1 to {RELATED_MAX_ITEMS}.")
    return int(raw)


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (weak comparison, as RFC 9110 asks for GET)."""
    if not if_none_match:
        return False
    tags = parse_etags(if_none_match)
    return "*" in tags or etag.removeprefix("W/") in {tag.removeprefix("W/") for tag in tags}


def related_cache_control(*, public: bool) -> str:
    # A public list is the same for every reader; shared caches may keep it briefly and serve it
    # stale while they revalidate. A draft's list (editors only) is never stored.
    if public:
        age = settings.RELATED_HTTP_MAX_AGE
        return f"public, max-age={age}, stale-while-revalidate={age * 5}"
    return "private, no-store"
