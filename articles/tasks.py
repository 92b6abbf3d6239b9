"""Celery tasks: ids in, a service call, the outcome recorded on the row.

What follows what is decided in ``articles.pipeline``; each step registers itself there.
"""

from __future__ import annotations

import logging

from celery import shared_task

from articles import clustering, counters, furniture, pipeline, recovery
from articles.models import Article
from articles.related import refresh
from articles.services import extract, workflow
from newsroom.celery import RETRY_TRANSIENT, failure_recorded

logger = logging.getLogger(__name__)


@pipeline.step(pipeline.Step.EXTRACT)
@shared_task(bind=True, **RETRY_TRANSIENT, hard_stop_record=staticmethod(extract.raw_document_stopped))
def article_extract_task(self, raw_document_id: int) -> None:
    # None: the document is gone, finished, held by another live run, or failed for good here.
    raw = extract.raw_document_claim(raw_document_id=raw_document_id, task_id=self.request.id or "")
    if raw is None:
        return
    with failure_recorded(
        lambda reason: extract.raw_document_fail(raw_document=raw, reason=reason),
        timed_out="Extraction took longer than the time limit.",
        crashed="Internal error during extraction",
    ):
        extract.article_extract(raw_document=raw, claimed=True)


@pipeline.step(pipeline.Step.CLUSTER)
@shared_task(**pipeline.STEP_TASK)
def article_cluster_task(article_id: int) -> None:
    article = Article.objects.filter(pk=article_id).first()
    if article is not None:
        clustering.article_cluster(article=article)


@pipeline.step(pipeline.Step.RELATE)
@shared_task(**pipeline.STEP_TASK)
def article_related_refresh_task(article_id: int) -> None:
    article = Article.objects.filter(pk=article_id).first()
    if article is not None:
        refresh.article_related_refresh(article=article)


@pipeline.step(pipeline.Step.REFILL)
@shared_task(**pipeline.STEP_TASK)
def related_list_refill_task(article_id: int) -> None:
    """Recompute one article's own list (a story left it or an editor changed it), touching no other."""
    article = Article.objects.filter(pk=article_id).first()
    if article is not None:
        refresh.article_related_refresh(article=article, propagate=False)


# A failed flush leaves its batch in Redis for the next one: beat runs it again within
# VIEW_FLUSH_INTERVAL, so there is nothing to retry here (retries would only pile up
# while the database is down).
@shared_task
def view_counts_flush_task() -> int:
    return counters.view_counts_flush()


# Like the flush: beat runs it again within SCHEDULE_CHECK_INTERVAL, so a failed run needs no retry.
@shared_task
def articles_publish_due_task() -> int:
    """Publish the scheduled stories whose time has come and take down the expired ones; how many moved."""
    return workflow.articles_publish_due() + workflow.articles_expire_due()


@shared_task(**RETRY_TRANSIENT)
def site_furniture_learn_task() -> int:
    """Learn the furniture of the sites with new pages; how many sites were learned."""
    return len(furniture.site_furniture_learn_pending())


# Like the flush: beat runs it again within STRANDED_SWEEP_INTERVAL, so a failed run needs no retry.
@shared_task
def stranded_work_recover_task() -> dict:
    """Send again the extractions and steps that were owed too long (``articles.recovery``)."""
    return recovery.stranded_work_recover().__dict__
