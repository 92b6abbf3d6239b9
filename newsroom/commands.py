"""Management commands that read files and print one JSON object per file (``extract``, ``tag``)."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError

# Allocations, net of frees, between two collections of the garbage collector's youngest
# generation while a command reads its files (Python's default is 700).
BATCH_GC_THRESHOLD = 10_000


class FileReportCommand(BaseCommand):
    """Prints ``report(name, **options)`` for each FILE argument as JSON lines or one JSON array.

    A report with an ``error`` key is a failed file; the others are still reported, and the
    command then ends with an error that counts the failures.
    """

    # The end of "N of M files could not be ...".
    failure = "processed"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--format",
            dest="output_format",
            choices=["jsonl", "json"],
            default="jsonl",
            help="jsonl: one JSON object per line and file; json: one indented array.",
        )

    def report(self, name: str, **options) -> dict:
        raise NotImplementedError

    def handle(self, *args, files, output_format, **options):
        results, failed = [], 0
        with batch_collection():
            for name in files:
                result = self.report(name, **options)
                failed += "error" in result
                if output_format == "jsonl":
                    self.stdout.write(json.dumps(result, ensure_ascii=False))
                else:
                    results.append(result)
        if output_format == "json":
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
        if failed:
            raise CommandError(f"{failed} of {len(files)} files could not be {self.failure}.")


@contextmanager
def batch_collection() -> Iterator[None]:
    """The garbage collector set for reading many files in a row, as it was afterwards.

    Reading a page makes and drops a great many small objects, nearly all freed as soon as
    they are dropped; with Python's defaults the collector still runs every few hundred of
    them and, now and then, walks everything the start-up loaded (Django, the apps, the
    rules), a few percent of a command's time. Here what was loaded before the first file
    is frozen (never walked again) and the youngest generation is collected less often.
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(BATCH_GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
