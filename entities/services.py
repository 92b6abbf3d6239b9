"""Every write to entities: tagging articles, editors' changes to entities and suggestions, re-tagging."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, transaction
from django.db.models import Count, F, Max
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article
from entities.models import (
    Alias,
    ArticleTagging,
    Entity,
    EntityRedirect,
    EntitySuggestion,
    EntityType,
    Mention,
    RetagChunk,
    RetagJob,
)
from entities.selectors import (
    ALIASES_VERSION_KEY,
    AliasRow,
    alias_table_rows,
    aliases_version,
    article_entities_cache_key,
)

logger = logging.getLogger(__name__)

# A re-tag job's chunks: one task each, well inside the task time limit, so any number of
# workers share a job of millions; the planner cuts this many chunks per run.
RETAG_CHUNK_SIZE = 100
RETAG_CHUNKS_PER_PLAN = 50
EXAMPLES_KEPT = 3


class EntityError(Exception):
    """An editor's change that cannot be made; the message says why."""


@dataclass(frozen=True)
class EntityFound:
    """One entity in an article: every place it is named, summed up."""

    entity_id: int
    count: int
    spans: list[list[int]]
    confidence: float
    method: str


@dataclass(frozen=True)
class NameSuggested:
    """A name the model found that no entity has."""

    name: str
    type: str
    count: int
    examples: list[str]


@dataclass(frozen=True)
class TagFindings:
    entities: list[EntityFound] = field(default_factory=list)
    suggestions: list[NameSuggested] = field(default_factory=list)


@dataclass(frozen=True)
class KnowledgeLoadResult:
    entities_created: int
    aliases_created: int
    records: int


# --- The tagging engine -------------------------------------------------------------------
# The only code that names anything in ``entities.tagging``; a rename there is one edit here.


def engine_create(*, use_model: bool = True, previous=None):
    """A tagger compiled from the stored alias table, as tagging and ``manage.py tag`` use it.

    A ``previous`` engine lends its loaded model, so only the alias automaton is built again.
    ``settings.ENTITIES_NER_MODEL`` names the spaCy package ("auto": the small English one
    when installed; empty: alias table and rules only).
    """
    return _engine_compile(alias_table_rows(), use_model=use_model, previous=previous)


def _engine_compile(rows: Iterable[AliasRow], *, use_model: bool = True, previous=None):
    from entities import tagging

    records = [
        tagging.AliasRecord(
            entity_key=str(row.entity_id),
            name=row.name,
            type=row.type,
            text=row.text,
            case_sensitive=row.case_sensitive,
            ambiguous=row.ambiguous,
            blocked=row.blocked,
        )
        for row in rows
    ]
    if previous is not None:
        return previous.with_records(records)
    model = settings.ENTITIES_NER_MODEL if use_model else ""
    return tagging.Tagger(records, model=model or None)


def _engine_tag(engine, text: str) -> TagFindings:
    return _engine_findings(engine.tag(text))


def _engine_tag_many(engine, texts: list[str]) -> list[TagFindings]:
    """Tag several texts, the model running over them in batches."""
    return [_engine_findings(result) for result in engine.tag_many(texts)]


def _engine_findings(result) -> TagFindings:
    from entities import tagging

    linked = [m for m in result.mentions if m.entity_key is not None]
    found = [
        EntityFound(
            entity_id=int(group.entity_key),
            count=group.count,
            spans=[list(span) for span in group.spans],
            confidence=float(group.confidence),
            method=group.method,
        )
        for group in tagging.aggregate(linked)
    ]
    suggestions = [
        NameSuggested(name=s.name, type=s.type, count=s.count, examples=list(s.examples)[:EXAMPLES_KEPT])
        for s in result.suggestions
    ]
    return TagFindings(entities=found, suggestions=suggestions)


def _engine_starter_records() -> list[tuple[str, str, str, str, bool, bool]]:
    """The seeded knowledge as (key, canonical name, type, alias text, case-sensitive, ambiguous)."""
    from entities import tagging

    return [
        (r.entity_key, r.name, r.type, r.text, r.case_sensitive, r.ambiguous)
        for r in tagging.starter_records()
    ]


# --- The compiled tagger, rebuilt when the alias table changes --------------------------------


@dataclass
class CompiledTagger:
    """The matcher compiled from the entity tables at ``version``, with the names editors blocked."""

    version: str
    engine: object
    blocked_names: frozenset[str]

    def tag(self, text: str) -> TagFindings:
        return self._unblocked(_engine_tag(self.engine, text))

    def tag_many(self, texts: list[str]) -> list[TagFindings]:
        return [self._unblocked(findings) for findings in _engine_tag_many(self.engine, texts)]

    def _unblocked(self, findings: TagFindings) -> TagFindings:
        suggestions = [s for s in findings.suggestions if s.name.casefold() not in self.blocked_names]
        return TagFindings(entities=findings.entities, suggestions=suggestions)


_tagger: CompiledTagger | None = None
_tagger_lock = threading.Lock()


def tagger_get() -> CompiledTagger:
    """This process's tagger, compiled again if an entity or alias changed since it was built."""
    global _tagger
    version = aliases_version()
    tagger = _tagger
    if tagger is None or tagger.version != version:
        with _tagger_lock:
            if _tagger is None or _tagger.version != version:
                _tagger = tagger_build(version=version, previous=_tagger)
            tagger = _tagger
    return tagger


def tagger_build(*, version: str = "", previous: CompiledTagger | None = None) -> CompiledTagger:
    """Compile the matcher from the stored alias table (see ``selectors.alias_table_rows``)."""
    rows = alias_table_rows()
    blocked_names = frozenset(row.text.casefold() for row in rows if row.blocked)
    engine = _engine_compile(rows, previous=previous.engine if previous is not None else None)
    return CompiledTagger(version=version, engine=engine, blocked_names=blocked_names)


def aliases_version_bump() -> None:
    """Tell every worker its matcher is out of date, once the change is committed.

    Bumping before the commit would let a worker compile the old rows under the new stamp.
    """
    transaction.on_commit(lambda: cache.set(ALIASES_VERSION_KEY, uuid.uuid4().hex, timeout=None))


# --- Tagging articles ---------------------------------------------------------------------


def article_tagging_text(article: Article) -> str:
    """The text tagged, and the one mention spans point into: headline, blank line, body."""
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
        },
    )
    transaction.on_commit(lambda: cache.delete(article_entities_cache_key(article.pk)))
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


def article_tag_enqueue(*, article: Article, relate: bool = False) -> None:
    """Queue tagging once the article is committed; with ``relate``, its related refresh follows the tags."""
    from celery import chain

    from articles.tasks import article_related_refresh_task
    from entities.tasks import article_tag_task

    article_id = article.pk

    def send():
        if relate:
            chain(article_tag_task.si(article_id), article_related_refresh_task.si(article_id)).delay()
        else:
            article_tag_task.delay(article_id)

    transaction.on_commit(send)


# --- Editors' changes to entities -----------------------------------------------------------


def entity_unique_slug(name: str, *, entity_type: str = "", exclude_pk: int | None = None) -> str:
    """A slug for ``name`` that no entity has and no old link points at."""
    return next(
        slug for slug in _slug_candidates(name, entity_type) if not _slug_taken(slug, exclude_pk=exclude_pk)
    )


def _slug_candidates(name: str, entity_type: str = ""):
    """``paris``, then ``paris-place`` (when a person took ``paris``), then ``paris-2``, ``paris-3``…"""
    base = slugify(name)[:300].strip("-") or "entity"
    yield base
    if entity_type:
        yield f"{base}-{entity_type}"
    n = 2
    while True:
        yield f"{base}-{n}"
        n += 1


def _slug_taken(slug: str, *, exclude_pk: int | None = None) -> bool:
    entities = Entity.objects.filter(slug=slug)
    redirects = EntityRedirect.objects.filter(old_slug=slug)
    if exclude_pk is not None:
        entities = entities.exclude(pk=exclude_pk)
        redirects = redirects.exclude(entity_id=exclude_pk)
    return entities.exists() or redirects.exists()


def entity_create(
    *,
    name: str,
    type: str,
    status: str = Entity.Status.APPROVED,
    description: str = "",
    wikidata_id: str = "",
) -> Entity:
    name = name.strip()
    if not name:
        raise EntityError("An entity needs a name.")
    return Entity.objects.create(
        name=name[:300],
        type=type,
        slug=entity_unique_slug(name, entity_type=type),
        status=status,
        description=description,
        wikidata_id=wikidata_id,
    )


@transaction.atomic
def entity_merge(*, source: Entity, target: Entity, by=None) -> Entity:
    """Fold ``source`` into ``target``: mentions and aliases move, and ``source``'s slug and id redirect.

    Where an article mentions both, the counts add up into one mention.
    """
    if source.pk == target.pk:
        raise EntityError("An entity cannot be merged into itself.")
    locked = {e.pk: e for e in Entity.objects.select_for_update().filter(pk__in=[source.pk, target.pk])}
    if len(locked) != 2:
        raise EntityError("One of the entities no longer exists.")
    source, target = locked[source.pk], locked[target.pk]
    if target.status == Entity.Status.BLOCKED:
        raise EntityError(f"{target} is blocked: unblock it before merging into it.")

    _mentions_move(source=source, target=target)
    _aliases_move(source=source, target=target)
    EntitySuggestion.objects.filter(entity=source).update(entity=target)
    EntityRedirect.objects.filter(entity=source).update(entity=target)
    EntityRedirect.objects.update_or_create(
        old_slug=source.slug,
        defaults={
            "old_id": source.pk,
            "old_name": source.name,
            "entity": target,
            "reason": EntityRedirect.Reason.MERGED,
            "created_by": by,
        },
    )
    changed = []
    for attr in ("description", "wikidata_id"):
        if not getattr(target, attr) and getattr(source, attr):
            setattr(target, attr, getattr(source, attr))
            changed.append(attr)
    target.save(update_fields=[*changed, "updated_at"])
    source.delete()
    return target


def _mentions_move(*, source: Entity, target: Entity) -> None:
    both = Mention.objects.filter(entity=target, article__mentions__entity=source)
    for into in both.select_for_update():
        moving = Mention.objects.get(entity=source, article_id=into.article_id)
        into.count += moving.count
        into.spans = sorted({tuple(s) for s in [*into.spans, *moving.spans]})
        if moving.confidence > into.confidence:
            into.confidence, into.method = moving.confidence, moving.method
        into.spans = [list(s) for s in into.spans]
        into.save(update_fields=["count", "spans", "confidence", "method"])
        moving.delete()
    Mention.objects.filter(entity=source).update(entity=target)


def _aliases_move(*, source: Entity, target: Entity) -> None:
    taken = set(Alias.objects.filter(entity=target).values_list("text", flat=True)) | {target.name}
    Alias.objects.filter(entity=source, text__in=taken).delete()
    Alias.objects.filter(entity=source).update(entity=target)
    if source.name not in taken:
        Alias.objects.get_or_create(entity=target, text=source.name)


@transaction.atomic
def entity_rename(
    *, entity: Entity, name: str, slug: str | None = None, keep_old_name: bool = True, by=None
) -> Entity:
    """Give ``entity`` a new canonical name (and by default a slug to match); the old slug redirects.

    The old name stays as an alias, so stories that use it are still tagged.
    """
    name = name.strip()[:300]
    if not name:
        raise EntityError("An entity needs a name.")
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    if Entity.objects.filter(name=name, type=entity.type).exclude(pk=entity.pk).exists():
        raise EntityError(
            f"Another {entity.get_type_display().lower()} is called {name}: merge the two instead."
        )
    if slug:
        slug = slugify(slug)[:320]
        if Entity.objects.filter(slug=slug).exclude(pk=entity.pk).exists():
            raise EntityError(f"The slug {slug} belongs to another entity.")
    elif name != entity.name:
        slug = entity_unique_slug(name, entity_type=entity.type, exclude_pk=entity.pk)
    else:
        slug = entity.slug
    if name == entity.name and slug == entity.slug:
        return entity

    old_name, old_slug = entity.name, entity.slug
    if slug != old_slug:
        # The entity may take back one of its own old slugs, or one a deleted entity left behind.
        EntityRedirect.objects.filter(old_slug=slug).delete()
        EntityRedirect.objects.update_or_create(
            old_slug=old_slug,
            defaults={
                "old_id": entity.pk,
                "old_name": old_name,
                "entity": entity,
                "reason": EntityRedirect.Reason.RENAMED,
                "created_by": by,
            },
        )
    entity.name, entity.slug = name, slug
    entity.save(update_fields=["name", "slug", "updated_at"])
    Alias.objects.filter(entity=entity, text=name).delete()
    if keep_old_name and old_name != name:
        Alias.objects.get_or_create(entity=entity, text=old_name)
    return entity


@transaction.atomic
def entity_block(*, entity: Entity, by=None) -> int:
    """Block a false positive everywhere: its mentions go and nothing tags it again.

    Returns how many mentions were removed.
    """
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    removed, _ = Mention.objects.filter(entity=entity).delete()
    if entity.status != Entity.Status.BLOCKED:
        entity.status = Entity.Status.BLOCKED
        entity.save(update_fields=["status", "updated_at"])
    names = [entity.name, *entity.aliases.values_list("text", flat=True)]
    _suggestions_rule(
        EntitySuggestion.objects.filter(status=EntitySuggestion.Status.OPEN, name__in=names),
        status=EntitySuggestion.Status.BLOCKED,
        entity=entity,
        by=by,
    )
    return removed


@transaction.atomic
def entity_approve(*, entity: Entity, by=None) -> Entity:
    """Approve a suggested or blocked entity; articles pick it up when they are next tagged."""
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    if entity.status != Entity.Status.APPROVED:
        entity.status = Entity.Status.APPROVED
        entity.save(update_fields=["status", "updated_at"])
    return entity


# --- The suggestion queue ------------------------------------------------------------------------


def _suggestion_siblings(suggestion: EntitySuggestion):
    """Open suggestions of the same name and type in other articles: one ruling settles them all."""
    return EntitySuggestion.objects.filter(
        status=EntitySuggestion.Status.OPEN, name=suggestion.name, type=suggestion.type
    )


def _suggestions_rule(queryset, *, status: str, entity: Entity, by=None) -> list[int]:
    """Record an editor's ruling on suggestions; returns the articles they came from."""
    article_ids = sorted(set(queryset.values_list("article_id", flat=True)))
    queryset.update(status=status, entity=entity, resolved_by=by, resolved_at=timezone.now())
    return article_ids


def _articles_tag_enqueue(article_ids: list[int]) -> None:
    from entities.tasks import article_tag_task

    transaction.on_commit(lambda: [article_tag_task.delay(article_id) for article_id in article_ids])


def suggestion_approve(
    *, suggestion: EntitySuggestion, name: str | None = None, type: str | None = None, by=None
) -> Entity:
    """Make a suggestion a new entity (or the existing one of that name), and tag its articles again."""
    name = (name or suggestion.name).strip()
    entity_type = type or suggestion.type
    with transaction.atomic():
        entity = Entity.objects.filter(name=name, type=entity_type).first()
        if entity is None:
            entity = entity_create(name=name, type=entity_type)
        elif entity.status == Entity.Status.BLOCKED:
            raise EntityError(f"{entity} is blocked.")
        if suggestion.name != entity.name:
            Alias.objects.get_or_create(entity=entity, text=suggestion.name)
        article_ids = _suggestions_rule(
            _suggestion_siblings(suggestion) | EntitySuggestion.objects.filter(pk=suggestion.pk),
            status=EntitySuggestion.Status.APPROVED,
            entity=entity,
            by=by,
        )
        _articles_tag_enqueue(article_ids)
    return entity


def suggestion_add_as_alias(*, suggestion: EntitySuggestion, entity: Entity, by=None) -> Alias:
    """Make a suggested name an alias of an existing entity, and tag its articles again."""
    if entity.status == Entity.Status.BLOCKED:
        raise EntityError(f"{entity} is blocked.")
    with transaction.atomic():
        alias, _ = Alias.objects.get_or_create(entity=entity, text=suggestion.name)
        article_ids = _suggestions_rule(
            _suggestion_siblings(suggestion) | EntitySuggestion.objects.filter(pk=suggestion.pk),
            status=EntitySuggestion.Status.ALIASED,
            entity=entity,
            by=by,
        )
        _articles_tag_enqueue(article_ids)
    return alias


@transaction.atomic
def suggestion_block(*, suggestion: EntitySuggestion, by=None) -> Entity:
    """Never suggest this name again: it becomes a blocked entity."""
    entity = Entity.objects.filter(name=suggestion.name, type=suggestion.type).first()
    if entity is None:
        entity = entity_create(name=suggestion.name, type=suggestion.type, status=Entity.Status.BLOCKED)
    elif entity.status != Entity.Status.BLOCKED:
        raise EntityError(f"{entity} is an entity in use: block it from the entity list if it is wrong.")
    _suggestions_rule(
        _suggestion_siblings(suggestion) | EntitySuggestion.objects.filter(pk=suggestion.pk),
        status=EntitySuggestion.Status.BLOCKED,
        entity=entity,
        by=by,
    )
    return entity


# --- Re-tagging in the background --------------------------------------------------------------


def articles_retag(*, article_ids: Iterable[int] | None = None, by=None) -> RetagJob:
    """Start a background job that tags the given articles (default: every article) again."""
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
            from entities.tasks import retag_job_run_task

            job_id = job.pk
            transaction.on_commit(lambda: retag_job_run_task.delay(job_id))
    return job


def _retag_scope(job: RetagJob):
    scope = Article.objects.filter(pk__lte=job.up_to_article_id)
    if job.article_ids is not None:
        scope = scope.filter(pk__in=job.article_ids)
    return scope


def retag_job_plan(*, job: RetagJob) -> bool:
    """Cut the job's next articles into chunks and queue a task for each; True while more remain to cut.

    At most ``RETAG_CHUNKS_PER_PLAN`` chunks at a time: the planner queues itself behind
    them, so the broker never holds a whole archive's worth of messages.
    """
    from entities.tasks import retag_chunk_task

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
        transaction.on_commit(lambda: [retag_chunk_task.delay(chunk_id) for chunk_id in chunk_ids])
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


def articles_tag_batch(*, articles: list[Article]) -> int:
    """Tag several articles, the model over all of them at once; returns how many failed.

    A failure is recorded on the article and does not stop the others.
    """
    from celery.exceptions import SoftTimeLimitExceeded

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


# --- Seeded knowledge --------------------------------------------------------------------------


def knowledge_load(
    *, records: Iterable[tuple[str, str, str, str, bool, bool]] | None = None
) -> KnowledgeLoadResult:
    """Load countries, cities, organisations and agencies into the entity tables; safe to run again.

    ``records`` are (key, canonical name, type, alias text, case-sensitive, ambiguous);
    by default the engine's starter set. Entities and aliases already there, and
    editors' changes to them (a block, a rename), are left as they are.
    """
    records = list(_engine_starter_records() if records is None else records)
    wanted: dict[tuple[str, str], list[tuple[str, bool, bool]]] = {}
    for _key, name, entity_type, text, case_sensitive, ambiguous in records:
        entity_type = entity_type if entity_type in EntityType.values else EntityType.OTHER
        wanted.setdefault((name.strip()[:300], entity_type), []).append(
            (text.strip()[:300], case_sensitive, ambiguous)
        )
    wanted.pop(("", EntityType.OTHER), None)

    with transaction.atomic():
        existing = {(name, t): pk for pk, name, t in Entity.objects.values_list("pk", "name", "type")}
        # An entity renamed by an editor is found by its old name, through the redirect.
        renamed = dict(
            EntityRedirect.objects.filter(reason=EntityRedirect.Reason.RENAMED).values_list(
                "old_name", "entity_id"
            )
        )
        taken = set(Entity.objects.values_list("slug", flat=True))
        taken.update(EntityRedirect.objects.values_list("old_slug", flat=True))
        new_entities = []
        for name, entity_type in wanted:
            if (name, entity_type) in existing or name in renamed or not name:
                continue
            slug = next(slug for slug in _slug_candidates(name, entity_type) if slug not in taken)
            taken.add(slug)
            new_entities.append(Entity(name=name, type=entity_type, slug=slug))
        Entity.objects.bulk_create(new_entities, batch_size=1000)
        existing = {(name, t): pk for pk, name, t in Entity.objects.values_list("pk", "name", "type")}

        have = set(Alias.objects.values_list("entity_id", "text"))
        new_aliases = []
        for (name, entity_type), aliases in wanted.items():
            entity_id = existing.get((name, entity_type)) or renamed.get(name)
            if entity_id is None:
                continue
            for text, case_sensitive, ambiguous in aliases:
                plain_name = text == name and not case_sensitive and not ambiguous
                if not text or plain_name or (entity_id, text) in have:
                    continue
                have.add((entity_id, text))
                new_aliases.append(
                    Alias(entity_id=entity_id, text=text, case_sensitive=case_sensitive, ambiguous=ambiguous)
                )
        Alias.objects.bulk_create(new_aliases, batch_size=1000)
        # bulk_create sends no signals.
        if new_entities or new_aliases:
            aliases_version_bump()
    return KnowledgeLoadResult(
        entities_created=len(new_entities), aliases_created=len(new_aliases), records=len(records)
    )
