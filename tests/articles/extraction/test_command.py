"""``manage.py extract``: JSON per file, errors reported per file, a failing exit at the end."""

import io
import json

import pytest
from django.core.management.base import CommandError

from articles.management.commands.extract import Command

from .conftest import SEED_DIR


def run(*argv: str) -> tuple[list[str], str]:
    """The command's stdout lines, and the CommandError message ('' when it succeeded)."""
    out = io.StringIO()
    command = Command(stdout=out, stderr=io.StringIO())
    parser = command.create_parser("manage.py", "extract")
    options = vars(parser.parse_args(list(argv)))
    error = ""
    try:
        command.execute(*options.pop("args", ()), **options)
    except CommandError as exc:
        error = str(exc)
    return out.getvalue().splitlines(), error


def test_jsonl_prints_one_object_per_file_with_the_seed_fields(expected):
    lines, error = run(str(SEED_DIR / "page.txt"), "--format", "jsonl", "--reference-date", "2015-09-28")
    assert error == ""
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert data["source"] == str(SEED_DIR / "page.txt")
    assert data["headline"] == expected["headline"]
    assert data["body"] == "\n\n".join(expected["body_paragraphs"])
    assert data["dateline"] == expected["dateline"]
    assert data["agency"] == "Agencies"
    assert data["published"] == "2015-09-27"
    assert data["view_count"] == 7484
    assert data["removed"] == expected["removed_boilerplate"]
    assert data["flagged"][0]["kind"] == "repeated_sentence"
    assert data["encoding"] == "utf-8"
    assert {"links", "warnings"} <= set(data)
    assert "’" in lines[0]  # not escaped to \\u2019


def test_a_failing_file_is_reported_and_the_others_still_run(tmp_path):
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(b"%PDF-1.4 binary")
    lines, error = run(str(pdf), str(tmp_path / "missing.txt"), str(SEED_DIR / "page.txt"))
    results = [json.loads(line) for line in lines]
    assert [r["source"] for r in results] == [
        str(pdf),
        str(tmp_path / "missing.txt"),
        str(SEED_DIR / "page.txt"),
    ]
    assert "PDF" in results[0]["error"] or "pdf" in results[0]["error"]
    assert "could not be read" in results[1]["error"]
    assert "error" not in results[2]
    assert error == "2 of 3 files could not be extracted."


def test_json_prints_one_array():
    lines, error = run(str(SEED_DIR / "page.txt"), "--format", "json")
    data = json.loads("\n".join(lines))
    assert error == ""
    assert isinstance(data, list)
    assert data[0]["published"] is None


def test_a_bad_reference_date_is_a_usage_error():
    with pytest.raises(CommandError):
        run(str(SEED_DIR / "page.txt"), "--reference-date", "27/09/2015")
