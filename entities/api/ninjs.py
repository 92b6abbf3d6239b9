"""The entities an article mentions, as ninjs 2.1 people, organisations, places and subjects.

Registered on ``articles.hooks.NINJS_SUBJECTS``: articles builds the ninjs object and never
imports entities. An entity's ``uri`` is its Wikidata item where the desk recorded one (the
identifier partners can match across sources), else its page here.
"""

from __future__ import annotations

from entities.models import Entity, EntityType, Mention

WIKIDATA = "http://www.wikidata.org/entity/{}"
# ninjs keeps each kind in its own list; a thing that is none of these is a subject.
KEYS = {
    EntityType.PERSON: "people",
    EntityType.ORGANIZATION: "organisations",
    EntityType.PLACE: "places",
}


def article_ninjs_subjects(article, absolute) -> dict[str, list[dict]]:
    mentions = (
        Mention.objects.filter(article_id=article.pk)
        .exclude(entity__status=Entity.Status.BLOCKED)
        .select_related("entity")
        .order_by("-count", "entity__name", "entity_id")
    )
    found: dict[str, list[dict]] = {}
    for mention in mentions:
        entity = mention.entity
        key = KEYS.get(entity.type, "subjects")
        item = {
            "name": entity.name,
            "rel": "mentioned",
            "uri": WIKIDATA.format(entity.wikidata_id)
            if entity.wikidata_id
            else absolute(entity.get_absolute_url()),
            "literal": entity.slug,
        }
        if key == "subjects":
            # Only subjects carry a confidence in ninjs: a whole percentage.
            item["confidence"] = max(0, min(100, round(mention.confidence * 100)))
        found.setdefault(key, []).append(item)
    return found
