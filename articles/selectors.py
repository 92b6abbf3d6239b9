"""Every non-trivial read of articles: visible lists, related lists and recent stories."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from articles.api.filters import ArticleFilter
from articles.models import Agency, Article, RelatedLink

# Unique and stable, so pages never repeat or skip a story; undated stories go last.
ARTICLE_ORDERING = (F("published_at").desc(nulls_last=True), F("id").desc())

# Blocks are read first (they hide targets), then editor picks, links the source page carried,
# then computed neighbours.
RELATED_KIND_RANK = {
    RelatedLink.Kind.BLOCKED: -1,
    RelatedLink.Kind.EDITOR: 0,
    RelatedLink.Kind.FOUND_ON_PAGE: 1,
    RelatedLink.Kind.COMPUTED: 2,
}
# An article holds a bounded number of links; this caps the read even when many are duplicates.
RELATED_SCAN_LIMIT = 100
# The most items the API and the widget serve; the cached list holds this many.
RELATED_MAX_ITEMS = 20
RELATED_CACHE_KEY = "related:list:{}"
RELATED_GENERATION_KEY = "related:generation:{}"

# The view beacon asks this on every hit; caching it keeps hits off the database.
# A "no" is kept briefly so a story published a moment ago starts counting soon.
PUBLISHED_CACHE_TTL = 300
NOT_PUBLISHED_CACHE_TTL = 30


@dataclass(frozen=True)
class RelatedItem:
    """One entry of a related list: a story of ours or an external page."""

    headline: str
    url: str
    kind: str
    article: Article | None = None
    agency: str = ""
    published_at: dt.datetime | None = None
    score: float = 0.0
    reasons: dict = field(default_factory=dict)
    # Agencies whose takes of the same story (its cluster) are folded into this item.
    also_from: list[str] = field(default_factory=list)
    # Not stored by extraction yet; the field keeps the API's shape stable.
    lead_image: str | None = None

    @property
    def article_id(self) -> int | None:
        return self.article.pk if self.article is not None else None


def article_can_see_drafts(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm("articles.view_article"))


def article_list(*, filters: dict | None = None, user=None) -> QuerySet[Article]:
    """Articles ``user`` may read, filtered by ``ArticleFilter``, newest first."""
    queryset = Article.objects.select_related("agency").order_by(*ARTICLE_ORDERING)
    if not article_can_see_drafts(user):
        queryset = queryset.published()
    return ArticleFilter(filters, queryset=queryset).qs


def article_published_cache_key(article_id: int) -> str:
    return f"articles:published:{article_id}"


def article_is_published(*, article_id: int) -> bool:
    key = article_published_cache_key(article_id)
    published = cache.get(key)
    if published is None:
        published = Article.objects.published().filter(pk=article_id).exists()
        cache.set(key, published, PUBLISHED_CACHE_TTL if published else NOT_PUBLISHED_CACHE_TTL)
    return published


def article_related(*, article: Article, limit: int = 5) -> list[RelatedItem]:
    """The related list shown with ``article``: published stories and external pages, each once.

    Editors' pins come first in their order, then links found on the page, then computed ones
    by score. A target or URL an editor blocked never appears. A computed story from the same
    story cluster as one already listed (another agency's take) is folded into that item's
    ``also_from`` (the article's own takes are one such item).
    """
    kind_rank = Case(
        *(When(kind=kind, then=Value(rank)) for kind, rank in RELATED_KIND_RANK.items()),
        output_field=IntegerField(),
    )
    links = (
        RelatedLink.objects.filter(from_article=article)
        .filter(
            Q(to_article__isnull=True)
            | Q(to_article__status=Article.Status.PUBLISHED)
            | Q(kind=RelatedLink.Kind.BLOCKED)
        )
        .exclude(to_article=article)
        .select_related("to_article__agency")
        .annotate(
            kind_rank=kind_rank,
            target_cluster=F("to_article__fingerprint__cluster_id"),
        )
        .order_by("kind_rank", "position", "-score", "id")[:RELATED_SCAN_LIMIT]
    )
    blocked_articles, blocked_urls = set(), set()
    seen_articles = {article.pk}
    seen_urls = {article.source_url} - {""}
    items: list[RelatedItem] = []
    shown_clusters: dict[int, RelatedItem] = {}
    for link in links:
        target = link.to_article
        if link.kind == RelatedLink.Kind.BLOCKED:
            if target is not None:
                blocked_articles.add(target.pk)
            if link.url:
                blocked_urls.add(link.url)
            continue
        if target is not None:
            if (
                target.pk in seen_articles
                or target.pk in blocked_articles
                or target.source_url in blocked_urls
            ):
                continue
            seen_articles.add(target.pk)
            cluster = link.target_cluster
            if link.kind == RelatedLink.Kind.COMPUTED and cluster is not None:
                shown = shown_clusters.get(cluster)
                if shown is not None:
                    agency = target.agency.name if target.agency else ""
                    if agency and agency != shown.agency and agency not in shown.also_from:
                        shown.also_from.append(agency)
                    continue
            if len(items) >= limit:
                continue
            item = RelatedItem(
                headline=target.headline,
                url=target.get_absolute_url(),
                kind=link.kind,
                article=target,
                agency=target.agency.name if target.agency else "",
                published_at=target.published_at,
                score=link.score,
                reasons=link.reasons,
            )
            if cluster is not None:
                shown_clusters.setdefault(cluster, item)
        else:
            # Only web links reach a page's href, whatever wrote the row.
            if (
                link.url in seen_urls
                or link.url in blocked_urls
                or not link.url.startswith(("http://", "https://"))
            ):
                continue
            seen_urls.add(link.url)
            if len(items) >= limit:
                continue
            item = RelatedItem(
                headline=link.title or link.url,
                url=link.url,
                kind=link.kind,
                score=link.score,
                reasons=link.reasons,
            )
        items.append(item)
    return items


# --- The cached related list (API and widget) -----------------------------------------------
#
# Each article's list is cached with the generation of the article's related data it was built
# from; a change writes a new generation, so a list built from older rows is never served,
# even one stored by a reader racing the change. A cached read is one cache round trip.


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


def article_related_cached(*, article_id: int) -> RelatedList | None:
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


def article_related_list(*, article: Article) -> RelatedList:
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
        for item in article_related(article=article, limit=RELATED_MAX_ITEMS)
    ]
    # Computed once here, so a cached read only picks one.
    related = RelatedList(items=items, etags=[related_etag(items[:n]) for n in range(len(items) + 1)])
    if article.status == Article.Status.PUBLISHED:
        entry = {"generation": generation, "list": related}
        cache.set(RELATED_CACHE_KEY.format(article.pk), entry, settings.RELATED_CACHE_TTL)
        _local_put(article.pk, related, generation)
    return related


def article_related_payload(*, article: Article) -> list[dict]:
    """The items of ``article_related_list``."""
    return article_related_list(article=article).items


def articles_recent(*, limit: int, offset: int = 0) -> list[Article]:
    """Published stories, newest first."""
    queryset = Article.objects.published().select_related("agency").order_by(*ARTICLE_ORDERING)
    return list(queryset[offset : offset + limit])


def agency_articles(*, agency: Agency, limit: int, offset: int = 0) -> list[Article]:
    """An agency's published stories, newest first."""
    queryset = Article.objects.published().filter(agency=agency).select_related("agency")
    return list(queryset.order_by(*ARTICLE_ORDERING)[offset : offset + limit])
