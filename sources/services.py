"""Polling a followed source: the listing fetched with conditional GET, each new story fetched and ingested once.

Once means once by address and once by content. An item's address is reduced to
``link_key`` (scheme, ``www.``, tracking parameters and the like set aside), and an address this
source, another source, or a stored story already has is not fetched again; a page whose bytes
are already stored is not stored again (``raw_document_ingest`` keys pages by SHA-256).

Every request goes through the safe fetcher with the ingest limits and takes its turn at the host
(``sources.politeness``). A failed poll is recorded on the source in words an editor can read,
and the source waits its interval doubled per failure in a row (``SOURCE_BACKOFF_MAX`` at most),
or longer when the host asked for it with ``Retry-After``.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from articles import fetcher
from articles.link_keys import link_key
from articles.models import Article, RawDocument
from articles.services import IngestError, ingest_fetch_policy, raw_document_ingest
from sources import listings, politeness
from sources.models import SeenItem, Source

logger = logging.getLogger(__name__)

# How long a poll holds its source against a second poll; longer than the task's hard time limit.
POLL_LEASE = dt.timedelta(minutes=15)
# A poll that had to leave stories for later comes back this soon, whatever its interval.
CATCH_UP_AFTER = dt.timedelta(seconds=60)


class PollError(Exception):
    """The listing could not be read; the message is the reason the admin shows."""

    def __init__(self, reason: str, *, retry_after: float | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


@dataclass
class PollOutcome:
    not_modified: bool = False
    listed: int = 0
    new: int = 0  # addresses this source had not seen before
    ingested: int = 0  # pages stored by this poll
    duplicates: int = 0  # new addresses whose story was already stored (another address, same bytes)
    failed: int = 0
    left_for_later: int = 0
    deferred: float | None = None  # the host was busy for this many seconds: the poll did not run
    errors: list[str] = field(default_factory=list)


def sources_claim_due(*, now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    """The enabled sources whose poll is due, each moved one interval on so the next check skips it.

    The move is a conditional update of the value read, so two checks at once claim each source once.
    """
    now = now or timezone.now()
    due = (
        Source.objects.filter(enabled=True)
        .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        .filter(Q(polling_until__isnull=True) | Q(polling_until__lt=now))
        .order_by(F("next_poll_at").asc(nulls_first=True))
        .values_list("pk", "next_poll_at", "poll_interval")[:limit]
    )
    claimed = []
    for pk, next_poll_at, interval in due:
        if Source.objects.filter(pk=pk, next_poll_at=next_poll_at).update(
            next_poll_at=now + dt.timedelta(seconds=interval)
        ):
            claimed.append(pk)
    return claimed


def source_mark_due(*, source: Source) -> None:
    """Poll ``source`` at the next check, whatever its schedule or backoff ("Poll now")."""
    Source.objects.filter(pk=source.pk).update(next_poll_at=timezone.now())


def sources_enable(*, sources, enabled: bool) -> int:
    """Turn polling on or off; a source turned on is polled at the next check. How many changed."""
    changes = {"enabled": enabled}
    if enabled:
        changes["next_poll_at"] = timezone.now()
    return (
        Source.objects.filter(pk__in=[source.pk for source in sources])
        .exclude(enabled=enabled)
        .update(**changes)
    )


def source_poll(*, source_id: int, now: dt.datetime | None = None) -> PollOutcome | None:
    """Poll one source now and record the outcome on it; None when it is gone or another poll holds it."""
    now = now or timezone.now()
    free = Q(polling_until__isnull=True) | Q(polling_until__lt=now)
    if not Source.objects.filter(free, pk=source_id).update(polling_until=now + POLL_LEASE):
        return None
    source = Source.objects.select_related("agency").get(pk=source_id)
    try:
        outcome = PollOutcome()
        try:
            _poll(source, outcome)
        except PollError as exc:
            source_poll_fail(source=source, reason=str(exc), retry_after=exc.retry_after, now=now)
            outcome.errors.append(str(exc))
            return outcome
        if outcome.deferred is not None:
            Source.objects.filter(pk=source.pk).update(
                next_poll_at=now + dt.timedelta(seconds=outcome.deferred)
            )
            return outcome
        wait = dt.timedelta(seconds=source.poll_interval)
        if outcome.left_for_later:
            wait = min(wait, CATCH_UP_AFTER)
        Source.objects.filter(pk=source.pk).update(
            kind=source.kind,
            etag=source.etag,
            last_modified=source.last_modified,
            last_polled_at=now,
            last_success_at=now,
            last_error="",
            failures=0,
            next_poll_at=now + wait,
            items_seen=F("items_seen") + outcome.new,
        )
        return outcome
    finally:
        Source.objects.filter(pk=source_id).update(polling_until=None)


def source_poll_fail(
    *, source: Source, reason: str, retry_after: float | None = None, now: dt.datetime | None = None
) -> None:
    """Record a failed poll with its reason, and put the next one off: backoff, or the host's Retry-After."""
    now = now or timezone.now()
    failures = source.failures + 1
    wait = min(settings.SOURCE_BACKOFF_MAX, source.poll_interval * 2**failures)
    if retry_after is not None:
        wait = max(wait, retry_after)
    Source.objects.filter(pk=source.pk).update(
        last_polled_at=now,
        last_error=reason[:2000],
        last_error_at=now,
        failures=failures,
        next_poll_at=now + dt.timedelta(seconds=wait),
    )
    logger.warning("source %s (%s): %s; next poll in %d s", source.pk, source.url, reason, wait)


def _poll(source: Source, outcome: PollOutcome) -> None:
    policy = ingest_fetch_policy()
    validators = {}
    if source.etag:
        validators["If-None-Match"] = source.etag
    if source.last_modified:
        validators["If-Modified-Since"] = source.last_modified
    page = _fetch(source.url, policy=policy, headers=validators, outcome=outcome)
    if page is None:
        return
    if page.not_modified:
        outcome.not_modified = True
        return
    kind = "" if source.kind == Source.Kind.AUTO else source.kind
    try:
        listing = listings.listing_parse(
            page.content, url=page.url, content_type=page.content_type, kind=kind
        )
    except listings.ListingError as exc:
        raise PollError(f"{source.url} could not be read: {exc}") from exc
    source.kind = listing.kind
    items = list(listing.items)
    if listing.sitemaps:
        items += _sitemap_index_items(listing, policy=policy, outcome=outcome, depth=1)
    _items_ingest(source, items, policy=policy, outcome=outcome)
    if not outcome.left_for_later:
        # Kept only once every story listed is handled: a poll cut short asks for the whole listing again.
        source.etag, source.last_modified = page.etag[:500], page.last_modified[:100]


def _fetch(url: str, *, policy, outcome: PollOutcome, headers=None) -> fetcher.FetchedPage | None:
    """The listing through the fetcher, on the host's turn; None when the turn is too far off."""
    host = politeness.host_of(url)
    wait = politeness.host_wait(host)
    if wait is not None:
        outcome.deferred = wait
        return None
    try:
        return fetcher.fetch(url, policy=policy, headers=headers)
    except fetcher.FetchError as exc:
        if exc.retry_after is not None:
            politeness.host_hold(host, exc.retry_after)
            raise PollError(
                f"{exc} (the server asked to wait {exc.retry_after:g} s)", retry_after=exc.retry_after
            ) from exc
        raise PollError(str(exc)) from exc


def _sitemap_index_items(
    index: listings.Listing, *, policy, outcome: PollOutcome, depth: int
) -> list[listings.Item]:
    """The stories of the newest child sitemaps, ``SOURCE_SITEMAP_MAX_DEPTH`` levels of index at most."""
    if depth > settings.SOURCE_SITEMAP_MAX_DEPTH:
        return []
    items = []
    for child in index.sitemaps[: settings.SOURCE_SITEMAP_MAX_CHILDREN]:
        # A child sitemap that fails costs its own stories, not the poll: they are read next time.
        try:
            page = _fetch(child.url, policy=policy, outcome=outcome)
        except PollError as exc:
            outcome.errors.append(str(exc))
            if exc.retry_after is not None:
                outcome.left_for_later += 1
                break
            continue
        if page is None:
            outcome.deferred = None  # the host is busy: the stories found so far are still handled
            outcome.left_for_later += 1
            break
        try:
            listing = listings.listing_parse(
                page.content, url=page.url, content_type=page.content_type, kind=listings.SITEMAP
            )
        except listings.ListingError as exc:
            outcome.errors.append(f"{child.url}: {exc}")
            continue
        items += listing.items
        if listing.sitemaps:
            items += _sitemap_index_items(listing, policy=policy, outcome=outcome, depth=depth + 1)
    return items


def _items_ingest(source: Source, items: list[listings.Item], *, policy, outcome: PollOutcome) -> None:
    by_key: dict[str, listings.Item] = {}
    for item in items:
        key = link_key(item.url)
        if key and key not in by_key:
            by_key[key] = item
    known = dict(
        SeenItem.objects.filter(source=source, link_key__in=list(by_key)).values_list("link_key", "pk")
    )
    retry = set(
        SeenItem.objects.filter(
            source=source,
            link_key__in=list(known),
            raw_document__isnull=True,
            article__isnull=True,
            attempts__lt=settings.SOURCE_ITEM_MAX_ATTEMPTS,
        ).values_list("link_key", flat=True)
    )
    outcome.listed = len(by_key)
    todo = [(key, item) for key, item in by_key.items() if key not in known or key in retry]
    for count, (key, item) in enumerate(todo):
        if count >= settings.SOURCE_ITEMS_PER_POLL:
            outcome.left_for_later = len(todo) - count
            return
        if key not in known:
            outcome.new += 1
        seen, _ = SeenItem.objects.get_or_create(
            source=source, link_key=key, defaults={"url": item.url[:2000], "published": item.published}
        )
        raw, article = _stored_for(key, exclude=seen.pk)
        if raw is not None or article is not None:
            SeenItem.objects.filter(pk=seen.pk).update(raw_document=raw, article=article, error="")
            outcome.duplicates += 1
            continue
        if not _item_ingest(source, seen, item, policy=policy, outcome=outcome):
            outcome.left_for_later = len(todo) - count
            return


def _stored_for(key: str, *, exclude: int) -> tuple[RawDocument | None, Article | None]:
    """The stored page an address already led to (through any source), or the story at that address."""
    seen = (
        SeenItem.objects.filter(link_key=key, raw_document__isnull=False)
        .exclude(pk=exclude)
        .select_related("raw_document")
        .first()
    )
    if seen is not None:
        return seen.raw_document, None
    article = Article.objects.filter(source_url_key=key).select_related("raw_document").first()
    if article is None:
        return None, None
    return article.raw_document, (article if article.raw_document is None else None)


def _item_ingest(
    source: Source, seen: SeenItem, item: listings.Item, *, policy, outcome: PollOutcome
) -> bool:
    """Fetch and ingest one story; False when the host asked this poll to stop."""
    host = politeness.host_of(item.url)
    if politeness.host_wait(host) is not None:
        return False
    SeenItem.objects.filter(pk=seen.pk).update(attempts=F("attempts") + 1)
    try:
        page = fetcher.fetch(item.url, policy=policy)
        if listings.listing_kind(page.content, page.content_type):
            raise IngestError(f"{item.url} is itself a feed or sitemap, not a story")
        result = raw_document_ingest(
            content=page.content,
            source=page.url,
            source_kind=RawDocument.SourceKind.URL,
            content_type=page.content_type,
            reference_date=item.published,
            agency=source.agency,
            publish=source.publish,
            by=None,
        )
    except fetcher.FetchError as exc:
        SeenItem.objects.filter(pk=seen.pk).update(error=str(exc)[:2000])
        outcome.failed += 1
        outcome.errors.append(str(exc))
        if exc.retry_after is not None:
            politeness.host_hold(host, exc.retry_after)
            return False
        return True
    except IngestError as exc:
        SeenItem.objects.filter(pk=seen.pk).update(error=str(exc)[:2000])
        outcome.failed += 1
        outcome.errors.append(str(exc))
        return True
    SeenItem.objects.filter(pk=seen.pk).update(raw_document=result.raw_document, error="")
    if result.created:
        outcome.ingested += 1
    else:
        outcome.duplicates += 1
    return True
