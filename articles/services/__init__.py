"""Every write to articles, one module a job.

``ingest``     pages stored as they arrived, sent to extraction; fetching a URL
``extract``    a stored page into its article, the outcome recorded on the page
``agencies``   agencies found by name or alias, created when copy credits a new one
``editorial``  editors' actions: save an edit, publish, unpublish, related links, re-extract

What follows each write (cluster, tag, relate) is decided in ``articles.pipeline``.
"""

from articles.services.agencies import agency_resolve, agency_unique_slug
from articles.services.editorial import (
    article_publish,
    article_related_links_save,
    article_save,
    article_unique_slug,
    article_unpublish,
    raw_documents_reextract,
)
from articles.services.extract import article_extract, raw_document_fail
from articles.services.ingest import (
    IngestError,
    IngestResult,
    ingest_size_check,
    raw_document_ingest,
    raw_document_reextract,
    source_fetch,
)

__all__ = [
    "IngestError",
    "IngestResult",
    "agency_resolve",
    "agency_unique_slug",
    "article_extract",
    "article_publish",
    "article_related_links_save",
    "article_save",
    "article_unique_slug",
    "article_unpublish",
    "ingest_size_check",
    "raw_document_fail",
    "raw_document_ingest",
    "raw_document_reextract",
    "raw_documents_reextract",
    "source_fetch",
]
