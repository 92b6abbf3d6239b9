"""Celery tasks: ids in, a service call, the outcome recorded on the row.

Each registers itself as a step of ``articles.pipeline``, which decides when it runs.
"""

from __future__ import annotations

import logging

from celery import shared_task

from articles import pipeline
from articles.models import Article
from entities.models import RetagChunk, RetagJob
from entities.services import mentions, retag
from newsroom.celery import failure_recorded

logger = logging.getLogger(__name__)


def _tagging_stopped(article_id: int, *, task_id: str, limit: float) -> None:
    mentions.article_tagging_fail(
        article_id=article_id, reason=f"Tagging was stopped at the hard time limit of {limit:g} seconds."
    )


@pipeline.step(pipeline.Step.TAG)
@shared_task(**pipeline.STEP_TASK, hard_stop_record=staticmethod(_tagging_stopped))
def article_tag_task(article_id: int) -> None:
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        logger.warning("article %s no longer exists", article_id)
        return
    # Recorded, not raised: the related refresh chained after this task still runs.
    with failure_recorded(
        lambda reason: mentions.article_tagging_fail(article_id=article_id, reason=reason),
        timed_out="Tagging took longer than the time limit.",
        crashed="Internal error during tagging",
    ):
        mentions.article_tag(article=article)


@pipeline.step(pipeline.Step.RETAG_PLAN)
@shared_task(**pipeline.STEP_TASK)
def retag_job_run_task(job_id: int) -> None:
    """Plan a re-tag job: cut its next chunks (the pipeline queues them, and this task again if needed)."""
    job = RetagJob.objects.filter(pk=job_id).first()
    if job is None:
        return
    with failure_recorded(
        lambda reason: retag.retag_job_fail(job=job, reason=reason),
        timed_out="Planning took longer than the time limit.",
        crashed="Internal error",
    ):
        retag.retag_job_plan(job=job)


@pipeline.step(pipeline.Step.RETAG_CHUNK)
@shared_task(**pipeline.STEP_TASK)
def retag_chunk_task(chunk_id: int) -> None:
    chunk = RetagChunk.objects.select_related("job").filter(pk=chunk_id).first()
    if chunk is None:
        return
    with failure_recorded(
        lambda reason: retag.retag_job_fail(job=chunk.job, reason=reason),
        timed_out=f"{chunk} took longer than the time limit.",
        crashed=f"Internal error in {chunk}",
    ):
        retag.retag_chunk_run(chunk=chunk)
