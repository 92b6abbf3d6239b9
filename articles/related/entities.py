"""The entity side of related scoring: which stories name which entities, through the registered index.

Articles store no entities. The app that tags them registers one ``EntityIndex`` at
``hooks.RELATED_ENTITIES`` (``entities`` does, from its mentions); without one, stories
are related by their text alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from articles import hooks


class EntityIndex(Protocol):
    def article_entities(self, article_id: int) -> list[tuple[int, str, int]]:
        """(entity id, name, times named) for each entity the article names."""

    def nearest_articles(self, entity_id: int, *, pivot: int, limit: int) -> tuple[list[int], bool]:
        """Up to ``limit`` ids of stories naming the entity, nearest ``pivot`` in id (at most half
        of them later), and whether that was every story naming it."""

    def shared(self, article_ids: list[int], entity_ids: list[int]) -> Iterable[tuple[int, int, int]]:
        """(article id, entity id, times named) for the stories among ``article_ids`` naming those entities."""

    def frequency(self, entity_id: int, *, cap: int) -> int:
        """How many stories name the entity, counted up to ``cap``."""


class NoEntities:
    """The index when no app tags entities: nothing is named, so only text relates stories."""

    def article_entities(self, article_id: int) -> list[tuple[int, str, int]]:
        return []

    def nearest_articles(self, entity_id: int, *, pivot: int, limit: int) -> tuple[list[int], bool]:
        return [], True

    def shared(self, article_ids: list[int], entity_ids: list[int]) -> Iterable[tuple[int, int, int]]:
        return []

    def frequency(self, entity_id: int, *, cap: int) -> int:
        return 0


def entity_index() -> EntityIndex:
    """The registered index (the last one registered), or ``NoEntities``."""
    indexes = hooks.registered(hooks.RELATED_ENTITIES)
    return indexes[-1] if indexes else NoEntities()


def nearest_ids(queryset, field: str, pivot: int, limit: int) -> tuple[list[int], bool]:
    """Up to ``limit`` values of ``field`` nearest ``pivot`` (at most half of them later than it),
    and whether that was every value."""
    half = max(limit // 2, 1)
    before = list(queryset.filter(**{f"{field}__lt": pivot}).order_by(f"-{field}")[:limit])
    after = list(queryset.filter(**{f"{field}__gt": pivot}).order_by(field)[:half])
    complete = len(before) < limit and len(after) < half
    return before[: limit - len(after)] + after, complete
