"""Seeded knowledge: countries, cities, organisations and agencies loaded into the entity tables."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from entities.models import Alias, Entity, EntityRedirect, EntityType
from entities.services.editing import entity_slug_candidates
from entities.services.engine import aliases_version_bump, engine_starter_records


@dataclass(frozen=True)
class KnowledgeLoadResult:
    entities_created: int
    aliases_created: int
    records: int


def knowledge_load(
    *, records: Iterable[tuple[str, str, str, str, bool, bool]] | None = None
) -> KnowledgeLoadResult:
    """Load countries, cities, organisations and agencies into the entity tables; safe to run again.

    ``records`` are (key, canonical name, type, alias text, case-sensitive, ambiguous);
    by default the engine's starter set. Entities and aliases already there, and
    editors' changes to them (a block, a rename), are left as they are.
    """
    records = list(engine_starter_records() if records is None else records)
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
            slug = next(slug for slug in entity_slug_candidates(name, entity_type) if slug not in taken)
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
