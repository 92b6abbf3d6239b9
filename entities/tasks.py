"""Celery tasks: ids in, a service call, the outcome recorded on the row."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError

from articles.models import Article
from entities import services
from entities.models import RetagChunk, RetagJob

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, ConnectionError)


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, retry_backoff_max=300, max_retries=5)
def article_tag_task(article_id: int) -> None:
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        logger.warning("article %s no longer exists", article_id)
        return
    try:
        services.article_tag(article=article)
    except TRANSIENT_ERRORS:
        raise
    except SoftTimeLimitExceeded:
        services.article_tagging_fail(
            article_id=article_id, reason="Tagging took longer than the time limit."
        )
    except Exception as exc:
        # Recorded, not raised: the related refresh chained after this task still runs.
        logger.exception("tagging article %s crashed", article_id)
        services.article_tagging_fail(article_id=article_id, reason=f"Internal error during tagging: {exc!r}")


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, retry_backoff_max=300, max_retries=5)
def retag_job_run_task(job_id: int) -> None:
    """Plan a re-tag job: queue its next chunks, then itself behind them while articles remain."""
    job = RetagJob.objects.filter(pk=job_id).first()
    if job is None:
        return
    try:
        more = services.retag_job_plan(job=job)
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:
        logger.exception("planning re-tag job %s crashed", job_id)
        services.retag_job_fail(job=job, reason=f"Internal error: {exc!r}")
        return
    if more:
        retag_job_run_task.delay(job_id)


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, retry_backoff_max=300, max_retries=5)
def retag_chunk_task(chunk_id: int) -> None:
    chunk = RetagChunk.objects.select_related("job").filter(pk=chunk_id).first()
    if chunk is None:
        return
    try:
        services.retag_chunk_run(chunk=chunk)
    except TRANSIENT_ERRORS:
        raise
    except SoftTimeLimitExceeded:
        services.retag_job_fail(job=chunk.job, reason=f"{chunk} took longer than the time limit.")
    except Exception as exc:
        logger.exception("re-tag chunk %s crashed", chunk_id)
        services.retag_job_fail(job=chunk.job, reason=f"Internal error in {chunk}: {exc!r}")
