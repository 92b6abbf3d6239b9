"""HTTP caching of related lists: conditional GET and Cache-Control, for the API and the widget."""

from __future__ import annotations

from django.conf import settings
from django.utils.http import parse_etags


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
