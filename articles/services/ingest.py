"""Pages in: stored exactly as they arrived, before anything reads them, then sent to extraction."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles import fetcher, furniture, hooks, pipeline
from articles.extraction.sniff import followable_kind
from articles.models import Agency, Article, RawDocument
from articles.services.agencies import agency_resolve
from newsroom import audit


class IngestError(Exception):
    """A source could not be read; nothing was stored."""


class FeedNotPageError(IngestError):
    """The URL is a feed or a sitemap: it lists stories but is none, so it is followed, not ingested.

    ``follow_url`` is where the editor follows it (the sources admin), "" where nothing offers that.
    """

    def __init__(self, url: str, what: str):
        follow = [where for follow in hooks.registered(hooks.FEED_FOLLOW) if (where := follow(url))]
        self.follow_url = follow[0] if follow else ""
        where = f" (the admin's Followed sources: {self.follow_url})" if self.follow_url else ""
        super().__init__(
            f"{url} is {what}, which lists stories but is none: follow it as a source instead{where}, "
            "and each new story in it is fetched and ingested"
        )
        self.url = url


@dataclass(frozen=True)
class IngestResult:
    raw_document: RawDocument
    created: bool


def ingest_size_check(size: int, *, source: str = "") -> None:
    """Refuse a page over ``INGEST_MAX_BYTES``, the most Newsroom stores of one page.

    Extraction has a cap of its own (``EXTRACTION_MAX_BYTES``, the most it works on): a page
    between the two is kept and fails extraction with its reason, so nothing is lost.
    """
    if size > settings.INGEST_MAX_BYTES:
        what = f"{source} is" if source else f"{size:,} bytes is"
        raise IngestError(f"{what} over the {settings.INGEST_MAX_BYTES:,}-byte limit")


def raw_document_ingest(
    *,
    content: bytes,
    source: str,
    source_kind: str = RawDocument.SourceKind.FILE,
    content_type: str = "",
    reference_date: dt.date | None = None,
    agency: Agency | None = None,
    agency_name: str = "",
    publish: bool = False,
    enqueue: bool = True,
    site: str = "",
    by=None,
) -> IngestResult:
    """Store a page as it arrived and queue its extraction.

    The same bytes sent again are not a new document: the stored one is returned
    with ``created=False`` and nothing is queued. ``site`` names the site the page belongs
    to (its furniture is learned and removed per site); a URL source names its own.
    ``agency`` (or ``agency_name``, the credit as the sender named it) is credited when the page
    names none. Each consequence needs its permission of the sender (``by``, None for an
    operator's command), checked before anything is written: ``publish`` asks for the story to
    go live as it is extracted (which it does only when extraction flags nothing) and needs the
    permission to publish; an ``agency_name`` no agency answers to is a new agency and needs the
    permission to add agencies.
    """
    if publish:
        audit.permission_require(by, "articles.publish_article")
    ingest_size_check(len(content))
    digest = hashlib.sha256(content).hexdigest()
    existing = RawDocument.objects.filter(sha256=digest).first()
    if existing is not None:
        return IngestResult(existing, created=False)
    if agency_name.strip():
        agency = agency_resolve(agency_name, by=by)
    try:
        with transaction.atomic():
            raw = RawDocument.objects.create(
                source=source[:2000],
                source_kind=source_kind,
                content=content,
                content_type=content_type[:200],
                size=len(content),
                sha256=digest,
                reference_date=reference_date,
                agency_hint=agency,
                publish_on_extract=publish,
                site=furniture.site_key(site) if site else furniture.site_from_source(source),
            )
    except IntegrityError:
        # Another process stored the same bytes between our lookup and insert.
        return IngestResult(RawDocument.objects.get(sha256=digest), created=False)
    if enqueue:
        pipeline.raw_document_stored(raw_document_id=raw.pk)
    return IngestResult(raw, created=True)


def raw_document_reextract(*, raw_document: RawDocument, discard_edits: bool = False) -> None:
    """Send a stored document through extraction again.

    The desk's edits to its story are kept unless ``discard_edits``: then extraction writes every
    field again, as on the first pass.
    """
    if discard_edits:
        Article.objects.filter(raw_document=raw_document).update(edited_fields=[])
    RawDocument.objects.filter(pk=raw_document.pk).update(
        status=RawDocument.Status.PENDING, error="", queued_at=timezone.now(), interrupted=0
    )
    pipeline.raw_document_stored(raw_document_id=raw_document.pk)


def ingest_read(stream: BinaryIO, *, source: str) -> bytes:
    """Read a file, an upload or standard input through the size cap: at most one byte over it.

    ``manage.py ingest /dev/zero`` ends at once with the reason, not when memory runs out.
    """
    content = stream.read(settings.INGEST_MAX_BYTES + 1)
    if len(content) > settings.INGEST_MAX_BYTES:
        raise IngestError(f"{source} is over the {settings.INGEST_MAX_BYTES:,}-byte limit")
    return content


def ingest_fetch_policy() -> fetcher.FetchPolicy:
    """The fetcher's limits for ingest, from the settings (``docs/operations.md``)."""
    try:
        trusted = fetcher.TrustedSources.parse(settings.FETCH_TRUSTED_SOURCES)
    except ValueError as exc:
        raise ImproperlyConfigured(f"FETCH_TRUSTED_SOURCES: {exc}") from exc
    return fetcher.FetchPolicy(
        timeout=settings.INGEST_FETCH_TIMEOUT,
        max_bytes=settings.INGEST_MAX_BYTES,
        max_redirects=settings.INGEST_FETCH_MAX_REDIRECTS,
        user_agent=settings.INGEST_USER_AGENT,
        trusted=trusted,
    )


def source_fetch(url: str) -> tuple[bytes, str]:
    """Download a page for ingest through the safe fetcher: its bytes and content type.

    A refused address, a failed download, a page over the size cap or past the time limit
    raises ``IngestError`` with the reason; nothing is stored. A feed or a sitemap raises
    ``FeedNotPageError``, which tells the editor to follow it instead.
    """
    try:
        page = fetcher.fetch(url, policy=ingest_fetch_policy())
    except fetcher.FetchError as exc:
        raise IngestError(str(exc)) from exc
    what = followable_kind(page.content, page.content_type)
    if what:
        raise FeedNotPageError(url, what)
    return page.content, page.content_type
