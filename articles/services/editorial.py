"""Editors' actions on articles: save an edit, change related links, re-extract (moves: ``workflow``).

Each action takes the acting user as ``by`` (None: the system), checks the permission and
writes the change log (``newsroom.audit``), whichever of the admin, the API or a command
calls it; what must happen next is reported to ``articles.pipeline``.
"""

from __future__ import annotations

from django.db import transaction

from articles import pipeline, revisions, workflow
from articles.flags import flag_fix, flag_fix_label
from articles.models import Article, ExtractionReport, RelatedLink
from articles.related.keywords import article_keywords
from articles.related.refresh import article_related_links_edited
from articles.services.ingest import raw_document_reextract
from newsroom import audit, page_cache
from newsroom.slugs import unique_slug

# Text that tagging reads and the related index weighs: a change to either is re-tagged.
TEXT_FIELDS = frozenset({"headline", "body_text"})
# What extraction writes; what the desk changes of it, re-extraction leaves alone.
EXTRACTED_FIELDS = frozenset(
    {
        "headline",
        "dateline_text",
        "dateline_place",
        "agency",
        "published_at",
        "published_precision",
        "body_text",
        "body_html",
        "language",
        "source_url",
        "legacy_view_count",
        "standfirst",
        "authors",
        "section",
        "tags",
        "lead_image_url",
    }
)


def article_unique_slug(headline: str, *, exclude_pk: int | None = None) -> str:
    def taken(slug: str) -> bool:
        return Article.objects.filter(slug=slug).exclude(pk=exclude_pk).exists()

    return unique_slug(headline, taken=taken, max_length=200, fallback="article")


@transaction.atomic
def article_save(
    *,
    article: Article,
    by,
    fields: list[str] | tuple[str, ...] = (),
    created: bool = False,
    reason: str = "",
) -> Article:
    """Save an editor's edit of ``article``; ``fields`` are those the editor changed.

    An edit of a live story, or of the fields that time it, needs the permission to publish as
    well (``workflow.edit_permissions``): it reaches readers as it is saved.

    The body readers see is the text saved (its paragraphs, escaped), and the keywords the
    related index reads follow it. New text is tagged again (and a published story's related
    list follows the tags); a new body is checked for duplicates.
    """
    audit.permission_require(
        by, *workflow.edit_permissions(status=article.status, fields=fields, created=created)
    )
    # A browser's textarea sends CRLF; paragraphs are split on blank lines of plain LF.
    article.body_text = article.body_text.replace("\r\n", "\n").replace("\r", "\n")
    if created or ("body_text" in fields and "body_html" not in fields):
        # One body: readers see the text the editor saved. Extraction's HTML of the old text goes.
        article.body_html = article.paragraphs_html()
    article.keywords = article_keywords(article.headline, article.body_text)
    if not created:
        # Re-extraction keeps what the desk changed of the extracted story.
        edited = set(fields) & EXTRACTED_FIELDS | ({"body_html"} if "body_text" in fields else set())
        article.edited_fields = sorted(set(article.edited_fields or ()) | edited)
    revisions.revision_stamp(article, by=by, reason=reason or _edit_reason(fields, created))
    article.save()
    if created:
        audit.change_log(by, [article], [{"added": {}}], action=audit.ADDITION)
    elif fields:
        audit.change_log(by, [article], audit.fields_changed(article, fields))
    if article.status == Article.Status.PUBLISHED:
        # Readers see the edit as it commits: the public pages' cache turns over then.
        transaction.on_commit(page_cache.site_changed)
    pipeline.article_edited(
        article_id=article.pk,
        published=article.status == Article.Status.PUBLISHED,
        text=created or bool(TEXT_FIELDS & set(fields)),
        body=created or "body_text" in fields,
    )
    return article


def _edit_reason(fields, created: bool) -> str:
    if created:
        return "Written."
    names = [str(Article._meta.get_field(name).verbose_name) for name in fields]
    return f"Edited: {', '.join(names)}." if names else "Saved."


class FixRefused(Exception):
    """A one-click fix that no longer applies; the message says why."""


@transaction.atomic
def article_flag_fix(*, article: Article, by, index: int) -> Article:
    """Apply the one-click fix of the article's flag number ``index``: a new revision, the flag settled."""
    audit.permission_require(by, *workflow.edit_permissions(status=article.status))
    article = Article.objects.select_for_update().get(pk=article.pk)
    report = ExtractionReport.objects.filter(article=article).first()
    flags = list(report.flagged) if report is not None else []
    if not 0 <= index < len(flags):
        raise FixRefused("That flag is no longer on the story.")
    label = flag_fix_label(flags[index])
    fixed = flag_fix(article.body_text, flags[index])
    if label is None or fixed is None:
        raise FixRefused("The text has changed since it was flagged: fix it by hand.")
    article.body_text = fixed
    article_save(
        article=article, by=by, fields=["body_text"], reason=f"Fixed: {label[0].lower()}{label[1:]}."
    )
    report.flagged = flags[:index] + flags[index + 1 :]
    report.save(update_fields=["flagged", "updated_at"])
    return article


@transaction.atomic
def article_revert(*, article: Article, record, by) -> Article:
    """Put back the story's text and facts as revision ``record`` had them (its state stays: that is a move)."""
    audit.permission_require(by, *workflow.edit_permissions(status=article.status))
    changed = []
    for name in sorted(EXTRACTED_FIELDS):
        attname = Article._meta.get_field(name).attname
        value = getattr(record, attname)
        if getattr(article, attname) != value:
            setattr(article, attname, value)
            changed.append(name)
    if changed:
        when = record.history_date.strftime("%Y-%m-%d %H:%M")
        article_save(article=article, by=by, fields=changed, reason=f"Reverted to the revision of {when}.")
    return article


@transaction.atomic
def article_related_links_save(
    *, article: Article, by, links: list[RelatedLink] = (), removed: list[RelatedLink] = ()
) -> None:
    """Save an editor's pins and blocks (``links``) and remove ``removed`` links of ``article``.

    A pinned or blocked target leaves the computed list at once; the list is refilled after. A
    live story's list is what its readers see: changing it needs the permission to publish.
    """
    audit.permission_require(by, *workflow.edit_permissions(status=article.status))
    for link in links:
        link.from_article = article
        link.save()
    RelatedLink.objects.filter(from_article=article, pk__in=[link.pk for link in removed]).delete()
    article_related_links_edited(article=article)
    if article.status == Article.Status.PUBLISHED:
        transaction.on_commit(page_cache.site_changed)
    audit.change_log(by, [article], "Changed the related links.")


def raw_documents_reextract(*, raw_documents, by, discard_edits: bool = False) -> int:
    """Send stored documents through extraction again; how many were sent.

    Their stories keep the desk's edits unless ``discard_edits``, which needs the permission to
    change stories as well.
    """
    audit.permission_require(by, "articles.change_rawdocument")
    if discard_edits:
        audit.permission_require(by, "articles.change_article")
    raw_documents = list(raw_documents)
    for raw_document in raw_documents:
        raw_document_reextract(raw_document=raw_document, discard_edits=discard_edits)
    message = (
        "Sent back to extraction, replacing the desk's edits."
        if discard_edits
        else "Sent back to extraction."
    )
    audit.change_log(by, raw_documents, message)
    return len(raw_documents)
