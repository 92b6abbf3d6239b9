"""Every write to articles: ingest, extract, publish and relate."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles import clustering, extraction, furniture
from articles.models import Agency, Article, ExtractionReport, PublishedPrecision, RawDocument, RelatedLink
from articles.related import article_keywords, article_related_withdraw
from articles.selectors import article_published_cache_key

logger = logging.getLogger(__name__)


class IngestError(Exception):
    """A source could not be read; nothing was stored."""


@dataclass(frozen=True)
class IngestResult:
    raw_document: RawDocument
    created: bool


# --- Ingest -----------------------------------------------------------------------


def raw_document_ingest(
    *,
    content: bytes,
    source: str,
    source_kind: str = RawDocument.SourceKind.FILE,
    content_type: str = "",
    reference_date: dt.date | None = None,
    agency: Agency | None = None,
    publish: bool = False,
    enqueue: bool = True,
    site: str = "",
) -> IngestResult:
    """Store a page as it arrived and queue its extraction.

    The same bytes sent again are not a new document: the stored one is returned
    with ``created=False`` and nothing is queued. ``site`` names the site the page belongs
    to (its furniture is learned and removed per site); a URL source names its own.
    """
    if len(content) > settings.INGEST_MAX_BYTES:
        raise IngestError(f"{len(content):,} bytes is over the {settings.INGEST_MAX_BYTES:,}-byte limit")
    digest = hashlib.sha256(content).hexdigest()
    existing = RawDocument.objects.filter(sha256=digest).first()
    if existing is not None:
        return IngestResult(existing, created=False)
    try:
        with transaction.atomic():
            raw = RawDocument.objects.create(
                source=source[:2000],
                source_kind=source_kind,
                content=content,
                content_type=content_type[:200],
                size=len(content),
                sha256=digest,
                reference_date=reference_date,
                agency_hint=agency,
                publish_on_extract=publish,
                site=furniture.site_key(site) if site else furniture.site_from_source(source),
            )
    except IntegrityError:
        # Another process stored the same bytes between our lookup and insert.
        return IngestResult(RawDocument.objects.get(sha256=digest), created=False)
    if enqueue:
        raw_document_enqueue(raw_document=raw)
    return IngestResult(raw, created=True)


def source_fetch(url: str) -> tuple[bytes, str]:
    """Download a page for ingest: its bytes and content type, within the size and time limits."""
    import urllib3

    http = urllib3.PoolManager(
        timeout=urllib3.Timeout(total=settings.INGEST_FETCH_TIMEOUT),
        retries=urllib3.Retry(total=2, backoff_factor=0.5, redirect=5),
        headers={"User-Agent": settings.INGEST_USER_AGENT},
    )
    try:
        response = http.request("GET", url, preload_content=False)
    except urllib3.exceptions.HTTPError as exc:
        raise IngestError(f"could not fetch {url}: {exc}") from exc
    try:
        if response.status >= 400:
            raise IngestError(f"could not fetch {url}: HTTP {response.status}")
        chunks, size = [], 0
        for chunk in response.stream(64 * 1024):
            size += len(chunk)
            if size > settings.INGEST_MAX_BYTES:
                raise IngestError(f"{url} is over the {settings.INGEST_MAX_BYTES:,}-byte limit")
            chunks.append(chunk)
    finally:
        response.release_conn()
    return b"".join(chunks), response.headers.get("Content-Type", "")


def raw_document_enqueue(*, raw_document: RawDocument) -> None:
    """Queue extraction once the row that names the document is committed."""
    from articles.tasks import article_extract_task

    raw_id = raw_document.pk
    transaction.on_commit(lambda: article_extract_task.delay(raw_id))


def raw_document_reextract(*, raw_document: RawDocument) -> None:
    """Send a stored document through extraction again (editor action)."""
    RawDocument.objects.filter(pk=raw_document.pk).update(status=RawDocument.Status.PENDING, error="")
    raw_document_enqueue(raw_document=raw_document)


# --- Extract ----------------------------------------------------------------------


def article_extract(*, raw_document: RawDocument) -> Article | None:
    """Extract a stored document into its article, recording the outcome on the document.

    Running it again updates the same article rather than making a second one.
    Bad input ends as a ``failed`` or ``no_article`` document with a readable
    reason; it never raises for it.
    """
    RawDocument.objects.filter(pk=raw_document.pk).update(status=RawDocument.Status.PROCESSING)
    raw_document.attempts += 1
    try:
        result = extraction.extract(
            raw_document.content_bytes,
            content_type=raw_document.content_type,
            source=raw_document.source,
            reference_date=raw_document.reference_date,
            site_furniture=furniture.site_furniture_patterns(site=raw_document.site),
        )
    except extraction.NoArticleError as exc:
        _raw_document_finish(raw_document, RawDocument.Status.NO_ARTICLE, str(exc))
        return None
    except extraction.ExtractionError as exc:
        _raw_document_finish(raw_document, RawDocument.Status.FAILED, str(exc))
        return None

    with transaction.atomic():
        article = _article_save_extracted(raw_document=raw_document, result=result)
        furniture.site_page_record(raw_document=raw_document, result=result)
        raw_document.encoding = result.encoding or ""
        _raw_document_finish(raw_document, RawDocument.Status.DONE, "")
    clustering.article_cluster_enqueue(article=article)
    return article


def raw_document_fail(*, raw_document: RawDocument, reason: str) -> None:
    """Record a failure that happened outside extraction proper (a crash, a time limit)."""
    _raw_document_finish(raw_document, RawDocument.Status.FAILED, reason)


def _raw_document_finish(raw_document: RawDocument, status: str, error: str) -> None:
    raw_document.status = status
    raw_document.error = error
    raw_document.processed_at = timezone.now()
    raw_document.save(update_fields=["status", "error", "processed_at", "attempts", "encoding"])


def _article_save_extracted(*, raw_document: RawDocument, result: extraction.ExtractedArticle) -> Article:
    article = Article.objects.select_for_update().filter(raw_document=raw_document).first()
    if article is None:
        article = Article(raw_document=raw_document)
    agency = agency_resolve(result.agency) if result.agency else raw_document.agency_hint
    published_at, precision = _published_at(result)

    article.headline = result.headline[:500]
    article.dateline_text = result.dateline.text[:200] if result.dateline else ""
    article.dateline_place = (result.dateline.place or "")[:200] if result.dateline else ""
    article.agency = agency
    article.published_at = published_at
    article.published_precision = precision
    article.body_text = result.body
    article.body_html = result.body_html
    article.keywords = article_keywords(result.headline, result.body)
    article.language = (result.language or "")[:20]
    article.source_url = _source_url(raw_document, result)
    article.legacy_view_count = result.view_count or 0
    if not article.slug:
        article.slug = article_unique_slug(result.headline)
    if article.pk is None and raw_document.publish_on_extract:
        article.status = Article.Status.PUBLISHED
    article.save()

    ExtractionReport.objects.update_or_create(
        article=article,
        defaults={
            "removed": list(result.removed),
            "flagged": [{"kind": f.kind, "text": f.text, "detail": f.detail} for f in result.flagged],
            "warnings": list(result.warnings),
            "extractor": result.method,
        },
    )
    _found_links_replace(article=article, links=result.links)
    return article


def _published_at(result: extraction.ExtractedArticle) -> tuple[dt.datetime | None, str]:
    value = result.published
    if value is None:
        return None, PublishedPrecision.UNKNOWN
    if not isinstance(value, dt.datetime):
        # A date alone is stored at noon UTC so that no time zone moves it to another day.
        value = dt.datetime.combine(value, dt.time(12, 0), tzinfo=dt.UTC)
    elif timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    return value, result.published_precision


def _source_url(raw_document: RawDocument, result: extraction.ExtractedArticle) -> str:
    if result.canonical_url and result.canonical_url.startswith(("http://", "https://")):
        return result.canonical_url[:2000]
    if raw_document.source_kind == RawDocument.SourceKind.URL:
        return raw_document.source
    return ""


def _found_links_replace(*, article: Article, links) -> None:
    RelatedLink.objects.filter(from_article=article, kind=RelatedLink.Kind.FOUND_ON_PAGE).delete()
    seen = set()
    rows = []
    for position, link in enumerate(links):
        url = link.url[:2000]
        if not url.startswith(("http://", "https://")) or url in seen:
            continue
        seen.add(url)
        target = Article.objects.filter(source_url=url).exclude(pk=article.pk).first()
        rows.append(
            RelatedLink(
                from_article=article,
                to_article=target,
                url=url,
                title=link.text[:500],
                kind=RelatedLink.Kind.FOUND_ON_PAGE,
                position=position,
            )
        )
    RelatedLink.objects.bulk_create(rows)


def article_unique_slug(headline: str) -> str:
    base = slugify(headline)[:200].strip("-") or "article"
    slug, n = base, 2
    while Article.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


# --- Agencies ----------------------------------------------------------------------


def agency_resolve(name: str) -> Agency:
    """The agency called ``name`` or known by it as an alias, created if new."""
    name = name.strip()
    agency = Agency.objects.filter(name__iexact=name).first()
    if agency is not None:
        return agency
    for candidate in Agency.objects.exclude(aliases=[]).only("id", "aliases"):
        if any(alias.lower() == name.lower() for alias in candidate.aliases):
            return Agency.objects.get(pk=candidate.pk)
    slug = slugify(name)[:200] or "agency"
    agency, _ = Agency.objects.get_or_create(
        name=name, defaults={"slug": _unique_agency_slug(slug), "is_generic": name.lower() == "agencies"}
    )
    return agency


def _unique_agency_slug(base: str) -> str:
    slug, n = base, 2
    while Agency.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


# --- Publishing ------------------------------------------------------------------------


def article_publish(*, article: Article) -> Article:
    """Make an article public and queue the refresh of its related list."""
    if article.status != Article.Status.PUBLISHED:
        article.status = Article.Status.PUBLISHED
        article.save(update_fields=["status", "updated_at"])
        _published_cache_forget(article)
    article_relate_enqueue(article=article)
    return article


def article_unpublish(*, article: Article) -> Article:
    """Take an article down; it leaves every computed related list at once."""
    with transaction.atomic():
        article.status = Article.Status.DRAFT
        article.save(update_fields=["status", "updated_at"])
        # Out of every computed list, and every cached list that showed it, in this transaction.
        article_related_withdraw(article=article)
    _published_cache_forget(article)
    return article


def _published_cache_forget(article: Article) -> None:
    transaction.on_commit(lambda: cache.delete(article_published_cache_key(article.pk)))


def article_relate_enqueue(*, article: Article) -> None:
    from articles.tasks import article_related_refresh_task

    article_id = article.pk
    transaction.on_commit(lambda: article_related_refresh_task.delay(article_id))
