"""The related list readers see with an article: pinned links, links the page carried, computed neighbours."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, F, IntegerField, Q, Value, When

from articles import workflow
from articles.models import Article, RelatedLink

# Blocks are read first (they hide targets), then editors' pins, links the source page carried,
# then computed neighbours.
RELATED_KIND_RANK = {
    RelatedLink.Kind.BLOCKED: -1,
    RelatedLink.Kind.PINNED: 0,
    RelatedLink.Kind.FOUND_ON_PAGE: 1,
    RelatedLink.Kind.COMPUTED: 2,
}
# An article holds a bounded number of links; this caps the read even when many are duplicates.
RELATED_SCAN_LIMIT = 100


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


def related_items(*, article: Article, limit: int = 5) -> list[RelatedItem]:
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
            # A link found on the page to a story still on the desk: its address, until it is published.
            # A withdrawn story leaves the list in every form.
            | (
                Q(kind=RelatedLink.Kind.FOUND_ON_PAGE)
                & ~Q(url="")
                & ~Q(to_article__status__in=workflow.WITHDRAWN)
            )
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
        if (
            link.kind == RelatedLink.Kind.FOUND_ON_PAGE
            and target is not None
            and target.status != Article.Status.PUBLISHED
        ):
            target = None
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
