"""Celery tasks: ids in, a service call, the outcome recorded on the row."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError

from articles import clustering, counters, furniture, related, services
from articles.models import Article, RawDocument
from entities.services import article_tag_enqueue

logger = logging.getLogger(__name__)

# Transient failures (the database restarting, a dropped connection) are retried
# with backoff; everything about the page itself is recorded on the document.
TRANSIENT_ERRORS = (OperationalError, ConnectionError)


@shared_task(
    bind=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
)
def article_extract_task(self, raw_document_id: int) -> None:
    raw = RawDocument.objects.filter(pk=raw_document_id).first()
    if raw is None:
        logger.warning("raw document %s no longer exists", raw_document_id)
        return
    try:
        article = services.article_extract(raw_document=raw)
    except SoftTimeLimitExceeded:
        services.raw_document_fail(raw_document=raw, reason="Extraction took longer than the time limit.")
        return
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:
        logger.exception("extraction of raw document %s crashed", raw_document_id)
        services.raw_document_fail(raw_document=raw, reason=f"Internal error during extraction: {exc!r}")
        return
    if article is not None:
        # Tagging comes next; the related refresh of a published story follows it in one chain.
        article_tag_enqueue(article=article, relate=article.status == Article.Status.PUBLISHED)


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=5)
def article_related_refresh_task(article_id: int) -> None:
    article = Article.objects.filter(pk=article_id).first()
    if article is not None:
        related.article_related_refresh(article=article)


# A failed flush leaves its batch in Redis for the next one: beat runs it again within
# VIEW_FLUSH_INTERVAL, so there is nothing to retry here (retries would only pile up
# while the database is down).
@shared_task
def view_counts_flush_task() -> int:
    return counters.view_counts_flush()


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=5)
def article_cluster_task(article_id: int) -> None:
    article = Article.objects.filter(pk=article_id).first()
    if article is not None:
        clustering.article_cluster(article=article)


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def site_furniture_learn_task() -> int:
    """Learn the furniture of the sites with new pages; how many sites were learned."""
    return len(furniture.site_furniture_learn_pending())
