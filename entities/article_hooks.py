"""What entities adds to articles, through ``articles.hooks``: articles itself never imports entities.

- the admin: the "entity mentioned" filter, the mentions section, the "Re-tag" action;
- the API: every article's ``entities``, loaded for a whole page at once, and its ninjs subjects;
- the public article page: the "In this story" panel, and ``mentions`` in its NewsArticle JSON-LD;
- related scoring: the entity index read from mentions;
- the public search: its ``entity`` filter.

Imported from ``EntitiesConfig.ready()``, with the tasks: each registers itself as a step of
``articles.pipeline`` (``tag`` and the re-tag steps).
"""

from articles import hooks
from entities import tasks  # noqa: F401 - registers the pipeline steps
from entities.admin import MentionedEntityFilter, article_mentions, retag_articles
from entities.api.ninjs import article_ninjs_subjects
from entities.api.serializers import ArticleEntitiesField
from entities.selectors import MentionIndex, article_mentions_prefetch, articles_mentioning_filter
from entities.structured_data import article_mentions_data

MENTION_INDEX = MentionIndex()


def register() -> None:
    hooks.register(hooks.ADMIN_LIST_FILTERS, MentionedEntityFilter)
    hooks.register(hooks.ADMIN_FIELDSETS, ("Entities", (article_mentions,)))
    hooks.register(hooks.ADMIN_ACTIONS, (retag_articles, ["entities.add_retagjob"]))
    hooks.register(hooks.API_FIELDS, ("entities", ArticleEntitiesField))
    hooks.register(hooks.API_PREFETCH, article_mentions_prefetch)
    hooks.register(hooks.PAGE_PANELS, "entities/_article_entities.html")
    hooks.register(hooks.STRUCTURED_DATA, article_mentions_data)
    hooks.register(hooks.NINJS_SUBJECTS, article_ninjs_subjects)
    hooks.register(hooks.RELATED_ENTITIES, MENTION_INDEX)
    hooks.register(hooks.PUBLIC_FILTERS, ("entity", articles_mentioning_filter))
