"""Re-tagging in the background: a job cut into chunks of articles that any number of workers share."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F, Max
from django.utils import timezone

from articles import pipeline
from articles.models import Article
from entities.models import RetagChunk, RetagJob
from entities.services.mentions import articles_tag_batch
from newsroom import audit

# A re-tag job's chunks: one task each, well inside the task time limit, so any number of
# workers share a job of millions; the planner cuts this many chunks per run.
RETAG_CHUNK_SIZE = 100
RETAG_CHUNKS_PER_PLAN = 50


def articles_retag(*, article_ids: Iterable[int] | None = None, by) -> RetagJob:
    """Start a background job that tags the given articles (default: every article) again."""
    audit.permission_require(by, "entities.add_retagjob")
    ids = None if article_ids is None else sorted({int(pk) for pk in article_ids})
    scope = Article.objects.all() if ids is None else Article.objects.filter(pk__in=ids)
    with transaction.atomic():
        stats = scope.aggregate(total=Count("pk"), last=Max("pk"))
        job = RetagJob.objects.create(
            article_ids=ids, total=stats["total"], up_to_article_id=stats["last"] or 0, created_by=by
        )
        if job.total == 0:
            RetagJob.objects.filter(pk=job.pk).update(
                status=RetagJob.Status.DONE, planned=True, finished_at=timezone.now()
            )
            job.refresh_from_db()
        else:
            pipeline.retag_job_started(job_id=job.pk)
        audit.change_log(by, [job], [{"added": {}}], action=audit.ADDITION)
    return job


def _retag_scope(job: RetagJob):
    scope = Article.objects.filter(pk__lte=job.up_to_article_id)
    if job.article_ids is not None:
        scope = scope.filter(pk__in=job.article_ids)
    return scope


def retag_job_plan(*, job: RetagJob) -> bool:
    """Cut the job's next articles into chunks, each tagged by a task; True while more remain to cut.

    At most ``RETAG_CHUNKS_PER_PLAN`` chunks at a time: the planner runs again behind
    them, so the broker never holds a whole archive's worth of messages.
    """
    with transaction.atomic():
        job = RetagJob.objects.select_for_update().get(pk=job.pk)
        if job.status in (RetagJob.Status.DONE, RetagJob.Status.FAILED) or job.planned:
            return False
        if job.status == RetagJob.Status.PENDING:
            job.status, job.started_at = RetagJob.Status.RUNNING, timezone.now()
        scope = _retag_scope(job).order_by("pk").values_list("pk", flat=True)
        chunks, cursor = [], job.planned_through_id
        for _ in range(RETAG_CHUNKS_PER_PLAN):
            ids = list(scope.filter(pk__gt=cursor)[:RETAG_CHUNK_SIZE])
            if not ids:
                break
            chunks.append(
                RetagChunk(job=job, first_article_id=ids[0], last_article_id=ids[-1], articles=len(ids))
            )
            cursor = ids[-1]
        RetagChunk.objects.bulk_create(chunks)
        job.planned_through_id = cursor
        job.planned = not scope.filter(pk__gt=cursor).exists()
        job.save(update_fields=["status", "started_at", "planned_through_id", "planned"])
        chunk_ids = list(
            RetagChunk.objects.filter(job=job, first_article_id__in=[c.first_article_id for c in chunks])
            .order_by("first_article_id")
            .values_list("pk", flat=True)
        )
        pipeline.retag_job_planned(job_id=job.pk, chunk_ids=chunk_ids, more=not job.planned)
    if job.planned:
        _retag_job_finish_if_complete(job)
    return not job.planned


def retag_chunk_run(*, chunk: RetagChunk) -> None:
    """Tag one chunk's articles and count them done, once however often the task runs."""
    job = chunk.job
    if chunk.status == RetagChunk.Status.DONE or job.status in (RetagJob.Status.DONE, RetagJob.Status.FAILED):
        return
    articles = list(
        _retag_scope(job).filter(pk__gte=chunk.first_article_id, pk__lte=chunk.last_article_id).order_by("pk")
    )
    failed = articles_tag_batch(articles=articles)
    with transaction.atomic():
        claimed = (
            RetagChunk.objects.filter(pk=chunk.pk)
            .exclude(status=RetagChunk.Status.DONE)
            .update(status=RetagChunk.Status.DONE, finished_at=timezone.now())
        )
        if claimed:
            RetagJob.objects.filter(pk=job.pk).update(
                done=F("done") + len(articles), failed=F("failed") + failed
            )
    _retag_job_finish_if_complete(job)


def _retag_job_finish_if_complete(job: RetagJob) -> None:
    if RetagChunk.objects.filter(job_id=job.pk).exclude(status=RetagChunk.Status.DONE).exists():
        return
    # Articles deleted while the job ran are no longer counted in its total.
    RetagJob.objects.filter(pk=job.pk, planned=True).exclude(status=RetagJob.Status.DONE).update(
        status=RetagJob.Status.DONE, total=F("done"), finished_at=timezone.now()
    )


def retag_job_fail(*, job: RetagJob, reason: str) -> None:
    """Stop a job: chunks not yet tagged are skipped."""
    RetagJob.objects.filter(pk=job.pk).exclude(status=RetagJob.Status.DONE).update(
        status=RetagJob.Status.FAILED, error=reason, finished_at=timezone.now()
    )
