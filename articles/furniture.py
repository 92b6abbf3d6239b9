"""Site furniture learned per site: lines a site repeats around its articles, kept as editable rows.

A page's *site* is the host of its URL without ``www.``: the source URL when it was
fetched, else the name given at ingest (``ingest --site``, for files), else the host
of the canonical URL extraction finds. The agency is not a site: one agency's copy runs
on many sites, each with its own furniture.

Each extracted page of a site leaves its short lines (``SitePageLines``); a periodic
task counts, over the site's most recent pages, on how many distinct stories each line
appears (numbers folded, so "read 12 times" and "read 7,484 times" are one line). A
line on at least ``max(MIN_STORIES, MIN_SHARE × stories)`` of them becomes a learned
``SiteFurniture`` row; editors see, disable and add rows in the admin, and extraction
removes a site's enabled rows from its pages.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from articles.extraction import ExtractedArticle
from articles.extraction.cleanup import candidate_lines, furniture_key
from articles.models import RawDocument, SiteFurniture, SitePageLines
from newsroom import audit

# The recent pages of a site a learning run reads; older lines are deleted.
WINDOW = 200
# A line is furniture when it shows on at least this many stories of the site...
MIN_STORIES = 3
# ...and on at least this share of them, so a site's running phrase of one week is not.
MIN_SHARE = 0.2


@dataclass(frozen=True)
class LearnResult:
    site: str
    stories: int
    learned: int
    created: int


# --- Sites --------------------------------------------------------------------------


def site_key(value: str) -> str:
    """The site a host name or URL names: its host, lowercased, without ``www.`` or a port."""
    value = value.strip()
    if not value:
        return ""
    host = urlsplit(value if "//" in value else f"//{value}").hostname or ""
    host = host.rstrip(".")
    return host.removeprefix("www.")[:255]


def site_from_source(source: str) -> str:
    """The site of a page's source, when the source is a URL; "" for a file name."""
    return site_key(source) if source.startswith(("http://", "https://")) else ""


# --- Reads ---------------------------------------------------------------------------


def site_furniture_patterns(*, site: str) -> list[str]:
    """The enabled furniture patterns of ``site``, for extraction to remove."""
    if not site:
        return []
    return list(SiteFurniture.objects.filter(site=site, enabled=True).values_list("pattern", flat=True))


# --- Writes --------------------------------------------------------------------------


def site_page_record(*, raw_document: RawDocument, result: ExtractedArticle) -> None:
    """Keep the short lines of an extracted page for its site's next learning run.

    A page stored without a site takes the host of its canonical URL, so files whose
    pages name their home learn and use that site's furniture from then on.
    """
    if not raw_document.site and result.canonical_url:
        raw_document.site = site_from_source(result.canonical_url)
        if raw_document.site:
            RawDocument.objects.filter(pk=raw_document.pk).update(site=raw_document.site)
    if not raw_document.site:
        return
    # What was removed is in the candidates too: furniture must stay learned once it is applied.
    lines = candidate_lines([*result.removed, *result.paragraphs])
    SitePageLines.objects.update_or_create(
        raw_document=raw_document, defaults={"site": raw_document.site, "lines": lines, "learned": False}
    )


def site_furniture_learn_pending() -> list[LearnResult]:
    """Learn the furniture of every site that has pages no learning run has seen yet."""
    sites = (
        SitePageLines.objects.filter(learned=False).order_by("site").values_list("site", flat=True).distinct()
    )
    return [site_furniture_learn(site=site) for site in list(sites)]


@transaction.atomic
def site_furniture_learn(
    *, site: str, window: int = WINDOW, min_stories: int = MIN_STORIES, min_share: float = MIN_SHARE
) -> LearnResult:
    """Learn ``site``'s furniture from its ``window`` most recent pages; the rows it holds after.

    Lines are counted once per story, not per page: a story that arrived three times
    (updated takes, the same agency copy) in one cluster counts once, so its own
    subheadings do not become furniture. Running it again gives the same rows. Editor
    rows and an editor's choice to disable a row are kept; only counts change.
    """
    pages = list(
        SitePageLines.objects.filter(site=site)
        .order_by("-raw_document_id")
        .values_list("raw_document_id", "lines", "raw_document__article__fingerprint__cluster_id")[:window]
    )
    stories: dict[tuple[str, int], set[str]] = {}
    examples: dict[str, str] = {}
    for raw_document_id, lines, cluster_id in pages:
        story = ("cluster", cluster_id) if cluster_id is not None else ("page", raw_document_id)
        keys = stories.setdefault(story, set())
        for line in lines:
            key = furniture_key(line)
            if key:
                keys.add(key)
                examples.setdefault(key, line)
    counts = Counter(key for keys in stories.values() for key in keys)
    needed = max(min_stories, math.ceil(min_share * len(stories)))
    learned = {key: hits for key, hits in counts.items() if hits >= needed}

    existing = {row.pattern: row for row in SiteFurniture.objects.filter(site=site)}
    new_rows = [
        SiteFurniture(
            site=site,
            pattern=key[:300],
            example=examples[key][:500],
            kind=SiteFurniture.Kind.LEARNED,
            hits=hits,
        )
        for key, hits in learned.items()
        if key[:300] not in existing
    ]
    SiteFurniture.objects.bulk_create(new_rows, ignore_conflicts=True)
    now = timezone.now()
    changed = []
    for pattern, row in existing.items():
        hits = counts.get(pattern, 0)
        if row.hits != hits:
            row.hits, row.updated_at = hits, now
            changed.append(row)
    SiteFurniture.objects.bulk_update(changed, ["hits", "updated_at"])

    if pages:
        oldest_kept = pages[-1][0]
        SitePageLines.objects.filter(site=site, raw_document_id__lt=oldest_kept).delete()
        SitePageLines.objects.filter(site=site, learned=False).update(learned=True)
    return LearnResult(site=site, stories=len(stories), learned=len(learned), created=len(new_rows))


@transaction.atomic
def site_furniture_set_enabled(*, queryset, enabled: bool, by) -> int:
    """Switch furniture rows on or off (an editor's action, logged on each row); how many changed."""
    audit.permission_require(by, "articles.change_sitefurniture")
    rows = list(queryset.exclude(enabled=enabled))
    SiteFurniture.objects.filter(pk__in=[row.pk for row in rows]).update(enabled=enabled)
    audit.change_log(by, rows, "Enabled." if enabled else "Disabled.")
    return len(rows)
