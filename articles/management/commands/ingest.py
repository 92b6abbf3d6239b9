"""``manage.py ingest``: store pages from files, directories and URLs, and queue their extraction."""

from __future__ import annotations

import datetime as dt
import mimetypes
import sys
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles import services
from articles.models import RawDocument

STDIN = "-"


class Command(BaseCommand):
    help = (
        "Store pages from files, directories (recursively), URLs and standard input (-), "
        "and queue their extraction."
    )

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", metavar="PATH|DIR|URL|-")
        parser.add_argument("--agency", help="Agency to credit when a page names none.")
        parser.add_argument(
            "--site",
            default="",
            help="Site the pages belong to, e.g. arabtimesonline.com; without it a URL names its own. "
            "Site furniture is learned and removed per site.",
        )
        parser.add_argument(
            "--reference-date",
            type=_parse_date,
            help="Crawl or publication date (YYYY-MM-DD); completes datelines that give no year.",
        )
        parser.add_argument("--publish", action="store_true", help="Publish articles as soon as extracted.")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar.")

    def handle(self, *args, sources, agency, site, reference_date, publish, no_progress, **options):
        agency_obj = services.agency_resolve(agency) if agency else None
        items = list(_expand(sources))
        if not items:
            raise CommandError("No files found in the given paths.")

        outcomes: Counter[str] = Counter()
        problems: list[tuple[str, str]] = []
        stored: list[int] = []
        progress = tqdm(items, unit="page", disable=no_progress or len(items) < 2)
        for source in progress:
            progress.set_postfix_str(Path(source).name[:30], refresh=False)
            try:
                content, content_type, kind = _read(source)
                result = services.raw_document_ingest(
                    content=content,
                    source=source,
                    source_kind=kind,
                    content_type=content_type,
                    reference_date=reference_date,
                    agency=agency_obj,
                    publish=publish,
                    site=site,
                )
            except (services.IngestError, OSError) as exc:
                outcomes["unreadable"] += 1
                problems.append((source, str(exc)))
                continue
            if result.created:
                outcomes["ingested"] += 1
                stored.append(result.raw_document.pk)
            else:
                outcomes["duplicates"] += 1

        # With in-process tasks the extraction has already run; with workers it is queued.
        statuses = Counter(RawDocument.objects.filter(pk__in=stored).values_list("status", flat=True))
        for raw in RawDocument.objects.filter(
            pk__in=stored, status__in=[RawDocument.Status.FAILED, RawDocument.Status.NO_ARTICLE]
        ):
            problems.append((raw.source, f"{raw.get_status_display().lower()}: {raw.error}"))

        self.stdout.write(
            f"ingested {outcomes['ingested']}, duplicates {outcomes['duplicates']}, "
            f"failed {outcomes['unreadable'] + statuses[RawDocument.Status.FAILED]}, "
            f"no article {statuses[RawDocument.Status.NO_ARTICLE]}, "
            f"extracted {statuses[RawDocument.Status.DONE]}, "
            f"queued {statuses[RawDocument.Status.PENDING] + statuses[RawDocument.Status.PROCESSING]}"
        )
        for source, reason in problems:
            self.stdout.write(f"  {source}: {reason}")
        if outcomes["unreadable"]:
            raise CommandError(f"{outcomes['unreadable']} source(s) could not be read.")


def _parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--reference-date must be YYYY-MM-DD, not {value!r}") from exc


def _expand(sources: list[str]):
    for source in sources:
        if source == STDIN or source.startswith(("http://", "https://")):
            yield source
            continue
        path = Path(source)
        if path.is_dir():
            yield from (
                str(p)
                for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            yield source


def _read(source: str) -> tuple[bytes, str, str]:
    """A source's bytes, read through the size cap: a file, standard input (``-``) or a URL."""
    if source.startswith(("http://", "https://")):
        content, content_type = services.source_fetch(source)
        return content, content_type, RawDocument.SourceKind.URL
    if source == STDIN:
        return (
            services.ingest_read(sys.stdin.buffer, source="standard input"),
            "",
            RawDocument.SourceKind.FILE,
        )
    path = Path(source)
    content_type = mimetypes.guess_type(path.name)[0] or ""
    with path.open("rb") as stream:
        return services.ingest_read(stream, source=source), content_type, RawDocument.SourceKind.FILE
