"""Every write to entities, one module a job.

``engine``       the tagging engine compiled from the alias table, rebuilt when it changes
``mentions``     tagging articles: their mentions and the names suggested for the queue
``editing``      editors' actions on entities: create, merge, rename, block, approve
``suggestions``  editors' rulings on suggested names: approve, add as an alias, block
``retag``        background re-tag jobs, cut into chunks any number of workers share
``knowledge``    the starter knowledge: countries, cities, organisations, agencies

What follows a change (tagging articles again, their related lists) is decided in
``articles.pipeline``.
"""

from entities.services.editing import (
    EntityError,
    entity_aliases_save,
    entity_approve,
    entity_block,
    entity_create,
    entity_merge,
    entity_rename,
    entity_save,
    entity_unique_slug,
)
from entities.services.engine import (
    CompiledTagger,
    EntityFound,
    NameSuggested,
    TagFindings,
    aliases_version_bump,
    engine_create,
    tagger_build,
    tagger_get,
)
from entities.services.knowledge import KnowledgeLoadResult, knowledge_load
from entities.services.mentions import (
    article_findings_save,
    article_tag,
    article_tagging_fail,
    article_tagging_text,
    articles_tag_batch,
)
from entities.services.retag import (
    articles_retag,
    retag_chunk_run,
    retag_job_fail,
    retag_job_plan,
)
from entities.services.suggestions import (
    suggestion_add_as_alias,
    suggestion_approve,
    suggestion_block,
    suggestion_retype,
)

__all__ = [
    "CompiledTagger",
    "EntityError",
    "EntityFound",
    "KnowledgeLoadResult",
    "NameSuggested",
    "TagFindings",
    "aliases_version_bump",
    "article_findings_save",
    "article_tag",
    "article_tagging_fail",
    "article_tagging_text",
    "articles_retag",
    "articles_tag_batch",
    "engine_create",
    "entity_aliases_save",
    "entity_approve",
    "entity_block",
    "entity_create",
    "entity_merge",
    "entity_rename",
    "entity_save",
    "entity_unique_slug",
    "knowledge_load",
    "retag_chunk_run",
    "retag_job_fail",
    "retag_job_plan",
    "suggestion_add_as_alias",
    "suggestion_approve",
    "suggestion_block",
    "suggestion_retype",
    "tagger_build",
    "tagger_get",
]
