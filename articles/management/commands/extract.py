"""``manage.py extract``: run extraction on files and print the result as JSON; nothing is stored."""

from __future__ import annotations

import argparse
import datetime as dt
import mimetypes
from pathlib import Path

from articles.extraction import ExtractedArticle, ExtractionError, extract
from articles.services import IngestError, ingest_read
from newsroom.commands import FileReportCommand


class Command(FileReportCommand):
    help = (
        "Extract the article from each file and print it as JSON (one object per line with --format jsonl)."
    )
    # Pure extraction: no models, no database, so no system checks to wait for.
    requires_system_checks = []
    failure = "extracted"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--reference-date",
            type=_parse_date,
            help="Crawl or publication date (YYYY-MM-DD); completes datelines that give no year.",
        )

    def report(self, name: str, *, reference_date=None, **options) -> dict:
        return _extract_file(name, reference_date)


def _extract_file(name: str, reference_date: dt.date | None) -> dict:
    path = Path(name)
    try:
        with path.open("rb") as stream:
            data = ingest_read(stream, source=name)
    except OSError as exc:
        return {"source": name, "error": f"The file could not be read: {exc.strerror or exc}."}
    except IngestError as exc:
        return {"source": name, "error": f"{exc}."}
    content_type = mimetypes.guess_type(path.name)[0] or ""
    try:
        article = extract(data, content_type=content_type, source=name, reference_date=reference_date)
    except ExtractionError as exc:
        return {"source": name, "error": str(exc)}
    return _as_json(name, article)


def _as_json(source: str, article: ExtractedArticle) -> dict:
    data = article.to_dict()
    return {
        "source": source,
        "headline": article.headline,
        "body": article.body,
        "dateline": data["dateline"],
        "agency": article.agency,
        "published": data["published"],
        "published_precision": article.published_precision,
        "view_count": article.view_count,
        "removed": data["removed"],
        "flagged": data["flagged"],
        "links": data["links"],
        "warnings": data["warnings"],
        "encoding": article.encoding,
        "language": article.language,
        "canonical_url": article.canonical_url,
        "authors": data["authors"],
        "method": article.method,
    }


def _parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from exc
