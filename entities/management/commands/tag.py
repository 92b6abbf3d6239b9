"""``manage.py tag``: tag plain-text files with the stored alias table and print the mentions; nothing is written."""

from __future__ import annotations

from pathlib import Path

from articles.services import IngestError, ingest_read
from entities.services import engine_create
from entities.tagging import Tagger, TaggingResult
from newsroom.commands import FileReportCommand


class Command(FileReportCommand):
    help = (
        "Tag each plain-text file with the entities of the stored alias table (and the NER model when "
        "installed) and print one JSON object per file: source and mentions. Nothing is stored."
    )
    failure = "tagged"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-model",
            action="store_true",
            help="Alias table and in-article rules only, even when the NER model is installed.",
        )

    def handle(self, *args, no_model, **options):
        self.tagger = engine_create(use_model=not no_model)
        if not no_model and not self.tagger.capabilities.model:
            self.stderr.write(f"Tagging without the NER model: {self.tagger.capabilities.detail}.")
        super().handle(*args, **options)

    def report(self, name: str, **options) -> dict:
        return _tag_file(self.tagger, name)


def _tag_file(tagger: Tagger, name: str) -> dict:
    try:
        # Offsets count characters of the file's text exactly as stored: no newline translation.
        with Path(name).open("rb") as stream:
            text = ingest_read(stream, source=name).decode("utf-8")
    except OSError as exc:
        return {"source": name, "error": f"The file could not be read: {exc.strerror or exc}."}
    except IngestError as exc:
        return {"source": name, "error": f"{exc}."}
    except UnicodeDecodeError as exc:
        return {"source": name, "error": f"The file is not UTF-8 text: {exc.reason} at byte {exc.start}."}
    return _as_json(name, tagger.tag(text))


def _as_json(source: str, result: TaggingResult) -> dict:
    return {
        "source": source,
        "mentions": [
            {
                "entity": mention.name,
                "type": mention.type,
                "start": mention.start,
                "end": mention.end,
                "text": mention.text,
                "confidence": mention.confidence,
                "method": mention.method,
            }
            for mention in result.mentions
        ],
    }
