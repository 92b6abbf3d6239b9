"""Every non-trivial read of articles: visible lists, publication checks and recent stories.

Related lists are read in ``articles.related.display`` (the page) and ``articles.related.cache`` (API, widget).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, QuerySet

from articles.filters import ArticleFilter
from articles.models import Agency, Article

# Unique and stable, so pages never repeat or skip a story; undated stories go last.
ARTICLE_ORDERING = (F("published_at").desc(nulls_last=True), F("id").desc())

# The view beacon asks this on every hit; caching it keeps hits off the database.
# A "no" is kept briefly so a story published a moment ago starts counting soon.
PUBLISHED_CACHE_TTL = 300
NOT_PUBLISHED_CACHE_TTL = 30
# The header's agency links: a short list, refreshed every few minutes.
NAV_AGENCIES_KEY = "articles:nav-agencies"
NAV_AGENCIES_TTL = 600
NAV_AGENCIES_MAX = 8


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


def articles_recent(*, limit: int, offset: int = 0) -> list[Article]:
    """Published stories, newest first."""
    queryset = Article.objects.published().select_related("agency").order_by(*ARTICLE_ORDERING)
    return list(queryset[offset : offset + limit])


def agency_articles(*, agency: Agency, limit: int, offset: int = 0) -> list[Article]:
    """An agency's published stories, newest first."""
    queryset = Article.objects.published().filter(agency=agency).select_related("agency")
    return list(queryset.order_by(*ARTICLE_ORDERING)[offset : offset + limit])


def agencies_in_nav() -> list[dict]:
    """Agencies with published stories, by name, for the header (``name`` and ``url``), cached.

    One probe of the (agency, published_at) index per agency; the agency table is small.
    """
    agencies = cache.get(NAV_AGENCIES_KEY)
    if agencies is None:
        published = Article.objects.published().filter(agency=OuterRef("pk"))
        rows = Agency.objects.filter(Exists(published)).order_by("name")[:NAV_AGENCIES_MAX]
        agencies = [{"name": a.name, "url": a.get_absolute_url()} for a in rows]
        cache.set(NAV_AGENCIES_KEY, agencies, NAV_AGENCIES_TTL)
    return agencies
