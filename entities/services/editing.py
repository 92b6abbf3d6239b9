"""Editors' changes to entities: create, merge, rename, block, approve.

Each action takes the acting user as ``by`` (None: the system), checks the permission and
writes the change log (``newsroom.audit``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from entities.models import Alias, Entity, EntityRedirect, EntitySuggestion, Mention
from newsroom import audit
from newsroom.slugs import slug_candidates, unique_slug


class EntityError(Exception):
    """An editor's change that cannot be made; the message says why."""


# Entity slugs: ``paris``, then ``paris-place`` (when a person took ``paris``), then ``paris-2``…
ENTITY_SLUG = {"max_length": 300, "fallback": "entity"}


def entity_slug_candidates(name: str, entity_type: str = ""):
    return slug_candidates(name, variant=entity_type, **ENTITY_SLUG)


def entity_unique_slug(name: str, *, entity_type: str = "", exclude_pk: int | None = None) -> str:
    """A slug for ``name`` that no entity has and no old link points at."""

    def taken(slug: str) -> bool:
        entities = Entity.objects.filter(slug=slug)
        redirects = EntityRedirect.objects.filter(old_slug=slug)
        if exclude_pk is not None:
            entities = entities.exclude(pk=exclude_pk)
            redirects = redirects.exclude(entity_id=exclude_pk)
        return entities.exists() or redirects.exists()

    return unique_slug(name, taken=taken, variant=entity_type, **ENTITY_SLUG)


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
def entity_save(
    *, entity: Entity, by, fields: list[str] | tuple[str, ...] = (), created: bool = False
) -> Entity:
    """Save an editor's edit of ``entity`` (a new one when ``created``); ``fields`` are those changed.

    A new name or slug goes through ``entity_rename``: the old slug redirects and the old name
    stays an alias, so stories that use it are still tagged.
    """
    audit.permission_require(by, "entities.add_entity" if created else "entities.change_entity")
    if created:
        entity.save()
        audit.change_log(by, [entity], [{"added": {}}], action=audit.ADDITION)
        return entity
    new_name, new_slug = entity.name, entity.slug
    renaming = bool({"name", "slug"} & set(fields))
    if renaming:
        original = Entity.objects.get(pk=entity.pk)
        entity.name, entity.slug = original.name, original.slug
    entity.save()
    others = [name for name in fields if name not in ("name", "slug")]
    if others:
        audit.change_log(by, [entity], audit.fields_changed(entity, others))
    if renaming:
        renamed = entity_rename(
            entity=entity, name=new_name, slug=new_slug if "slug" in fields else None, by=by
        )
        entity.name, entity.slug = renamed.name, renamed.slug
    return entity


def entity_aliases_save(*, entity: Entity, by, aliases: list[Alias] = (), removed: list[Alias] = ()) -> None:
    """Save an editor's aliases of ``entity`` and remove ``removed``; the matcher is rebuilt after."""
    audit.permission_require(by, "entities.change_entity")
    with transaction.atomic():
        for alias in aliases:
            alias.entity = entity
            alias.save()
        for alias in removed:
            if alias.entity_id == entity.pk:
                alias.delete()
        audit.change_log(by, [entity], "Changed the aliases.")


@transaction.atomic
def entity_merge(*, source: Entity, target: Entity, by) -> Entity:
    """Fold ``source`` into ``target``: mentions and aliases move, and ``source``'s slug and id redirect.

    Where an article mentions both, the counts add up into one mention.
    """
    audit.permission_require(by, "entities.change_entity")
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
    audit.change_log(by, [target], f"Merged in {source.name}.")
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
    *, entity: Entity, name: str, slug: str | None = None, keep_old_name: bool = True, by
) -> Entity:
    """Give ``entity`` a new canonical name (and by default a slug to match); the old slug redirects.

    The old name stays as an alias, so stories that use it are still tagged.
    """
    audit.permission_require(by, "entities.change_entity")
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
    audit.change_log(by, [entity], f"Renamed from {old_name} (/entities/{old_slug}/).")
    return entity


@transaction.atomic
def entity_block(*, entity: Entity, by) -> int:
    """Block a false positive everywhere: its mentions go and nothing tags it again.

    Returns how many mentions were removed.
    """
    audit.permission_require(by, "entities.change_entity")
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    removed, _ = Mention.objects.filter(entity=entity).delete()
    if entity.status != Entity.Status.BLOCKED:
        entity.status = Entity.Status.BLOCKED
        entity.save(update_fields=["status", "updated_at"])
    names = [entity.name, *entity.aliases.values_list("text", flat=True)]
    suggestions_rule(
        EntitySuggestion.objects.filter(status=EntitySuggestion.Status.OPEN, name__in=names),
        status=EntitySuggestion.Status.BLOCKED,
        entity=entity,
        by=by,
    )
    audit.change_log(by, [entity], "Blocked everywhere.")
    return removed


@transaction.atomic
def entity_approve(*, entity: Entity, by) -> Entity:
    """Approve a suggested or blocked entity; articles pick it up when they are next tagged."""
    audit.permission_require(by, "entities.change_entity")
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    if entity.status != Entity.Status.APPROVED:
        entity.status = Entity.Status.APPROVED
        entity.save(update_fields=["status", "updated_at"])
        audit.change_log(by, [entity], "Approved.")
    return entity


def suggestions_rule(queryset, *, status: str, entity: Entity, by) -> list[int]:
    """Record an editor's ruling on suggestions; returns the articles they came from."""
    article_ids = sorted(set(queryset.values_list("article_id", flat=True)))
    queryset.update(status=status, entity=entity, resolved_by=by, resolved_at=timezone.now())
    return article_ids
