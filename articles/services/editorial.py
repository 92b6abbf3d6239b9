"""Editors' actions on articles: save an edit, publish, unpublish, change related links, re-extract.

Each action takes the acting user as ``by`` (None: the system), checks the permission and
writes the change log (``newsroom.audit``), whichever of the admin, the API or a command
calls it; what must happen next is reported to ``articles.pipeline``.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

from articles import pipeline
from articles.models import Article, RelatedLink
from articles.related.keywords import article_keywords
from articles.related.refresh import article_related_links_edited, article_related_withdraw
from articles.selectors import article_published_cache_key
from articles.services.ingest import raw_document_reextract
from newsroom import audit
from newsroom.slugs import unique_slug

# Text that tagging reads and the related index weighs: a change to either is re-tagged.
TEXT_FIELDS = frozenset({"headline", "body_text"})


def article_unique_slug(headline: str, *, exclude_pk: int | None = None) -> str:
    def taken(slug: str) -> bool:
        return Article.objects.filter(slug=slug).exclude(pk=exclude_pk).exists()

    return unique_slug(headline, taken=taken, max_length=200, fallback="article")


@transaction.atomic
def article_save(
    *, article: Article, by, fields: list[str] | tuple[str, ...] = (), created: bool = False
) -> Article:
    """Save an editor's edit of ``article``; ``fields`` are those the editor changed.

    The keywords the related index reads follow the text. New text is tagged again (and a
    published story's related list follows the tags); a new body is checked for duplicates.
    """
    audit.permission_require(by, "articles.add_article" if created else "articles.change_article")
    article.keywords = article_keywords(article.headline, article.body_text)
    article.save()
    if created:
        audit.change_log(by, [article], [{"added": {}}], action=audit.ADDITION)
    elif fields:
        audit.change_log(by, [article], audit.fields_changed(article, fields))
    pipeline.article_edited(
        article_id=article.pk,
        published=article.status == Article.Status.PUBLISHED,
        text=created or bool(TEXT_FIELDS & set(fields)),
        body=created or "body_text" in fields,
    )
    return article


@transaction.atomic
def article_publish(*, article: Article, by, relate: bool = True) -> Article:
    """Make an article public; its related list and its neighbours' lists follow.

    ``relate=False`` when the caller reports the article to the pipeline itself: a story
    published as it is extracted has its related refresh after its tags, not before.
    """
    audit.permission_require(by, "articles.change_article")
    if article.status != Article.Status.PUBLISHED:
        article.status = Article.Status.PUBLISHED
        article.save(update_fields=["status", "updated_at"])
        _published_cache_forget(article)
        audit.change_log(by, [article], "Published.")
    if relate:
        pipeline.article_published(article_id=article.pk)
    return article


@transaction.atomic
def article_unpublish(*, article: Article, by) -> Article:
    """Take an article down; it leaves every computed related list at once."""
    audit.permission_require(by, "articles.change_article")
    article.status = Article.Status.DRAFT
    article.save(update_fields=["status", "updated_at"])
    # Out of every computed list, and every cached list that showed it, in this transaction.
    article_related_withdraw(article=article)
    _published_cache_forget(article)
    audit.change_log(by, [article], "Unpublished.")
    return article


@transaction.atomic
def article_related_links_save(
    *, article: Article, by, links: list[RelatedLink] = (), removed: list[RelatedLink] = ()
) -> None:
    """Save an editor's pins and blocks (``links``) and remove ``removed`` links of ``article``.

    A pinned or blocked target leaves the computed list at once; the list is refilled after.
    """
    audit.permission_require(by, "articles.change_article")
    for link in links:
        link.from_article = article
        link.save()
    RelatedLink.objects.filter(from_article=article, pk__in=[link.pk for link in removed]).delete()
    article_related_links_edited(article=article)
    audit.change_log(by, [article], "Changed the related links.")


def raw_documents_reextract(*, raw_documents, by) -> int:
    """Send stored documents through extraction again; how many were sent."""
    audit.permission_require(by, "articles.change_rawdocument")
    raw_documents = list(raw_documents)
    for raw_document in raw_documents:
        raw_document_reextract(raw_document=raw_document)
    audit.change_log(by, raw_documents, "Sent back to extraction.")
    return len(raw_documents)


def _published_cache_forget(article: Article) -> None:
    transaction.on_commit(lambda: cache.delete(article_published_cache_key(article.pk)))
