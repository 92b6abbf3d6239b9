"""Related articles: keywords, scoring, candidates from the indexes, and incremental list upkeep.

``keywords``  the distinctive terms of a story (and the v1 overlap score, kept as a baseline)
``scoring``   how related two stories are, with the reasons; pure Python
``lists``     top-K lists with one item per story cluster; pure Python
``index``     candidates from the entity and text indexes, and the cached corpus statistics
``refresh``   the writes: an article's list, its neighbours' lists, withdrawal, editors' changes
"""

from articles.related import tasks  # noqa: F401 - registers the backfill task with Celery
from articles.related.keywords import article_keywords, keyword_similarity
from articles.related.refresh import (
    article_related_links_edited,
    article_related_refresh,
    article_related_withdraw,
)

__all__ = [
    "article_keywords",
    "article_related_links_edited",
    "article_related_refresh",
    "article_related_withdraw",
    "keyword_similarity",
]
