"""Extraction benchmark: quality and speed of article-body extractors on labelled page sets.

Runs each system on the same pages of every dataset (by default extraction-dev,
extraction-train and extraction-holdout), scores the bodies with :mod:`bench.scoring` and
reports, set by set and side by side: F1, precision and recall (overall and per source),
empty bodies, pages under 0.5 F1, ΔF1 against trafilatura with a paired bootstrap
interval, pages per second of the extraction calls on one core and peak memory, the
slowest pages and the worst pages of ``newsroom``; then the end-to-end throughput of
``manage.py extract`` against trafilatura on a directory of the same pages, on one core
(:mod:`bench.end_to_end`). Usage::

    .venv/bin/python bench/extraction.py [--datasets dev,train,holdout folders | --dataset DIR]
        [--systems newsroom,trafilatura] [--limit N] [--keys k1,k2] [--jobs 1]
        [--rounds 3] [--throughput-rounds 3] [--output docs/benchmarks.md] [--dump DIR]

Each (system, shard) runs in a fresh process, one page at a time. Only the extraction calls
are timed (``time.perf_counter``), after a few untimed warm-up pages; peak memory is that
process's resident-set high-water mark. The systems run in alternating order for
``--rounds`` rounds and each page's time is its fastest round, so a slow spell of the
machine weighs on both systems alike; the speed ratio of each round is reported too.
See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import datetime as dt
import gzip
import importlib.metadata
import json
import multiprocessing
import platform
import re
import resource
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `bench` and `articles` importable
    sys.path.insert(0, str(ROOT))

from bench.end_to_end import Throughput, measure  # noqa: E402
from bench.report import code_version, command_line, cpu_description  # noqa: E402
from bench.scoring import Interval, PageScore, Summary, bootstrap_f1, interval, score_page, summarise  # noqa: E402

DATASETS = ROOT.parent / "shared" / "datasets"
DEFAULT_DATASETS = "extraction-dev,extraction-train,extraction-holdout"
# A set whose name holds this is never fitted on: its worst pages are listed by key and
# score, with no notes from reading them.
HOLDOUT = "holdout"
# A page under this F1 counts as failed in the overview.
LOW_F1 = 0.5
DEFAULT_OUTPUT = ROOT / "docs" / "benchmarks.md"
DEFAULT_SYSTEMS = "newsroom,trafilatura"
BASELINE = "trafilatura"
PROJECT = "newsroom"  # its worst pages are listed; the first system when it did not run
WORST_COUNT = 10
SLOWEST_COUNT = 5
BOOTSTRAP_RESAMPLES = 2000
SECTION_START = "<!-- bench/extraction.py: start -->"
SECTION_END = "<!-- bench/extraction.py: end -->"
WORST_HEADING = "Worst pages for "

Extractor = Callable[[bytes, str], str]


def _load_trafilatura() -> Extractor:
    import trafilatura

    def run(page: bytes, url: str) -> str:
        return trafilatura.extract(page) or ""

    return run


def _load_newsroom() -> Extractor:
    from articles.extraction import extract
    from articles.extraction.types import ExtractionError

    def run(page: bytes, url: str) -> str:
        try:
            return extract(page, content_type="text/html", source=url).body
        except ExtractionError:  # includes NoArticleError: the system declined, an empty body
            return ""

    return run


SYSTEMS: dict[str, Callable[[], Extractor]] = {
    "newsroom": _load_newsroom,  # the project's extractor, articles.extraction.extract
    "trafilatura": _load_trafilatura,  # trafilatura.extract(html) with library defaults
}


# --- the worker: one fresh process per (system, shard) ---------------------------------------


def peak_rss_mb() -> float:
    """This process's resident-set high-water mark in MB.

    Reads VmHWM from /proc: on Linux ``ru_maxrss`` survives exec, so a process started from a
    larger parent would report the parent's peak. ``ru_maxrss`` is the fallback elsewhere.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss / 2**20 if sys.platform == "darwin" else maxrss / 1024


def read_page(dataset: Path, key: str) -> bytes:
    """The page bytes of ``key`` as the dataset ships them."""
    return gzip.decompress((dataset / "html" / f"{key}.html.gz").read_bytes())


def run_shard(system: str, dataset: str, pages: list[tuple[str, str]], warmup: int) -> dict:
    """Extract ``pages`` ((key, url) pairs) with ``system``; meant to run in a fresh process.

    Returns plain data (texts, seconds, HTML sizes and errors by key, memory in MB) so that it pickles
    between processes. An exception other than the system's own refusal is recorded as an
    error and scored as an empty text.
    """
    extractor = SYSTEMS[system]()
    rss_after_import = peak_rss_mb()
    root = Path(dataset)
    for key, url in pages[:warmup]:
        with contextlib.suppress(Exception):  # the timed pass below records any error
            extractor(read_page(root, key), url)
    texts: dict[str, str] = {}
    seconds: dict[str, float] = {}
    sizes: dict[str, int] = {}
    errors: dict[str, str] = {}
    for key, url in pages:
        page = read_page(root, key)
        sizes[key] = len(page)
        start = time.perf_counter()
        try:
            texts[key] = extractor(page, url)
        except Exception as exc:
            texts[key] = ""
            errors[key] = f"{type(exc).__name__}: {exc}"
        seconds[key] = time.perf_counter() - start
    return {
        "texts": texts,
        "seconds": seconds,
        "sizes": sizes,
        "errors": errors,
        "rss_after_import_mb": rss_after_import,
        "peak_rss_mb": peak_rss_mb(),
    }


# --- the parent: run, score, report ----------------------------------------------------------


@dataclass
class Page:
    """One labelled page of the dataset."""

    key: str
    source: str
    url: str
    truth: str


@dataclass
class SystemRun:
    """One system's output on all selected pages, merged over its shards."""

    texts: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    rss_after_import_mb: float = 0.0
    peak_rss_mb: float = 0.0
    # Summed extraction seconds of each round, over all pages.
    round_seconds: dict[int, float] = field(default_factory=dict)

    def add(self, shard: dict, round_number: int = 0) -> None:
        """Merge the result of one :func:`run_shard`; a page's time is its fastest round."""
        for key, text in shard["texts"].items():
            self.texts.setdefault(key, text)
        for key, seconds in shard["seconds"].items():
            self.seconds[key] = min(seconds, self.seconds.get(key, seconds))
        self.round_seconds[round_number] = self.round_seconds.get(round_number, 0.0) + sum(
            shard["seconds"].values()
        )
        self.sizes.update(shard["sizes"])
        self.errors.update(shard["errors"])
        self.rss_after_import_mb = max(self.rss_after_import_mb, shard["rss_after_import_mb"])
        self.peak_rss_mb = max(self.peak_rss_mb, shard["peak_rss_mb"])


def load_pages(dataset: Path, keys: Sequence[str] | None, limit: int | None) -> list[Page]:
    """The selected pages in key order (or in the order of ``keys``), first ``limit`` of them."""
    truth = json.loads((dataset / "ground-truth.json").read_text(encoding="utf-8"))
    if keys:
        unknown = [key for key in keys if key not in truth]
        if unknown:
            raise SystemExit(f"unknown keys: {', '.join(unknown)}")
        selected = list(dict.fromkeys(keys))
    else:
        selected = sorted(truth)
    if limit is not None:
        selected = selected[:limit]
    return [
        Page(
            key=key,
            source=truth[key]["source"],
            url=truth[key]["url"],
            truth=truth[key]["articleBody"],
        )
        for key in selected
    ]


def run_systems(
    systems: Sequence[str], dataset: Path, pages: Sequence[Page], jobs: int, warmup: int, rounds: int = 1
) -> dict[str, SystemRun]:
    """Run every system over ``pages`` ``rounds`` times, in alternating order, each round split
    into ``jobs`` shards, ``jobs`` processes at a time (with one, tasks run in that order)."""
    shards = [[(p.key, p.url) for p in pages[i::jobs]] for i in range(jobs)]
    runs = {system: SystemRun() for system in systems}
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context, max_tasks_per_child=1) as pool:
        futures = {
            pool.submit(run_shard, system, str(dataset), shard, warmup): (system, round_number)
            for round_number in range(rounds)
            for system in (systems if round_number % 2 == 0 else list(reversed(systems)))
            for shard in shards
            if shard
        }
        for future in concurrent.futures.as_completed(futures):
            system, round_number = futures[future]
            try:
                shard = future.result()
            except Exception as exc:
                pool.shutdown(cancel_futures=True)
                hint = " (leave it out with --systems)" if system != BASELINE else ""
                raise SystemExit(f"system {system} could not run{hint}: {type(exc).__name__}: {exc}") from exc
            runs[system].add(shard, round_number)
            print(f"  {system}, round {round_number + 1}: {len(shard['texts'])} pages done", file=sys.stderr)
    return runs


@dataclass
class Report:
    """Everything the tables of one dataset are made from."""

    name: str
    pages: list[Page]
    runs: dict[str, SystemRun]
    scores: dict[str, dict[str, PageScore]]
    groups: dict[str, list[Page]]
    summaries: dict[tuple[str, str], Summary]
    spreads: dict[tuple[str, str], Interval]
    differences: dict[tuple[str, str], tuple[float, Interval]]

    @property
    def holdout(self) -> bool:
        """Whether this set is never fitted on (no notes on its pages)."""
        return HOLDOUT in self.name

    def empty(self, system: str, members: Sequence[Page]) -> int:
        """How many of ``members`` got no text from ``system``."""
        return sum(1 for p in members if not self.runs[system].texts[p.key].strip())

    def low(self, system: str, members: Sequence[Page]) -> int:
        """How many of ``members`` ``system`` scores under LOW_F1 (the page's own F1)."""
        return sum(1 for p in members if self.scores[system][p.key].f1 < LOW_F1)

    def speed(self, system: str, members: Sequence[Page]) -> float | None:
        """Pages per second of ``system``'s extraction calls on ``members``."""
        seconds = sum(self.runs[system].seconds[p.key] for p in members)
        return len(members) / seconds if seconds else None


def build_report(pages: list[Page], runs: dict[str, SystemRun], name: str = "") -> Report:
    """Score every page and summarise by group ("all" and each source) and system."""
    scores = {
        system: {p.key: score_page(run.texts[p.key], p.truth) for p in pages} for system, run in runs.items()
    }
    groups = {"all": pages}
    for source in sorted({p.source for p in pages}):
        groups[source] = [p for p in pages if p.source == source]
    summaries: dict[tuple[str, str], Summary] = {}
    spreads: dict[tuple[str, str], Interval] = {}
    differences: dict[tuple[str, str], tuple[float, Interval]] = {}
    for group, members in groups.items():
        by_system = {system: [scores[system][p.key] for p in members] for system in runs}
        samples = bootstrap_f1(by_system, resamples=BOOTSTRAP_RESAMPLES) if len(members) > 1 else {}
        for system, page_scores in by_system.items():
            summaries[group, system] = summarise(page_scores)
            if samples:
                spreads[group, system] = interval(samples[system])
        if BASELINE not in samples:
            continue
        for system in runs:
            if system != BASELINE:
                paired = [a - b for a, b in zip(samples[system], samples[BASELINE], strict=True)]
                delta = summaries[group, system].f1 - summaries[group, BASELINE].f1
                differences[group, system] = (delta, interval(paired))
    return Report(name, pages, runs, scores, groups, summaries, spreads, differences)


def _number(value: float | None, digits: int = 3) -> str:
    """``value`` rounded, or a dash when it is undefined."""
    return "—" if value is None else f"{value:.{digits}f}"


def overview_rows(reports: Sequence[Report]) -> list[list[str]]:
    """The sets side by side, one column each: every system's quality, failures and speed, then ΔF1."""
    systems = list(reports[0].runs)
    measures = [
        ("F1", lambda r, s: _number(r.summaries["all", s].f1, 4)),
        ("precision", lambda r, s: _number(r.summaries["all", s].precision)),
        ("recall", lambda r, s: _number(r.summaries["all", s].recall)),
        ("empty", lambda r, s: str(r.empty(s, r.pages))),
        (f"pages under {LOW_F1} F1", lambda r, s: str(r.low(s, r.pages))),
        ("pages/s (extraction calls)", lambda r, s: _number(r.speed(s, r.pages), 1)),
    ]
    rows = [
        [f"{label}, {system}", *(cell(r, system) for r in reports)]
        for label, cell in measures
        for system in systems
    ]
    for system in systems:
        if system == BASELINE or BASELINE not in systems:
            continue
        rows.append([f"ΔF1, {system} − {BASELINE}", *(_difference(r, system) for r in reports)])
    return rows


def _difference(report: Report, system: str) -> str:
    """ΔF1 over all pages with its paired 95% interval, or a dash."""
    found = report.differences.get(("all", system))
    if found is None:
        return "—"
    delta, spread = found
    return f"{delta:+.4f} ({spread.low:+.3f} to {spread.high:+.3f})"


def overview_headers(reports: Sequence[Report]) -> list[str]:
    """Headers of :func:`overview_rows`."""
    return ["", *(f"{r.name} ({len(r.pages)})" for r in reports)]


def quality_rows(report: Report) -> list[list[str]]:
    """One row per (group, system): quality, failures and speed."""
    rows = []
    for group, members in report.groups.items():
        for system, run in report.runs.items():
            summary = report.summaries[group, system]
            spread = report.spreads.get((group, system))
            rows.append(
                [
                    f"{group} ({len(members)})",
                    system,
                    _number(summary.f1) + (f" ± {spread.se:.3f}" if spread else ""),
                    f"{spread.low:.3f}–{spread.high:.3f}" if spread else "—",
                    _number(summary.precision),
                    _number(summary.recall),
                    str(report.empty(system, members)),
                    str(report.low(system, members)),
                    str(sum(1 for p in members if p.key in run.errors)),
                    _number(report.speed(system, members), 1),
                    _number(run.peak_rss_mb, 0) if group == "all" else "—",
                ]
            )
    return rows


QUALITY_HEADERS = [
    "pages",
    "system",
    "F1 ± SE",
    "F1 95% interval",
    "precision",
    "recall",
    "empty",
    f"F1 < {LOW_F1}",
    "errors",
    "pages/s",
    "peak MB",
]


def difference_rows(report: Report) -> list[list[str]]:
    """ΔF1 of each non-baseline system against the baseline, per group."""
    return [
        [
            f"{group} ({len(report.groups[group])})",
            f"{system} − {BASELINE}",
            f"{delta:+.3f}",
            f"{spread.low:+.3f} to {spread.high:+.3f}",
        ]
        for (group, system), (delta, spread) in report.differences.items()
    ]


DIFFERENCE_HEADERS = ["pages", "systems", "ΔF1", "95% interval (paired bootstrap)"]


def slowest_rows(report: Report) -> list[list[str]]:
    """The slowest pages of each system."""
    rows = []
    for system, run in report.runs.items():
        slowest = sorted(report.pages, key=lambda p: run.seconds[p.key], reverse=True)[:SLOWEST_COUNT]
        rows.extend(
            [system, p.key, p.source, f"{run.seconds[p.key] * 1000:.0f}", f"{run.sizes[p.key] / 1024:.0f}"]
            for p in slowest
        )
    return rows


SLOWEST_HEADERS = ["system", "key", "source", "ms", "HTML KB"]


def worst_rows(report: Report, system: str, notes: dict[str, str]) -> list[list[str]]:
    """The pages where ``system`` scores lowest, with the other systems' F1 and, but on holdout, a note column."""
    page_scores = report.scores[system]
    worst = sorted(report.pages, key=lambda p: (page_scores[p.key].f1, p.key))[:WORST_COUNT]
    others = [other for other in report.runs if other != system]
    rows = []
    for p in worst:
        score = page_scores[p.key]
        rows.append(
            [
                p.key,
                p.source,
                _number(score.f1),
                _number(score.precision),
                _number(score.recall),
                *(_number(report.scores[other][p.key].f1) for other in others),
                *([] if report.holdout else [notes.get(p.key, "")]),
            ]
        )
    return rows


def worst_headers(report: Report, system: str) -> list[str]:
    """Headers of :func:`worst_rows`."""
    others = [f"{other} F1" for other in report.runs if other != system]
    return ["key", "source", "F1", "precision", "recall", *others, *([] if report.holdout else ["why"])]


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-style markdown table."""

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    return "\n".join([line(headers), line(["---"] * len(headers)), *(line(row) for row in rows)])


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table with aligned columns."""
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()
        for cells in [headers, ["-" * w for w in widths], *rows]
    )


def machine_description() -> str:
    """CPU count and model, OS, Python and library versions."""
    libraries = ", ".join(f"{name} {importlib.metadata.version(name)}" for name in ("trafilatura", "lxml"))
    return (
        f"{cpu_description()}, {platform.system()} {platform.machine()}; "
        f"Python {platform.python_version()}; {libraries}"
    )


def worst_system(report: Report) -> str:
    """The system whose worst pages are listed."""
    return PROJECT if PROJECT in report.runs else next(iter(report.runs))


def round_lines(report: Report) -> list[str]:
    """Pages/s of each system in each round and, against the baseline, the ratio per round."""
    lines = []
    for system, run in report.runs.items():
        speeds = [
            len(run.texts) / run.round_seconds[r] for r in sorted(run.round_seconds) if run.round_seconds[r]
        ]
        lines.append(f"{system}: " + ", ".join(f"{speed:.1f}" for speed in speeds))
    baseline = report.runs.get(BASELINE)
    for system, run in report.runs.items():
        if baseline is None or system == BASELINE:
            continue
        ratios = [
            baseline.round_seconds[r] / run.round_seconds[r]
            for r in sorted(run.round_seconds)
            if run.round_seconds[r] and r in baseline.round_seconds
        ]
        lines.append(f"{system} ÷ {BASELINE}: " + ", ".join(f"{ratio:.2f}" for ratio in ratios))
    return lines


def throughput_lines(throughput: Throughput) -> list[str]:
    """End to end: each system's pages/s in each round and the ratio per round, of wall-clock then CPU time.

    The wall-clock ratio also comes for the fastest round of each system, the estimator the
    extraction calls use.
    """
    lines = []
    for cpu_time, label in ((False, "wall clock"), (True, "CPU time")):
        speeds = "; ".join(
            f"{system} " + ", ".join(f"{speed:.1f}" for speed in throughput.speeds(system, cpu_time))
            for system in throughput.seconds
        )
        ratios = "; ".join(
            f"{system} ÷ {BASELINE} "
            + ", ".join(f"{ratio:.2f}" for ratio in throughput.ratios(system, BASELINE, cpu_time))
            + ("" if cpu_time else f" (fastest rounds {throughput.best_ratio(system, BASELINE):.2f})")
            for system in throughput.seconds
            if system != BASELINE and BASELINE in throughput.seconds
        )
        lines.append(f"{label}: {speeds}" + (f"; {ratios}" if ratios else ""))
    return lines


def precise_f1(report: Report) -> str:
    """Each system's F1 over all pages to four places, which the tables round to three."""
    return ", ".join(f"{system} {report.summaries['all', system].f1:.4f}" for system in report.runs)


def method_lines(
    reports: Sequence[Report], jobs: int, warmup: int, rounds: int, throughput: Throughput | None
) -> list[str]:
    """The bullet list saying how the run was made."""
    sets = "; ".join(
        f"`{r.name}` {len(r.pages)} ("
        + ", ".join(f"{group} {len(members)}" for group, members in r.groups.items() if group != "all")
        + ")"
        for r in reports
    )
    contended = (
        f" **{jobs} processes ran at once, so these speed figures are contended and not comparable.**"
        if jobs > 1
        else ""
    )
    lines = [
        f"- Command: `{command_line()}`",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine_description()}",
        f"- Code: commit {code_version()}",
        f"- Datasets (pages by source): {sets}",
        "- Quality: lowercased `\\w+` tokens, multisets of 4-word shingles; per-page precision and recall "
        "averaged over the pages that define them, F1 = harmonic mean of the two averages. "
        f"± is the bootstrap standard error of F1 ({BOOTSTRAP_RESAMPLES} resamples of pages, seed 0); "
        "the interval is the bootstrap 2.5–97.5 percentile range, and ΔF1's is paired (the same draws for "
        "both systems). *empty*: pages with no text (refusals included); *errors*: pages where the system "
        f"raised (scored as empty); *under {LOW_F1} F1*: pages whose own F1, 2tp / (2tp + fp + fn), is below "
        f"{LOW_F1}.",
        f"- Speed of the extraction calls: each system in a fresh process, one page at a time, {warmup} untimed "
        f"warm-up pages; {rounds} round{'s' if rounds != 1 else ''} with the systems in alternating order, and each page's time is its "
        "fastest round; pages/s = pages ÷ summed `time.perf_counter` time of the extraction calls (page "
        "reading and decompression excluded). Peak MB: the process's resident-set high-water mark (VmHWM), "
        "interpreter and imports included." + contended,
    ]
    if throughput is not None:
        pinned = f"pinned to CPU {throughput.cpu}" if throughput.cpu is not None else "not pinned to a CPU"
        lines.append(
            f"- End to end: `manage.py extract --format jsonl` on a temporary directory of the {throughput.pages} "
            "decompressed pages of all the sets, against `bench/trafilatura_extract.py` (trafilatura's defaults) "
            f"on the same files; each a subprocess {pinned}, timed from start to exit (interpreter start, "
            "imports, reading the files and writing the JSON lines included), rounds alternating the order. "
            "Wall clock is what a user waits; CPU time is the process's user and system time, which other "
            "work on a shared machine does not inflate."
        )
    return lines


def render_set(report: Report, notes: dict[str, str]) -> list[str]:
    """The markdown lines of one set's detail: quality and speed, ΔF1, slowest and worst pages."""
    focus = worst_system(report)
    lines = [
        f"### {report.name}",
        "",
        markdown_table(QUALITY_HEADERS, quality_rows(report)),
        "",
        f"F1 of all pages to four places: {precise_f1(report)}.",
        "",
        "RSS after import, before the first page: "
        + ", ".join(f"{system} {run.rss_after_import_mb:.0f} MB" for system, run in report.runs.items())
        + ".",
        "",
        "Pages/s of each round, and the speed ratio per round: " + "; ".join(round_lines(report)) + ".",
    ]
    if report.differences:
        lines += [
            "",
            f"#### Against {BASELINE}",
            "",
            markdown_table(DIFFERENCE_HEADERS, difference_rows(report)),
        ]
    lines += [
        "",
        "#### Slowest pages",
        "",
        markdown_table(SLOWEST_HEADERS, slowest_rows(report)),
        "",
        f"#### {WORST_HEADING}{focus} on {report.name}",
        "",
    ]
    if report.holdout:
        lines += ["Keys and scores only: the holdout set is never fitted on, so its pages get no notes.", ""]
    lines.append(markdown_table(worst_headers(report, focus), worst_rows(report, focus, notes)))
    return lines


def render_section(
    reports: Sequence[Report],
    jobs: int,
    warmup: int,
    notes: dict[str, str],
    rounds: int = 1,
    throughput: Throughput | None = None,
) -> str:
    """The markdown section: how the run was made, the sets side by side, end-to-end speed, each set's tables."""
    lines = [
        SECTION_START,
        "## Extraction benchmark",
        "",
        "Written by `bench/extraction.py` (see `bench/README.md`); a new run replaces this section and "
        "keeps the *why* notes of pages still listed.",
        "",
        *method_lines(reports, jobs, warmup, rounds, throughput),
        "",
        "### The sets side by side",
        "",
        markdown_table(overview_headers(reports), overview_rows(reports)),
    ]
    if throughput is not None:
        lines += [
            "",
            f"End to end on one core ({throughput.pages} pages), pages/s of each round and the ratio per round. "
            + ". ".join(line[0].upper() + line[1:] for line in throughput_lines(throughput))
            + ".",
        ]
    for report in reports:
        lines += ["", *render_set(report, notes)]
    lines.append(SECTION_END)
    return "\n".join(lines) + "\n"


def previous_notes(text: str, system: str) -> dict[str, str]:
    """The *why* notes, by key, of the worst-pages tables for ``system`` in an earlier section.

    Keys are unique across the sets, so the notes of every set's table go in one dict. A
    table without a *why* column (the holdout set's) has none.
    """
    notes: dict[str, str] = {}
    in_table = with_notes = False
    heading = re.compile(rf"#+ {re.escape(WORST_HEADING + system)}( on |$)")
    for line in text.splitlines():
        if line.startswith("#"):
            in_table = bool(heading.match(line))
        elif in_table and line.startswith("| "):
            cells = [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
            if cells[0] == "key":
                with_notes = cells[-1] == "why"
            elif with_notes and cells[0] != "---" and cells[-1]:
                notes[cells[0]] = cells[-1]
    return notes


def write_output(
    path: Path,
    reports: Sequence[Report],
    jobs: int,
    warmup: int,
    rounds: int = 1,
    throughput: Throughput | None = None,
) -> None:
    """Replace this script's section of ``path`` (or append it), keeping earlier *why* notes."""
    existing = path.read_text(encoding="utf-8") if path.exists() else "# Extraction benchmarks\n"
    before, _, rest = existing.partition(SECTION_START)
    old_section, found_end, after = rest.partition(SECTION_END)
    if not found_end:
        before, old_section, after = existing.rstrip("\n") + "\n\n", "", ""
    notes = previous_notes(old_section, worst_system(reports[0]))
    section = render_section(reports, jobs, warmup, notes, rounds, throughput)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(before + section.rstrip("\n") + after.rstrip("\n") + "\n", encoding="utf-8")


def dump_texts(directory: Path, reports: Sequence[Report]) -> None:
    """Write ``DIR/<system>/<key>.txt`` for every system and ``DIR/truth/<key>.txt`` (keys are unique across sets)."""
    for report in reports:
        outputs = {system: run.texts for system, run in report.runs.items()}
        outputs["truth"] = {p.key: p.truth for p in report.pages}
        for name, texts in outputs.items():
            folder = directory / name
            folder.mkdir(parents=True, exist_ok=True)
            for key, text in texts.items():
                (folder / f"{key}.txt").write_text(text + "\n", encoding="utf-8")


def print_report(reports: Sequence[Report], throughput: Throughput | None = None) -> None:
    """The tables as plain text on stdout, errors on stderr."""
    print(text_table(overview_headers(reports), overview_rows(reports)))
    if throughput is not None:
        print(
            f"\nend to end on one core ({throughput.pages} pages), pages/s per round:\n  "
            + "\n  ".join(throughput_lines(throughput))
        )
    for report in reports:
        print(f"\n== {report.name}")
        print(text_table(QUALITY_HEADERS, quality_rows(report)))
        print(f"\nF1 of all pages to four places: {precise_f1(report)}")
        print("\npages/s per round: " + "; ".join(round_lines(report)))
        if report.differences:
            print()
            print(text_table(DIFFERENCE_HEADERS, difference_rows(report)))
        print()
        print(text_table(SLOWEST_HEADERS, slowest_rows(report)))
        focus = worst_system(report)
        print(f"\nWorst pages for {focus} on {report.name}:")
        print(text_table(worst_headers(report, focus), worst_rows(report, focus, {})))
        for system, run in report.runs.items():
            for key, error in sorted(run.errors.items()):
                print(f"error: {system} on {key}: {error}", file=sys.stderr)


def resolve_dataset(name: str) -> Path:
    """A dataset folder: the path as given or, when no such folder exists, that name under DATASETS."""
    path = Path(name)
    if not path.exists() and (DATASETS / name).is_dir():
        path = DATASETS / name
    return path.resolve()


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command-line options, checked; ``datasets``, ``systems`` and ``keys`` come back as lists."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--datasets",
        default=DEFAULT_DATASETS,
        help=f"comma list of dataset folders, or names under {DATASETS} (%(default)s)",
    )
    which.add_argument("--dataset", help="one dataset folder instead of --datasets")
    parser.add_argument(
        "--systems", default=DEFAULT_SYSTEMS, help=f"comma list of {', '.join(SYSTEMS)} (%(default)s)"
    )
    parser.add_argument("--keys", help="comma list of page keys to run instead of all")
    parser.add_argument("--limit", type=int, help="run only the first N pages of each set (in key order)")
    parser.add_argument(
        "--jobs", type=int, default=1, help="processes at once; above 1 speed figures are contended (1)"
    )
    parser.add_argument("--warmup", type=int, default=3, help="untimed pages before timing (%(default)s)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="timed rounds; a page's time is its fastest (%(default)s)"
    )
    parser.add_argument(
        "--throughput-rounds",
        type=int,
        default=3,
        help="end-to-end rounds of manage.py extract against trafilatura; 0 for none (%(default)s)",
    )
    parser.add_argument(
        "--output", default=str(DEFAULT_OUTPUT), help="markdown file to write; '-' for none (%(default)s)"
    )
    parser.add_argument("--dump", type=Path, help="write each system's text per page under this folder")
    args = parser.parse_args(argv)
    names = [args.dataset] if args.dataset else args.datasets.split(",")
    args.datasets = [resolve_dataset(name.strip()) for name in names if name.strip()]
    missing = [str(path) for path in args.datasets if not (path / "ground-truth.json").is_file()]
    if missing or not args.datasets:
        parser.error(f"no dataset (ground-truth.json) at {', '.join(missing) or 'an empty list'}")
    args.systems = [name.strip() for name in args.systems.split(",") if name.strip()]
    unknown = [name for name in args.systems if name not in SYSTEMS]
    if unknown or not args.systems:
        parser.error(f"--systems: unknown {unknown or 'empty list'}; choose from {', '.join(SYSTEMS)}")
    if args.jobs < 1 or args.rounds < 1 or args.warmup < 0 or (args.limit is not None and args.limit < 1):
        parser.error("--jobs, --rounds and --limit must be at least 1, --warmup at least 0")
    if args.throughput_rounds < 0:
        parser.error("--throughput-rounds must be at least 0")
    args.keys = [key.strip() for key in args.keys.split(",") if key.strip()] if args.keys else None
    return args


def select_pages(
    datasets: Sequence[Path], keys: Sequence[str] | None, limit: int | None
) -> list[tuple[Path, list[Page]]]:
    """The selected pages of each dataset; with ``keys``, each set's share of them, sets without any left out."""
    selected = []
    found: set[str] = set()
    for dataset in datasets:
        truth_keys = json.loads((dataset / "ground-truth.json").read_text(encoding="utf-8")).keys()
        own = [key for key in keys if key in truth_keys] if keys else None
        if keys and not own:
            continue
        found.update(own or ())
        selected.append((dataset, load_pages(dataset, own, limit)))
    unknown = [key for key in keys or () if key not in found]
    if unknown:
        raise SystemExit(f"unknown keys: {', '.join(unknown)}")
    return selected


def main() -> None:
    """Run every set, report, time end to end, write the markdown section and dump the texts as asked."""
    args = parse_args()
    selected = select_pages(args.datasets, args.keys, args.limit)
    started = time.perf_counter()
    reports = []
    for dataset, pages in selected:
        print(
            f"{dataset.name}: {len(pages)} pages, systems: {', '.join(args.systems)}, jobs: {args.jobs}",
            file=sys.stderr,
        )
        runs = run_systems(args.systems, dataset, pages, args.jobs, args.warmup, args.rounds)
        reports.append(build_report(pages, runs, dataset.name))
    throughput = None
    if args.throughput_rounds:
        files = [(dataset, p.key) for dataset, pages in selected for p in pages]
        throughput = measure(args.systems, files, args.throughput_rounds)
    print_report(reports, throughput)
    if args.output != "-":
        write_output(Path(args.output), reports, args.jobs, args.warmup, args.rounds, throughput)
        print(f"\nwrote {args.output}", file=sys.stderr)
    if args.dump:
        dump_texts(args.dump, reports)
        print(f"dumped texts under {args.dump}", file=sys.stderr)
    print(f"total {time.perf_counter() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
