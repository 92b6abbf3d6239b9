"""Celery tasks: ids in, a service call, the outcome recorded on the row.

Each registers itself as a step of ``articles.pipeline``, which decides when it runs.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from articles import pipeline
from articles.models import Article
from entities.models import RetagChunk, RetagJob
from entities.services import mentions, retag
from newsroom.celery import RETRY_TRANSIENT, TRANSIENT_ERRORS

logger = logging.getLogger(__name__)


@pipeline.step(pipeline.Step.TAG)
@shared_task(**RETRY_TRANSIENT)
def article_tag_task(article_id: int) -> None:
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        logger.warning("article %s no longer exists", article_id)
        return
    try:
        mentions.article_tag(article=article)
    except TRANSIENT_ERRORS:
        raise
    except SoftTimeLimitExceeded:
        mentions.article_tagging_fail(
            article_id=article_id, reason="Tagging took longer than the time limit."
        )
    except Exception as exc:
        # Recorded, not raised: the related refresh chained after this task still runs.
        logger.exception("tagging article %s crashed", article_id)
        mentions.article_tagging_fail(article_id=article_id, reason=f"Internal error during tagging: {exc!r}")


@pipeline.step(pipeline.Step.RETAG_PLAN)
@shared_task(**RETRY_TRANSIENT)
def retag_job_run_task(job_id: int) -> None:
    """Plan a re-tag job: cut its next chunks (the pipeline queues them, and this task again if needed)."""
    job = RetagJob.objects.filter(pk=job_id).first()
    if job is None:
        return
    try:
        retag.retag_job_plan(job=job)
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:
        logger.exception("planning re-tag job %s crashed", job_id)
        retag.retag_job_fail(job=job, reason=f"Internal error: {exc!r}")


@pipeline.step(pipeline.Step.RETAG_CHUNK)
@shared_task(**RETRY_TRANSIENT)
def retag_chunk_task(chunk_id: int) -> None:
    chunk = RetagChunk.objects.select_related("job").filter(pk=chunk_id).first()
    if chunk is None:
        return
    try:
        retag.retag_chunk_run(chunk=chunk)
    except TRANSIENT_ERRORS:
        raise
    except SoftTimeLimitExceeded:
        retag.retag_job_fail(job=chunk.job, reason=f"{chunk} took longer than the time limit.")
    except Exception as exc:
        logger.exception("re-tag chunk %s crashed", chunk_id)
        retag.retag_job_fail(job=chunk.job, reason=f"Internal error in {chunk}: {exc!r}")
