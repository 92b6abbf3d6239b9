"""What entities adds to an article page's NewsArticle JSON-LD: ``mentions`` of the entities it names.

Registered on ``articles.hooks.STRUCTURED_DATA``. It reads ``selectors.article_entities``, the list
the page's "In this story" panel reads too, so the page loads it once.
"""

from __future__ import annotations

import re

from articles.seo.site import absolute_url
from entities.models import EntityType
from entities.selectors import article_entities

SCHEMA_TYPES = {
    EntityType.PERSON: "Person",
    EntityType.ORGANIZATION: "Organization",
    EntityType.PLACE: "Place",
}
WIKIDATA_ID = re.compile(r"Q[1-9][0-9]*")
WIKIDATA_ITEM_URL = "https://www.wikidata.org/wiki/{}"


def article_mentions_data(article, request) -> dict:
    """``{"mentions": [...]}``: each entity with its type, page and, when known, its Wikidata item."""
    mentions = []
    for entity in article_entities(article=article):
        mention = {
            "@type": SCHEMA_TYPES.get(entity.type, "Thing"),
            "name": entity.name,
            "url": absolute_url(request, entity.url),
        }
        if WIKIDATA_ID.fullmatch(entity.wikidata_id):
            mention["sameAs"] = WIKIDATA_ITEM_URL.format(entity.wikidata_id)
        mentions.append(mention)
    return {"mentions": mentions} if mentions else {}
