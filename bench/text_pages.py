"""Plain-text pages of many sites: how many pages extraction gets right, field by field, fitting and held-out apart.

Runs ``articles.extraction.extract`` on every page of ``tests/articles/extraction/text_pages/``
(``fitting/`` and ``held-out/``, format in the README there) and compares each field of the
result with the page's expected JSON: headline, view_count, dateline, agency, body_paragraphs
and removed_boilerplate, strings after Unicode NFC and whitespace folding, as the test suite
does. A page counts for "every field" when all six are right. Usage::

    .venv/bin/python bench/text_pages.py [--output docs/benchmarks.md]

The held-out pages are reported as counts only: which of them fail is not printed, so that
nothing is chosen by looking at them.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.extraction import ExtractionError, extract  # noqa: E402
from bench.report import code_version, command_line, cpu_description, section_write  # noqa: E402

PAGES = ROOT / "tests" / "articles" / "extraction" / "text_pages"
PARTS = ("fitting", "held-out")
FIELDS = ("headline", "view_count", "dateline", "agency", "body_paragraphs", "removed_boilerplate")
EVERY_FIELD = "every field"
SECTION_START = "<!-- bench/text_pages.py: start -->"
SECTION_END = "<!-- bench/text_pages.py: end -->"


@dataclasses.dataclass
class PartScore:
    """One part's pages: how many have each field right, and which fields each page got wrong."""

    pages: int = 0
    styles: set[str] = dataclasses.field(default_factory=set)
    right: dict[str, int] = dataclasses.field(
        default_factory=lambda: dict.fromkeys((*FIELDS, EVERY_FIELD), 0)
    )
    wrong: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    seconds: float = 0.0


def folded(value):
    """Strings NFC- and whitespace-folded, lists and dicts item by item."""
    if isinstance(value, str):
        return " ".join(unicodedata.normalize("NFC", value).split())
    if isinstance(value, list):
        return [folded(item) for item in value]
    if isinstance(value, dict):
        return {key: folded(item) for key, item in value.items()}
    return value


def extracted_fields(page: Path) -> tuple[dict, float]:
    """The page's extraction in the expected file's terms, and the seconds it took."""
    start = time.perf_counter()
    try:
        result = extract(page.read_bytes(), source=str(page))
    except ExtractionError:
        return dict.fromkeys(FIELDS), time.perf_counter() - start
    seconds = time.perf_counter() - start
    return {
        "headline": result.headline,
        "view_count": result.view_count,
        "dateline": dataclasses.asdict(result.dateline) if result.dateline else None,
        "agency": result.agency,
        "body_paragraphs": result.paragraphs,
        "removed_boilerplate": result.removed,
    }, seconds


def score(part: str) -> PartScore:
    scores = PartScore()
    for page in sorted((PAGES / part).glob("*.txt")):
        expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
        got, seconds = extracted_fields(page)
        wrong = [field for field in FIELDS if folded(got[field]) != folded(expected[field])]
        scores.pages += 1
        scores.styles.add(expected.get("site", page.stem.rsplit("-", 1)[0]))
        scores.seconds += seconds
        for field in FIELDS:
            scores.right[field] += field not in wrong
        scores.right[EVERY_FIELD] += not wrong
        if wrong:
            scores.wrong[page.stem] = wrong
    return scores


def share(right: int, pages: int) -> str:
    return f"{right}/{pages} ({right / pages:.0%})" if pages else "—"


def report(scores: dict[str, PartScore]) -> str:
    fitting, held_out = scores["fitting"], scores["held-out"]
    lines = [
        "## Plain-text pages of many sites",
        "",
        "Written by `bench/text_pages.py` (usage in its docstring); a new run replaces this section.",
        "",
        f"- Command: `{command_line()}`",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {cpu_description()}; Python {sys.version.split()[0]}",
        f"- Code: commit {code_version()}",
        "- Pages: `tests/articles/extraction/text_pages/` (format in its README): "
        f"fitting {fitting.pages} pages in {len(fitting.styles)} styles, "
        f"held-out {held_out.pages} pages in {len(held_out.styles)} styles. Rules, word lists and "
        "patterns are chosen by looking at the fitting pages; a held-out page is run first as it "
        "came, and the README there lists each batch's first-sight result and the pages whose "
        "failure then led to a rule.",
        "- A field is right when it equals the page's expected JSON exactly, strings compared after "
        "Unicode NFC and whitespace folding; *every field* counts the pages with all six right. "
        "Pages right / pages.",
        "",
        "| field | fitting | held-out |",
        "| --- | --- | --- |",
    ]
    for field in (*FIELDS, EVERY_FIELD):
        name = f"**{field}**" if field == EVERY_FIELD else f"`{field}`"
        lines.append(
            f"| {name} | {share(fitting.right[field], fitting.pages)} "
            f"| {share(held_out.right[field], held_out.pages)} |"
        )
    lines.append("")
    if fitting.wrong:
        wrong = "; ".join(f"{page}: {', '.join(fields)}" for page, fields in sorted(fitting.wrong.items()))
        lines.append(f"Fitting pages with a field wrong: {wrong}.")
    else:
        lines.append("Fitting pages with a field wrong: none.")
    lines.append("Held-out pages are counted only; which of them fail is not reported.")
    pages = fitting.pages + held_out.pages
    if pages:
        seconds = fitting.seconds + held_out.seconds
        lines.append(f"Extraction time: {seconds * 1000 / pages:.1f} ms a page on average, one process.")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--output", default=str(ROOT / "docs" / "benchmarks.md"), help="markdown report; - writes none"
    )
    args = parser.parse_args()
    scores = {part: score(part) for part in PARTS}
    text = report(scores)
    print(text)
    if args.output != "-":
        section_write(Path(args.output), text, start=SECTION_START, end=SECTION_END)


if __name__ == "__main__":
    main()
