"""The related-list task of its own: refill one list, touching no other."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from articles.models import Article

TRANSIENT_ERRORS = (OperationalError, ConnectionError)


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=5)
def related_list_backfill_task(article_id: int) -> None:
    """Recompute one article's own list (after a story left it or an editor changed it)."""
    from articles.related.refresh import article_related_refresh

    article = Article.objects.filter(pk=article_id).first()
    if article is not None:
        article_related_refresh(article=article, propagate=False)
