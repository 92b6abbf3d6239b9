"""Management commands that read files and print one JSON object per file (``extract``, ``tag``)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError


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
