"""The desk at a glance, for the admin's front page: what waits for an editor, and why."""

from __future__ import annotations

from dataclasses import dataclass, field

from articles.flags import FlagNote, flag_note
from articles.models import Article, RawDocument
from entities.models import EntitySuggestion, RetagJob

SHOWN = 10
# Counts stop here: a front page never counts a whole table.
COUNT_CAP = 1000


@dataclass(frozen=True)
class WaitingStory:
    article: Article
    reasons: list[FlagNote] = field(default_factory=list)


@dataclass(frozen=True)
class Desk:
    review: list[WaitingStory]
    review_count: int
    scheduled: list[Article]
    ingested: list[RawDocument]
    failed: list[RawDocument]
    suggestions: int
    retag_jobs: list[RetagJob]
    count_cap: int = COUNT_CAP


def desk_overview(*, shown: int = SHOWN) -> Desk:
    """Stories in review (oldest first, with why), scheduled ones (soonest first), the newest pages
    in and the newest failures, how many names wait in the suggestion queue, re-tag jobs running."""
    waiting = (
        Article.objects.filter(status=Article.Status.NEEDS_REVIEW)
        .select_related("report", "agency")
        .order_by("created_at", "pk")
    )
    review = [WaitingStory(article, _reasons(article)) for article in waiting[:shown]]
    pages = RawDocument.objects.defer("content").select_related("article")
    return Desk(
        review=review,
        review_count=_capped(waiting),
        scheduled=list(
            Article.objects.filter(status=Article.Status.SCHEDULED).order_by("publish_at", "pk")[:shown]
        ),
        ingested=list(pages.order_by("-received_at", "-pk")[:shown]),
        failed=list(
            pages.filter(status__in=[RawDocument.Status.FAILED, RawDocument.Status.NO_ARTICLE]).order_by(
                "-received_at", "-pk"
            )[:shown]
        ),
        suggestions=_capped(EntitySuggestion.objects.filter(status=EntitySuggestion.Status.OPEN)),
        retag_jobs=list(
            RetagJob.objects.filter(status__in=[RetagJob.Status.PENDING, RetagJob.Status.RUNNING]).order_by(
                "pk"
            )[:shown]
        ),
    )


def _reasons(article: Article) -> list[FlagNote]:
    report = getattr(article, "report", None)
    return [flag_note(flag) for flag in report.flagged] if report is not None else []


def _capped(queryset) -> int:
    return queryset.order_by()[:COUNT_CAP].count()
