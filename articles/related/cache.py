"""The cached related list of an article, as the API and the widget serve it.

Each article's list is cached with the generation of the article's related data it was built
from; a change writes a new generation, so a list built from older rows is never served, even
one stored by a reader racing the change. A cached read is one cache round trip.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache

from articles.models import Article
from articles.related.display import related_items

# The most items the API and the widget serve; the cached list holds this many.
RELATED_MAX_ITEMS = 20
RELATED_CACHE_KEY = "related:list:{}"
RELATED_GENERATION_KEY = "related:generation:{}"

# A second of a list kept in the process: a hot widget then costs no cache round trip. Other
# processes see a change up to that much later (browsers and CDNs are allowed a minute anyway).
# Each copy keeps the generation it was read with: when it expires and the shared generation
# has not moved, one small read renews it, and the responses already rendered from it stay.
_local_lists: dict[int, tuple[float, RelatedList, str | None]] = {}
LOCAL_LISTS_MAX = 10_000


def _local_put(article_id: int, related: RelatedList, generation: str | None) -> None:
    if settings.RELATED_LOCAL_CACHE_SECONDS <= 0:
        return
    if len(_local_lists) >= LOCAL_LISTS_MAX:
        _local_lists.clear()
    _local_lists[article_id] = (time.monotonic() + settings.RELATED_LOCAL_CACHE_SECONDS, related, generation)


def related_cache_forget(article_ids) -> None:
    """Drop the cached lists of ``article_ids`` (their related data changed)."""
    article_ids = list(article_ids)
    for article_id in article_ids:
        _local_lists.pop(article_id, None)
    generations = {RELATED_GENERATION_KEY.format(pk): uuid.uuid4().hex for pk in article_ids}
    if generations:
        # Longer than any list lives, so a list stored before it can never look current.
        cache.set_many(generations, settings.RELATED_CACHE_TTL * 2)


def related_etag(items: list[dict]) -> str:
    """A strong ETag of the items a related response shows."""
    data = json.dumps(items, sort_keys=True, default=str, separators=(",", ":")).encode()
    return '"' + hashlib.blake2b(data, digest_size=16).hexdigest() + '"'


@dataclass(frozen=True)
class RelatedList:
    """An article's related list as plain data (up to ``RELATED_MAX_ITEMS``), with the ETag of each length."""

    items: list[dict]
    etags: list[str]
    # Responses already rendered from this copy, by whoever serves it (e.g. the API, per host and limit).
    rendered: dict = field(default_factory=dict, compare=False, repr=False)

    def head(self, limit: int) -> tuple[list[dict], str]:
        """The first ``limit`` items and their ETag."""
        items = self.items[:limit]
        return items, self.etags[len(items)]


def _related_cache_read(article_id: int) -> tuple[RelatedList | None, str | None]:
    key, generation_key = RELATED_CACHE_KEY.format(article_id), RELATED_GENERATION_KEY.format(article_id)
    found = cache.get_many([key, generation_key])
    generation = found.get(generation_key)
    entry = found.get(key)
    if entry is not None and entry["generation"] == generation:
        return entry["list"], generation
    return None, generation


def related_list_cached(*, article_id: int) -> RelatedList | None:
    """The published article's cached related list, or None: one cache round trip at most, no query."""
    local = _local_lists.get(article_id) if settings.RELATED_LOCAL_CACHE_SECONDS > 0 else None
    if local is not None:
        expires, related, generation = local
        if expires > time.monotonic():
            return related
        # Only a change writes a generation; without one, an unchanged list and a lost key look alike.
        if generation is not None and cache.get(RELATED_GENERATION_KEY.format(article_id)) == generation:
            _local_put(article_id, related, generation)
            return related
    related, generation = _related_cache_read(article_id)
    if related is not None:
        _local_put(article_id, related, generation)
    return related


def related_list(*, article: Article) -> RelatedList:
    """The related list for the API and the widget, cached when the article is public."""
    cached, generation = _related_cache_read(article.pk)
    if cached is not None:
        return cached
    items = [
        {
            "article_id": item.article_id,
            "headline": item.headline,
            "url": item.url,
            "kind": item.kind,
            "agency": item.agency,
            "published_at": item.published_at,
            "lead_image": item.lead_image,
            "score": item.score,
            "reasons": item.reasons,
            "also_from": list(item.also_from),
        }
        for item in related_items(article=article, limit=RELATED_MAX_ITEMS)
    ]
    # Computed once here, so a cached read only picks one.
    related = RelatedList(items=items, etags=[related_etag(items[:n]) for n in range(len(items) + 1)])
    if article.status == Article.Status.PUBLISHED:
        entry = {"generation": generation, "list": related}
        cache.set(RELATED_CACHE_KEY.format(article.pk), entry, settings.RELATED_CACHE_TTL)
        _local_put(article.pk, related, generation)
    return related
