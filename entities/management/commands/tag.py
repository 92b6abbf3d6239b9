"""``manage.py tag``: tag plain-text files with the stored alias table and print the mentions; nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from entities.services import engine_create
from entities.tagging import Tagger, TaggingResult


class Command(BaseCommand):
    help = (
        "Tag each plain-text file with the entities of the stored alias table (and the NER model when "
        "installed) and print one JSON object per file: source and mentions. Nothing is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--format",
            dest="output_format",
            choices=["jsonl", "json"],
            default="jsonl",
            help="jsonl: one JSON object per line and file; json: one indented array.",
        )
        parser.add_argument(
            "--no-model",
            action="store_true",
            help="Alias table and in-article rules only, even when the NER model is installed.",
        )

    def handle(self, *args, files, output_format, no_model, **options):
        tagger = engine_create(use_model=not no_model)
        if not no_model and not tagger.capabilities.model:
            self.stderr.write(f"Tagging without the NER model: {tagger.capabilities.detail}.")
        results, failed = [], 0
        for name in files:
            result = _tag_file(tagger, name)
            failed += "error" in result
            if output_format == "jsonl":
                self.stdout.write(json.dumps(result, ensure_ascii=False))
            else:
                results.append(result)
        if output_format == "json":
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
        if failed:
            raise CommandError(f"{failed} of {len(files)} files could not be tagged.")


def _tag_file(tagger: Tagger, name: str) -> dict:
    try:
        # Offsets count characters of the file's text exactly as stored: no newline translation.
        text = Path(name).read_bytes().decode("utf-8")
    except OSError as exc:
        return {"source": name, "error": f"The file could not be read: {exc.strerror or exc}."}
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
