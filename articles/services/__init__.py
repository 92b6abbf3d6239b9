"""Every write to articles, one module a job.

``ingest``     pages stored as they arrived, sent to extraction; fetching a URL
``extract``    a stored page into its article, the outcome recorded on the page
``agencies``   agencies found by name or alias, created when copy credits a new one
``editorial``  editors' actions: save an edit, related links, re-extract
``workflow``   the moves of a story's life: submit, mark ready, schedule, publish, kill, archive

What follows each write (cluster, tag, relate) is decided in ``articles.pipeline``.
"""

from articles.services.agencies import agency_resolve, agency_unique_slug
from articles.services.editorial import (
    FixRefused,
    article_flag_fix,
    article_related_links_save,
    article_revert,
    article_save,
    article_unique_slug,
    raw_documents_reextract,
)
from articles.services.extract import article_extract, raw_document_fail
from articles.services.ingest import (
    FeedNotPageError,
    IngestError,
    IngestResult,
    ingest_fetch_policy,
    ingest_read,
    ingest_size_check,
    raw_document_ingest,
    raw_document_reextract,
    source_fetch,
)
from articles.services.workflow import (
    MoveRefused,
    article_archive,
    article_correct,
    article_kill,
    article_mark_ready,
    article_move,
    article_publish,
    article_schedule,
    article_send_back,
    article_submit,
    article_unpublish,
    article_unschedule,
    articles_expire_due,
    articles_publish_due,
)

__all__ = [
    "FeedNotPageError",
    "FixRefused",
    "IngestError",
    "IngestResult",
    "MoveRefused",
    "agency_resolve",
    "agency_unique_slug",
    "article_archive",
    "article_correct",
    "article_extract",
    "article_flag_fix",
    "article_kill",
    "article_mark_ready",
    "article_move",
    "article_publish",
    "article_related_links_save",
    "article_revert",
    "article_save",
    "article_schedule",
    "article_send_back",
    "article_submit",
    "article_unique_slug",
    "article_unpublish",
    "article_unschedule",
    "articles_expire_due",
    "articles_publish_due",
    "ingest_fetch_policy",
    "ingest_read",
    "ingest_size_check",
    "raw_document_fail",
    "raw_document_ingest",
    "raw_document_reextract",
    "raw_documents_reextract",
    "source_fetch",
]
