"""Extraction of a stored page into its article, with the outcome recorded on the page."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles import extraction, furniture, pipeline, revisions, workflow
from articles.link_keys import link_key
from articles.models import Article, ExtractionReport, PublishedPrecision, RawDocument, RelatedLink
from articles.related.cache import related_cache_forget
from articles.related.keywords import article_keywords
from articles.services.agencies import agency_resolve
from articles.services.editorial import article_unique_slug
from articles.services.workflow import article_publish
from newsroom import page_cache


def article_extract(*, raw_document: RawDocument, claimed: bool = False) -> Article | None:
    """Extract a stored document into its article, recording the outcome on the document.

    Running it again updates the same article rather than making a second one.
    Bad input ends as a ``failed`` or ``no_article`` document with a readable
    reason; it never raises for it. ``claimed``: the run was already started by
    ``raw_document_claim``.
    """
    if not claimed:
        raw_document.attempts += 1
        raw_document.status = RawDocument.Status.PROCESSING
        raw_document.started_at = timezone.now()
        raw_document.save(update_fields=["status", "started_at", "attempts"])
    try:
        result = extraction.extract(
            raw_document.content_bytes,
            content_type=raw_document.content_type,
            source=raw_document.source,
            reference_date=raw_document.reference_date,
            max_bytes=settings.EXTRACTION_MAX_BYTES,
            site_furniture=furniture.site_furniture_patterns(site=raw_document.site),
        )
    except extraction.NoArticleError as exc:
        _raw_document_finish(raw_document, RawDocument.Status.NO_ARTICLE, str(exc))
        return None
    except extraction.ExtractionError as exc:
        _raw_document_finish(raw_document, RawDocument.Status.FAILED, str(exc))
        return None

    with transaction.atomic():
        # Two runs of one document (a redelivered message beside the original) write in turn.
        RawDocument.objects.select_for_update().filter(pk=raw_document.pk).values_list("pk").first()
        article, created = _article_save_extracted(raw_document=raw_document, result=result)
        furniture.site_page_record(raw_document=raw_document, result=result)
        raw_document.encoding = result.encoding or ""
        _raw_document_finish(raw_document, RawDocument.Status.DONE, "")
        if created and raw_document.publish_on_extract and not result.flagged:
            # Ingest asked for it and extraction flagged nothing: the system publishes, through the
            # same action as an editor. A flagged story always waits for an editor.
            article_publish(article=article, by=None, relate=False)
        pipeline.article_extracted(article_id=article.pk)
    return article


def raw_document_claim(*, raw_document_id: int, task_id: str) -> RawDocument | None:
    """Start an extraction run of the stored document for task ``task_id``; None when it must not run.

    A run goes ahead on a ``pending`` document, or on one left ``processing`` by this same task (a
    retry, a message redelivered after its worker died) or by a run older than its hard time limit
    (whose worker is gone). A finished document, or one another live run holds, is left alone, so
    a duplicate message costs one query. A document whose runs were cut short
    ``EXTRACTION_MAX_INTERRUPTIONS`` times is failed with its reason instead of running again.
    """
    now = timezone.now()
    with transaction.atomic():
        raw = RawDocument.objects.select_for_update().filter(pk=raw_document_id).first()
        if raw is None or not _claimable(raw, task_id=task_id, now=now):
            return None
        if raw.status == RawDocument.Status.PROCESSING:
            raw.interrupted += 1
            if raw.interrupted >= settings.EXTRACTION_MAX_INTERRUPTIONS:
                _raw_document_finish(raw, RawDocument.Status.FAILED, interrupted_reason(raw.interrupted))
                return None
        raw.status = RawDocument.Status.PROCESSING
        raw.started_at = now
        raw.task_id = task_id[:64]
        raw.attempts += 1
        raw.save(update_fields=["status", "started_at", "task_id", "attempts", "interrupted"])
    return raw


def _claimable(raw: RawDocument, *, task_id: str, now: dt.datetime) -> bool:
    if raw.status == RawDocument.Status.PENDING:
        return True
    if raw.status != RawDocument.Status.PROCESSING:
        return False
    return (
        (bool(task_id) and raw.task_id == task_id)
        or raw.started_at is None
        or raw.started_at < now - extraction_lease()
    )


def extraction_lease() -> dt.timedelta:
    """How long a run may hold a document: past the hard time limit (and a margin), its worker is gone."""
    return dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + settings.EXTRACTION_LEASE_MARGIN)


def interrupted_reason(times: int) -> str:
    return (
        f"Extraction started {times} times and never finished (its worker died, was killed or lost "
        "the database each time); it is not tried again. Re-run it once the cause is fixed."
    )


def raw_document_stopped(raw_document_id: int, *, task_id: str, limit: float) -> None:
    """The hard time limit killed extraction run ``task_id``: the document fails with that reason."""
    RawDocument.objects.filter(
        pk=raw_document_id, status=RawDocument.Status.PROCESSING, task_id=task_id[:64]
    ).update(
        status=RawDocument.Status.FAILED,
        error=(
            f"Extraction was stopped at the hard time limit of {limit:g} seconds before it finished; "
            "it is not tried again."
        ),
        processed_at=timezone.now(),
    )


def raw_document_fail(*, raw_document: RawDocument, reason: str) -> None:
    """Record a failure that happened outside extraction proper (a crash, a time limit)."""
    _raw_document_finish(raw_document, RawDocument.Status.FAILED, reason)


def _raw_document_finish(raw_document: RawDocument, status: str, error: str) -> None:
    raw_document.status = status
    raw_document.error = error
    raw_document.processed_at = timezone.now()
    raw_document.save(update_fields=["status", "error", "processed_at", "attempts", "encoding"])


def _article_save_extracted(
    *, raw_document: RawDocument, result: extraction.ExtractedArticle
) -> tuple[Article, bool]:
    article = Article.objects.select_for_update().filter(raw_document=raw_document).first()
    created = article is None
    if article is None:
        article = Article(raw_document=raw_document)
    published_at, precision = _published_at(result)
    extracted = {
        "headline": result.headline[:500],
        "dateline_text": result.dateline.text[:200] if result.dateline else "",
        "dateline_place": (result.dateline.place or "")[:200] if result.dateline else "",
        "agency": agency_resolve(result.agency) if result.agency else raw_document.agency_hint,
        "published_at": published_at,
        "published_precision": precision,
        "body_text": result.body,
        "body_html": result.body_html,
        "language": (result.language or "")[:20],
        "source_url": _source_url(raw_document, result),
        "legacy_view_count": result.view_count or 0,
        "standfirst": _standfirst(result),
        "authors": list(result.authors),
        "section": (result.section or "")[:200],
        "tags": list(result.tags),
        "lead_image_url": (result.lead_image or "")[:2000],
    }
    # What the desk changed stays as the desk left it (and so does the story's state).
    kept = set(article.edited_fields or ())
    for field, value in extracted.items():
        if field not in kept:
            setattr(article, field, value)
    article.keywords = article_keywords(article.headline, article.body_text)
    if not article.slug:
        article.slug = article_unique_slug(result.headline)
    if created:
        article.status = Article.Status.NEEDS_REVIEW if result.flagged else Article.Status.READY
    revisions.revision_stamp(
        article, by=None, reason="Extracted." if created else _reextracted(kept & set(extracted))
    )
    article.save()
    if article.status == Article.Status.PUBLISHED:
        # A live story extracted again: readers see the new text once this commits.
        transaction.on_commit(page_cache.site_changed)
    _found_links_take_over(article=article)

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
    return article, created


def _standfirst(result: extraction.ExtractedArticle) -> str:
    """The page's summary, unless it only repeats the start of the body (the lead serves then)."""
    description = (result.description or "").strip()
    if not description:
        return ""
    # Compared by words, as the body lost its dateline and the summary may be cut anywhere.
    said = re.findall(r"\w+", description.casefold())[:25]
    opening = [result.dateline.text if result.dateline else "", result.credit or "", *result.paragraphs[:2]]
    lead = set(re.findall(r"\w+", " ".join(opening).casefold())[:120])
    if said and sum(word in lead for word in said) >= 0.8 * len(said):
        return ""
    return description[:600]


def _reextracted(kept: set[str]) -> str:
    if not kept:
        return "Extracted again."
    names = ", ".join(sorted(str(Article._meta.get_field(name).verbose_name) for name in kept))
    return f"Extracted again; the desk's {names} kept."


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


def _stories_at(keys, *, besides: Article) -> dict[str, int]:
    """The stored story at each address key: the published one where there are several, then the newest."""
    found = (
        Article.objects.filter(source_url_key__in=keys)
        .exclude(pk=besides.pk)
        .exclude(status__in=workflow.WITHDRAWN)
        .values_list("source_url_key", "pk", "status")
    )
    best: dict[str, tuple[bool, int]] = {}
    for key, pk, status in found:
        rank = (status == Article.Status.PUBLISHED, pk)
        if rank > best.get(key, (False, 0)):
            best[key] = rank
    return {key: pk for key, (_, pk) in best.items()}


def _found_links_replace(*, article: Article, links) -> None:
    """The links found on the page, each to the stored story at its address when there is one."""
    RelatedLink.objects.filter(from_article=article, kind=RelatedLink.Kind.FOUND_ON_PAGE).delete()
    found = []
    seen_urls = set()
    for position, link in enumerate(links):
        url = link.url[:2000]
        key = link_key(url)
        if key and url not in seen_urls:
            seen_urls.add(url)
            found.append((position, url, key, link.text[:500]))
    targets = _stories_at({key for _, _, key, _ in found}, besides=article)
    rows, linked = [], set()
    for position, url, key, title in found:
        target = targets.get(key)
        if target in linked or key == article.source_url_key:
            continue  # another spelling of a story already listed, or of this story's own address
        if target is not None:
            linked.add(target)
        rows.append(
            RelatedLink(
                from_article=article,
                to_article_id=target,
                url=url,
                url_key=key,
                title=title,
                kind=RelatedLink.Kind.FOUND_ON_PAGE,
                position=position,
            )
        )
    RelatedLink.objects.bulk_create(rows)


def _found_links_take_over(*, article: Article) -> None:
    """Links found earlier on other pages that lead to this story's address now lead to the story."""
    if not article.source_url_key or article.status in workflow.WITHDRAWN:
        return
    waiting = list(
        RelatedLink.objects.filter(
            kind=RelatedLink.Kind.FOUND_ON_PAGE, to_article__isnull=True, url_key=article.source_url_key
        )
        .exclude(from_article=article)
        .order_by("position", "pk")
        .values_list("pk", "from_article_id")
    )
    if not waiting:
        return  # the common case: one indexed lookup per extraction
    already = set(
        RelatedLink.objects.filter(kind=RelatedLink.Kind.FOUND_ON_PAGE, to_article=article).values_list(
            "from_article_id", flat=True
        )
    )
    take, extra, pages = [], [], set()
    for pk, from_id in waiting:
        # One link per page to the story: another spelling of it on the same page goes.
        (extra if from_id in already else take).append(pk)
        already.add(from_id)
        pages.add(from_id)
    RelatedLink.objects.filter(pk__in=take).update(to_article=article)
    RelatedLink.objects.filter(pk__in=extra).delete()
    transaction.on_commit(lambda: related_cache_forget(sorted(pages)))
