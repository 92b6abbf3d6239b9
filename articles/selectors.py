"""Every non-trivial read of articles: visible lists, related lists and recent stories."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from articles.api.filters import ArticleFilter
from articles.models import Agency, Article, RelatedLink

# Unique and stable, so pages never repeat or skip a story; undated stories go last.
ARTICLE_ORDERING = (F("published_at").desc(nulls_last=True), F("id").desc())

# Editor picks first, then links the source page carried, then computed neighbours.
RELATED_KIND_RANK = {
    RelatedLink.Kind.EDITOR: 0,
    RelatedLink.Kind.FOUND_ON_PAGE: 1,
    RelatedLink.Kind.COMPUTED: 2,
}
# An article holds a bounded number of links; this caps the read even when many are duplicates.
RELATED_SCAN_LIMIT = 100

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
    """The related list shown with ``article``: published stories and external pages, each once."""
    kind_rank = Case(
        *(When(kind=kind, then=Value(rank)) for kind, rank in RELATED_KIND_RANK.items()),
        output_field=IntegerField(),
    )
    links = (
        RelatedLink.objects.filter(from_article=article)
        .filter(Q(to_article__isnull=True) | Q(to_article__status=Article.Status.PUBLISHED))
        .exclude(to_article=article)
        .select_related("to_article__agency")
        .annotate(kind_rank=kind_rank)
        .order_by("kind_rank", "position", "-score", "id")[:RELATED_SCAN_LIMIT]
    )
    seen_articles = {article.pk}
    seen_urls = {article.source_url} - {""}
    items = []
    for link in links:
        target = link.to_article
        if target is not None:
            if target.pk in seen_articles:
                continue
            seen_articles.add(target.pk)
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
        else:
            # Only web links reach a page's href, whatever wrote the row.
            if link.url in seen_urls or not link.url.startswith(("http://", "https://")):
                continue
            seen_urls.add(link.url)
            item = RelatedItem(
                headline=link.title or link.url,
                url=link.url,
                kind=link.kind,
                score=link.score,
                reasons=link.reasons,
            )
        items.append(item)
        if len(items) >= limit:
            break
    return items


def articles_recent(*, limit: int, offset: int = 0) -> list[Article]:
    """Published stories, newest first."""
    queryset = Article.objects.published().select_related("agency").order_by(*ARTICLE_ORDERING)
    return list(queryset[offset : offset + limit])


def agency_articles(*, agency: Agency, limit: int, offset: int = 0) -> list[Article]:
    """An agency's published stories, newest first."""
    queryset = Article.objects.published().filter(agency=agency).select_related("agency")
    return list(queryset.order_by(*ARTICLE_ORDERING)[offset : offset + limit])
