"""The suggestion queue: names tagging found that no entity has, ruled on by editors.

One ruling settles every open suggestion of the same name and type, and the articles they
came from are tagged again.
"""

from __future__ import annotations

from django.db import transaction

from articles import pipeline
from entities.models import Alias, Entity, EntitySuggestion, EntityType
from entities.services.editing import EntityError, entity_create, suggestions_rule
from newsroom import audit


def _suggestion_and_siblings(suggestion: EntitySuggestion):
    """The suggestion and the open ones of the same name and type in other articles: one ruling settles them all."""
    return EntitySuggestion.objects.filter(
        status=EntitySuggestion.Status.OPEN, name=suggestion.name, type=suggestion.type
    ) | EntitySuggestion.objects.filter(pk=suggestion.pk)


def suggestion_approve(
    *, suggestion: EntitySuggestion, name: str | None = None, type: str | None = None, by
) -> Entity:
    """Make a suggestion a new entity (or the existing one of that name), and tag its articles again."""
    audit.permission_require(by, "entities.change_entitysuggestion")
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
        article_ids = suggestions_rule(
            _suggestion_and_siblings(suggestion),
            status=EntitySuggestion.Status.APPROVED,
            entity=entity,
            by=by,
        )
        audit.change_log(by, [suggestion], f"Approved as the entity {entity}.")
        pipeline.articles_retag(article_ids=article_ids)
    return entity


def suggestion_add_as_alias(*, suggestion: EntitySuggestion, entity: Entity, by) -> Alias:
    """Make a suggested name an alias of an existing entity, and tag its articles again."""
    audit.permission_require(by, "entities.change_entitysuggestion")
    if entity.status == Entity.Status.BLOCKED:
        raise EntityError(f"{entity} is blocked.")
    with transaction.atomic():
        alias, _ = Alias.objects.get_or_create(entity=entity, text=suggestion.name)
        article_ids = suggestions_rule(
            _suggestion_and_siblings(suggestion), status=EntitySuggestion.Status.ALIASED, entity=entity, by=by
        )
        audit.change_log(by, [suggestion], f"Added as an alias of {entity}.")
        pipeline.articles_retag(article_ids=article_ids)
    return alias


@transaction.atomic
def suggestion_retype(*, suggestion: EntitySuggestion, type: str, by) -> EntitySuggestion:
    """Correct the type the model guessed for an open suggestion (a person, not a place), before a ruling."""
    audit.permission_require(by, "entities.change_entitysuggestion")
    if type not in EntityType.values:
        raise EntityError(f"{type!r} is not a type of entity.")
    if suggestion.status != EntitySuggestion.Status.OPEN:
        raise EntityError("Only an open suggestion can change its type.")
    old = suggestion.get_type_display()
    EntitySuggestion.objects.filter(pk=suggestion.pk).update(type=type)
    suggestion.type = type
    audit.change_log(by, [suggestion], f"Type changed from {old} to {suggestion.get_type_display()}.")
    return suggestion


@transaction.atomic
def suggestion_block(*, suggestion: EntitySuggestion, by) -> Entity:
    """Never suggest this name again: it becomes a blocked entity."""
    audit.permission_require(by, "entities.change_entitysuggestion")
    entity = Entity.objects.filter(name=suggestion.name, type=suggestion.type).first()
    if entity is None:
        entity = entity_create(name=suggestion.name, type=suggestion.type, status=Entity.Status.BLOCKED)
    elif entity.status != Entity.Status.BLOCKED:
        raise EntityError(f"{entity} is an entity in use: block it from the entity list if it is wrong.")
    suggestions_rule(
        _suggestion_and_siblings(suggestion), status=EntitySuggestion.Status.BLOCKED, entity=entity, by=by
    )
    audit.change_log(by, [suggestion], "Blocked: never suggested or tagged again.")
    return entity
