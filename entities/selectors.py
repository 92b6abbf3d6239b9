"""Every non-trivial read of entities: lists, lookups through redirects, an entity's articles, an article's."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from articles.models import Article
from articles.related.entities import nearest_ids
from articles.selectors import ARTICLE_ORDERING
from entities.filters import EntityFilter
from entities.models import Alias, Entity, EntityRedirect, Mention

ALIASES_VERSION_KEY = "entities:aliases-version"
ARTICLE_ENTITIES_TTL = 3600


class AliasRow(NamedTuple):
    """One surface form of the stored alias table, as tagging reads it."""

    entity_id: int
    name: str
    type: str
    text: str
    case_sensitive: bool
    ambiguous: bool
    blocked: bool


@dataclass(frozen=True)
class EntityLookup:
    """The entity a slug names now; ``moved`` when the slug is an old one that redirects."""

    entity: Entity
    moved: bool = False


@dataclass(frozen=True)
class ArticleEntity:
    """One entity as an article shows it: "In this story" and the article API."""

    name: str
    slug: str
    type: str
    count: int
    confidence: float
    url: str
    wikidata_id: str = ""


def aliases_version() -> str:
    """A stamp that changes whenever an entity or alias does; workers rebuild their matcher on a change."""
    version = cache.get(ALIASES_VERSION_KEY)
    if version is None:
        # The cache lost it (eviction, restart): start a new one, which every worker will see as a change.
        cache.add(ALIASES_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(ALIASES_VERSION_KEY)
    return version


def alias_table_rows() -> list[AliasRow]:
    """The alias table tagging compiles: approved entities, and blocked ones marked to suppress their names.

    Each entity's canonical name is one of its aliases, unless an alias row already says how
    to match that text. Suggested entities are not tagged until an editor approves them.
    """
    wanted = [Entity.Status.APPROVED, Entity.Status.BLOCKED]
    blocked = Entity.Status.BLOCKED
    aliases = Alias.objects.filter(entity__status__in=wanted).values_list(
        "entity_id", "entity__name", "entity__type", "text", "case_sensitive", "ambiguous", "entity__status"
    )
    rows = [AliasRow(*row[:6], row[6] == blocked) for row in aliases]
    spelled = {(row.entity_id, row.text) for row in rows}
    names = Entity.objects.filter(status__in=wanted).values_list("id", "name", "type", "status")
    rows.extend(
        AliasRow(pk, name, type_, name, False, False, status == blocked)
        for pk, name, type_, status in names
        if (pk, name) not in spelled
    )
    return rows


def entity_can_see_blocked(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm("entities.view_entity"))


def entity_list(*, filters: dict | None = None, user=None) -> QuerySet[Entity]:
    """Entities ``user`` may read, filtered by ``EntityFilter``, by name."""
    queryset = Entity.objects.order_by("name", "id")
    if not entity_can_see_blocked(user):
        queryset = queryset.exclude(status=Entity.Status.BLOCKED)
    return EntityFilter(filters, queryset=queryset).qs


def entity_lookup(*, slug: str, queryset: QuerySet[Entity] | None = None) -> EntityLookup | None:
    """The entity ``slug`` names, following the redirects merges and renames left behind.

    An old numeric id resolves too, so links built from ids survive a merge.
    """
    queryset = Entity.objects.all() if queryset is None else queryset
    entity = queryset.filter(slug=slug).first()
    if entity is not None:
        return EntityLookup(entity)
    redirect = EntityRedirect.objects.filter(old_slug=slug).values_list("entity_id", flat=True).first()
    # isdigit() alone takes "³" or "٣" for digits, which int() refuses.
    if redirect is None and slug.isascii() and slug.isdigit():
        entity = queryset.filter(pk=int(slug)).first()
        if entity is not None:
            return EntityLookup(entity, moved=True)
        redirect = EntityRedirect.objects.filter(old_id=int(slug)).values_list("entity_id", flat=True).first()
    if redirect is None:
        return None
    entity = queryset.filter(pk=redirect).first()
    return EntityLookup(entity, moved=True) if entity is not None else None


def entity_articles(*, entity: Entity) -> QuerySet[Article]:
    """Published stories that mention ``entity``, newest first."""
    return (
        Article.objects.published()
        .filter(mentions__entity=entity)
        .select_related("agency")
        .order_by(*ARTICLE_ORDERING)
    )


def articles_mentioning_filter(
    queryset: QuerySet[Article], value: str
) -> tuple[QuerySet[Article], str | None]:
    """The public search's ``entity`` filter (``articles.hooks.PUBLIC_FILTERS``): the stories of
    ``queryset`` that mention the entity ``value`` names (a slug, old slugs and ids followed),
    and its name. A blocked or unknown entity leaves nothing."""
    found = entity_lookup(slug=value.strip(), queryset=Entity.objects.exclude(status=Entity.Status.BLOCKED))
    if found is None:
        return queryset.none(), None
    # EXISTS rather than a join, so a story is listed once however its mentions are stored.
    mentions = Mention.objects.filter(article=OuterRef("pk"), entity=found.entity)
    return queryset.filter(Exists(mentions)), found.entity.name


def article_mentions_prefetch() -> Prefetch:
    """Loads the entities of many articles in one query, onto ``article.entity_mentions``."""
    return Prefetch(
        "mentions",
        queryset=Mention.objects.exclude(entity__status=Entity.Status.BLOCKED)
        .select_related("entity")
        .order_by("-count", "entity__name", "entity_id"),
        to_attr="entity_mentions",
    )


def article_entity_summaries(mentions) -> list[ArticleEntity]:
    return [
        ArticleEntity(
            name=m.entity.name,
            slug=m.entity.slug,
            type=m.entity.type,
            count=m.count,
            confidence=round(m.confidence, 3),
            url=m.entity.get_absolute_url(),
            wikidata_id=m.entity.wikidata_id,
        )
        for m in mentions
    ]


def article_entities_cache_key(article_id: int, version: str | None = None) -> str:
    # "v2": entries carry the Wikidata id since; older ones are never read.
    return f"entities:article:v2:{article_id}:{version or aliases_version()}"


def article_entities(*, article: Article) -> list[ArticleEntity]:
    """The entities ``article`` mentions, most mentioned first.

    Uses ``article_mentions_prefetch`` when it ran; otherwise cached per article.
    A merge, rename or block changes the aliases version and so every key.
    """
    prefetched = getattr(article, "entity_mentions", None)
    if prefetched is not None:
        return article_entity_summaries(prefetched)
    # Kept on the instance too: a page asks twice (its JSON-LD and "In this story") and reads once.
    entities = getattr(article, "_article_entities", None)
    if entities is not None:
        return entities
    key = article_entities_cache_key(article.pk)
    entities = cache.get(key)
    if entities is None:
        mentions = (
            Mention.objects.filter(article_id=article.pk)
            .exclude(entity__status=Entity.Status.BLOCKED)
            .select_related("entity")
            .order_by("-count", "entity__name", "entity_id")
        )
        entities = article_entity_summaries(mentions)
        cache.set(key, entities, ARTICLE_ENTITIES_TTL)
    article._article_entities = entities
    return entities


class MentionIndex:
    """The entity index related scoring reads (``articles.related.entities.EntityIndex``), from mentions.

    Every read is one range of the (entity, article) or (article, entity) index of ``Mention``.
    """

    def article_entities(self, article_id: int) -> list[tuple[int, str, int]]:
        return list(
            Mention.objects.filter(article_id=article_id).values_list("entity_id", "entity__name", "count")
        )

    def nearest_articles(self, entity_id: int, *, pivot: int, limit: int) -> tuple[list[int], bool]:
        queryset = Mention.objects.filter(entity_id=entity_id).values_list("article_id", flat=True)
        return nearest_ids(queryset, "article_id", pivot, limit)

    def shared(self, article_ids: list[int], entity_ids: list[int]):
        return Mention.objects.filter(article_id__in=article_ids, entity_id__in=entity_ids).values_list(
            "article_id", "entity_id", "count"
        )

    def frequency(self, entity_id: int, *, cap: int) -> int:
        return Mention.objects.filter(entity_id=entity_id).order_by()[:cap].count()
