"""Tagging articles: their mentions of known entities and the names suggested for the queue."""

from __future__ import annotations

import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, transaction
from django.utils import timezone

from articles.models import Article
from entities.models import ArticleTagging, Entity, EntitySuggestion, EntityType, Mention
from entities.selectors import article_entities_cache_key
from entities.services.engine import NameSuggested, TagFindings, tagger_get
from entities.tagging.text import prefix_at_break
from newsroom import page_cache

logger = logging.getLogger(__name__)


def article_tagging_text(article: Article) -> str:
    """The text tagged, and the one mention spans point into: headline, blank line, body.

    At most ``TAGGING_MAX_CHARS`` of it, cut at a line break: tagging costs time and memory in
    proportion to the text (a 4 MB body took two minutes and 2.8 GB), and no story names an
    entity for the first time that far in. The cut is a prefix, so spans point into the whole
    text too; ``article_tagging_notice`` says what was left out.
    """
    return prefix_at_break(_full_text(article), settings.TAGGING_MAX_CHARS)


def article_tagging_notice(article: Article) -> str:
    """What an editor should know of the tagging's extent: '' when the whole text was tagged."""
    full = len(_full_text(article))
    tagged = len(article_tagging_text(article))
    if tagged == full:
        return ""
    return (
        f"Only the first {tagged:,} of the story's {full:,} characters were tagged "
        f"(the limit is {settings.TAGGING_MAX_CHARS:,})."
    )


def _full_text(article: Article) -> str:
    return f"{article.headline}\n\n{article.body_text}"


def article_tag(*, article: Article) -> ArticleTagging:
    """Tag ``article`` with the entities it names, replacing its mentions and open suggestions.

    Running it again on the same text and tables writes the same rows.
    """
    return article_findings_save(article=article, findings=tagger_get().tag(article_tagging_text(article)))


@transaction.atomic
def article_findings_save(*, article: Article, findings: TagFindings) -> ArticleTagging:
    """Replace ``article``'s mentions and open suggestions with what tagging found."""
    # Two runs for one article take turns instead of colliding on the unique constraints.
    list(Article.objects.select_for_update().filter(pk=article.pk).values_list("pk"))
    # The matcher can be a moment behind the tables: an entity merged or blocked since is skipped.
    live_ids = set(
        Entity.objects.filter(
            pk__in=[f.entity_id for f in findings.entities], status=Entity.Status.APPROVED
        ).values_list("pk", flat=True)
    )
    Mention.objects.filter(article=article).delete()
    mentions = Mention.objects.bulk_create(
        Mention(
            article=article,
            entity_id=found.entity_id,
            count=found.count,
            spans=found.spans,
            confidence=round(found.confidence, 4),
            method=found.method,
        )
        for found in findings.entities
        if found.entity_id in live_ids
    )
    suggestions = _article_suggestions_replace(article=article, suggestions=findings.suggestions)
    tagging, _ = ArticleTagging.objects.update_or_create(
        article=article,
        defaults={
            "tagged_at": timezone.now(),
            "mentions": len(mentions),
            "suggestions": suggestions,
            "error": "",
            "notice": article_tagging_notice(article),
        },
    )
    transaction.on_commit(lambda: cache.delete(article_entities_cache_key(article.pk)))
    if article.status == Article.Status.PUBLISHED:
        # Its page lists the entities, and their pages list it: the public pages turn over.
        transaction.on_commit(page_cache.site_changed)
    return tagging


def _article_suggestions_replace(*, article: Article, suggestions: list[NameSuggested]) -> int:
    EntitySuggestion.objects.filter(article=article, status=EntitySuggestion.Status.OPEN).delete()
    # A name an editor already ruled on for this article keeps its ruling.
    ruled = set(EntitySuggestion.objects.filter(article=article).values_list("name", "type"))
    rows, seen = [], set()
    for suggestion in suggestions:
        name = suggestion.name.strip()[:300]
        entity_type = suggestion.type if suggestion.type in EntityType.values else EntityType.OTHER
        key = (name, entity_type)
        if not name or key in ruled or key in seen:
            continue
        seen.add(key)
        rows.append(
            EntitySuggestion(
                article=article,
                name=name,
                type=entity_type,
                count=suggestion.count,
                examples=suggestion.examples,
            )
        )
    EntitySuggestion.objects.bulk_create(rows)
    return len(rows)


def article_tagging_fail(*, article_id: int, reason: str) -> None:
    """Record why tagging an article failed; its earlier mentions stay."""
    if Article.objects.filter(pk=article_id).exists():
        ArticleTagging.objects.update_or_create(article_id=article_id, defaults={"error": reason})


def articles_tag_batch(*, articles: list[Article]) -> int:
    """Tag several articles, the model over all of them at once; returns how many failed.

    A failure is recorded on the article and does not stop the others.
    """
    try:
        found = tagger_get().tag_many([article_tagging_text(a) for a in articles])
    except (SoftTimeLimitExceeded, OperationalError):
        raise
    except Exception:
        # Find the article that breaks the batch by tagging them one by one.
        logger.exception("tagging a batch of %s articles crashed", len(articles))
        found = [None] * len(articles)
    failed = 0
    for article, findings in zip(articles, found, strict=True):
        try:
            if findings is None:
                article_tag(article=article)
            else:
                article_findings_save(article=article, findings=findings)
        except (SoftTimeLimitExceeded, OperationalError):
            # Out of time or the database went away: the task stops and the chunk runs again.
            raise
        except Exception as exc:
            logger.exception("tagging article %s crashed", article.pk)
            article_tagging_fail(article_id=article.pk, reason=f"Internal error during tagging: {exc!r}")
            failed += 1
    return failed
