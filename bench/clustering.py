"""Clustering benchmark: the cost of checking one new article against 10,000 and 100,000 stored ones.

Fills a scratch PostgreSQL database with synthetic agency stories (a fifth of them rewritten
takes of earlier ones), their MinHash signatures and LSH bands, then times the check the
project runs for each new article (``clustering.body_signature`` + ``clustering.story_matches``:
one query on the (band, hash) index, then the similarity of the candidates) against a
brute-force baseline in the same run: read every stored signature and compare them all, the
obvious way without an index for workers that hold no state. Usage::

    .venv/bin/python bench/clustering.py [--sizes 10000,100000] [--checks 200]
        [--baseline-checks 200] [--output docs/benchmarks.md] [--keep]

The database comes from ``DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/newsroom_bench``); it is dropped, created, migrated and
dropped again at the end (``--keep`` leaves it). It takes about four minutes on two cores,
most of it storing the 100,000 articles and the brute-force checks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import io
import os
import platform
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `articles` and `newsroom` importable
    sys.path.insert(0, str(ROOT))

from bench.report import code_version, command_line, cpu_description, section_write  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench"
DEFAULT_OUTPUT = ROOT / "docs" / "benchmarks.md"
SECTION_START = "<!-- bench/clustering.py: start -->"
SECTION_END = "<!-- bench/clustering.py: end -->"
SEED = 20260501
# Share of stored articles that are another take of an earlier stored story.
TAKE_SHARE = 0.2
VOCABULARY = 30_000
ZIPF_EXPONENT = 1.07
BATCH = 5_000
PROJECT = "LSH bands in PostgreSQL (project)"
BASELINE = "brute force: read all signatures, compare (baseline)"
IN_MEMORY = "all signatures already in memory (reference)"


# --- Synthetic stories -------------------------------------------------------------------


class StoryWriter:
    """Agency-like copy: Zipf-distributed words in paragraphs, and rewritten takes of a story."""

    def __init__(self, seed: int) -> None:
        self.random = np.random.default_rng(seed)
        common = (ROOT / "articles" / "extraction" / "data" / "common_words.txt").read_text(encoding="utf-8")
        words = [w for w in common.split() if w.isalpha()]
        syllables = ["ka", "lo", "mi", "ra", "sen", "tu", "vor", "el", "an", "dri", "os", "ber", "qu", "zan"]
        while len(words) < VOCABULARY:
            size = int(self.random.integers(2, 5))
            words.append("".join(self.random.choice(syllables, size)))
        self.words = np.array(words[:VOCABULARY])
        weights = 1 / np.arange(1, VOCABULARY + 1) ** ZIPF_EXPONENT
        self.cumulative = np.cumsum(weights / weights.sum())

    def _words(self, size: int) -> np.ndarray:
        ranks = np.searchsorted(self.cumulative, self.random.random(size))
        return self.words[np.minimum(ranks, VOCABULARY - 1)]

    def _paragraph(self) -> str:
        return " ".join(self._words(int(self.random.integers(25, 80)))) + "."

    def story(self) -> str:
        return "\n\n".join(self._paragraph() for _ in range(int(self.random.integers(4, 9))))

    def take(self, story: str) -> str:
        """Another take: some words changed, maybe a new lead, maybe the last paragraph cut."""
        paragraphs = story.split("\n\n")
        changed = float(self.random.uniform(0.02, 0.10))
        rewritten = []
        for paragraph in paragraphs:
            words = paragraph.split()
            for index in np.flatnonzero(self.random.random(len(words)) < changed):
                words[index] = str(self._words(1)[0])
            rewritten.append(" ".join(words))
        if len(rewritten) > 4 and self.random.random() < 0.5:
            rewritten.pop()
        if self.random.random() < 0.5:
            rewritten.insert(0, self._paragraph())
        return "\n\n".join(rewritten)


@dataclass
class Corpus:
    bodies: list[str] = field(default_factory=list)
    # Index of the stored story each body is a take of, or None.
    take_of: list[int | None] = field(default_factory=list)


def grow_corpus(corpus: Corpus, writer: StoryWriter, size: int) -> None:
    while len(corpus.bodies) < size:
        if corpus.bodies and writer.random.random() < TAKE_SHARE:
            original = int(writer.random.integers(0, len(corpus.bodies)))
            root = corpus.take_of[original] if corpus.take_of[original] is not None else original
            corpus.bodies.append(writer.take(corpus.bodies[root]))
            corpus.take_of.append(root)
        else:
            corpus.bodies.append(writer.story())
            corpus.take_of.append(None)


# --- Database --------------------------------------------------------------------------------


def database_reset(url: str, *, create: bool) -> None:
    """Drop the benchmark database, and create it again when ``create``."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"\w+", name) or name in {"postgres", "newsroom", "template0", "template1"}:
        raise SystemExit(f"refusing to drop database {name!r}: give the benchmark its own database")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def django_setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def store(corpus: Corpus, start: int, stop: int, signatures: dict[int, object]) -> None:
    """Articles start..stop-1 of the corpus, with their fingerprints and bands (bulk inserts)."""
    from django.db import connection

    from articles import clustering
    from articles.models import Article, StoryBand, StoryFingerprint

    now = dt.datetime.now(dt.UTC).isoformat()
    for first in range(start, stop, BATCH):
        last = min(first + BATCH, stop)
        articles = Article.objects.bulk_create(
            Article(headline=f"Synthetic story {i}", slug=f"synthetic-story-{i}", body_text="")
            for i in range(first, last)
        )
        fingerprints, bands = io.StringIO(), io.StringIO()
        for index, article in zip(range(first, last), articles, strict=True):
            signature = clustering.body_signature(corpus.bodies[index])
            signatures[article.pk] = signature
            fingerprints.write(
                f"{article.pk}\t\\\\x{signature.to_bytes().hex()}\t{signature.shingles}\t{now}\n"
            )
            for band, value in enumerate(clustering.band_hashes(signature.values)):
                bands.write(f"{article.pk}\t{band}\t{value}\n")
        fingerprint_table, band_table = StoryFingerprint._meta.db_table, StoryBand._meta.db_table
        with connection.cursor() as cursor:
            columns = "(article_id, signature, shingles, updated_at)"
            with cursor.copy(f"COPY {fingerprint_table} {columns} FROM STDIN") as copy:
                copy.write(fingerprints.getvalue())
            with cursor.copy(f"COPY {band_table} (fingerprint_id, band, hash) FROM STDIN") as copy:
                copy.write(bands.getvalue())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def table_bytes() -> dict[str, int]:
    from django.db import connection

    from articles.models import StoryBand, StoryFingerprint

    sizes = {}
    with connection.cursor() as cursor:
        for model in (StoryFingerprint, StoryBand):
            cursor.execute("SELECT pg_total_relation_size(%s)", [model._meta.db_table])
            sizes[model.__name__] = cursor.fetchone()[0]
    return sizes


# --- Checks --------------------------------------------------------------------------------


@dataclass
class Timing:
    method: str
    seconds: list[float] = field(default_factory=list)

    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    def p95_ms(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


@dataclass
class SizeResult:
    stored: int
    timings: list[Timing]
    candidates: list[int]
    recall: float
    found_takes: tuple[int, int]
    fresh_matched: tuple[int, int]
    storage: dict[str, int]
    plan: str
    store_ms: float


def make_checks(corpus: Corpus, writer: StoryWriter, count: int) -> list[tuple[str, int | None]]:
    """New articles to check: half takes of stored stories (the root they repeat), half fresh."""
    checks = []
    for index in range(count):
        if index % 2 == 0:
            original = int(writer.random.integers(0, len(corpus.bodies)))
            root = corpus.take_of[original] if corpus.take_of[original] is not None else original
            checks.append((writer.take(corpus.bodies[root]), root))
        else:
            checks.append((writer.story(), None))
    return checks


def brute_force_rows():
    from django.db import connection

    from articles.models import StoryFingerprint

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT article_id, signature FROM {StoryFingerprint._meta.db_table}")
        return cursor.fetchall()


def run_size(
    corpus: Corpus,
    signatures: dict,
    article_ids: list[int],
    checks: list[tuple[str, int | None]],
    baseline_checks: int,
) -> SizeResult:
    from django.db import transaction

    from articles import clustering
    from articles.models import Article

    stored = len(article_ids)
    project, baseline, memory = Timing(PROJECT), Timing(BASELINE), Timing(IN_MEMORY)
    found: list[set[int]] = []
    candidates: list[int] = []
    # One untimed check warms the connection and the caches, as a running worker would have them.
    clustering.story_matches(signature=clustering.body_signature(checks[0][0]))
    for body, _ in checks:
        started = time.perf_counter()
        signature = clustering.body_signature(body)
        matches = clustering.story_matches(signature=signature)
        project.seconds.append(time.perf_counter() - started)
        found.append({match.article_id for match in matches})
        candidates.append(len(clustering.story_candidates(signature=signature)))

    truth: list[set[int]] = []
    for body, _ in checks[:baseline_checks]:
        started = time.perf_counter()
        signature = clustering.body_signature(body)
        matches = clustering.signature_matches(signature, brute_force_rows())
        baseline.seconds.append(time.perf_counter() - started)
        truth.append({match.article_id for match in matches})

    ids = np.array(list(signatures))
    matrix = np.stack([signatures[i].values for i in ids])
    for body, _ in checks:
        started = time.perf_counter()
        signature = clustering.body_signature(body)
        scores = clustering.similarities(signature.values, matrix)
        _ = ids[scores >= clustering.DUPLICATE_THRESHOLD]
        memory.seconds.append(time.perf_counter() - started)

    in_truth = sum(len(t) for t in truth)
    recall = sum(len(f & t) for f, t in zip(found, truth, strict=False)) / in_truth if in_truth else 1.0
    id_of = dict(enumerate(article_ids))
    takes = [
        (found_ids, id_of[root])
        for (_, root), found_ids in zip(checks, found, strict=True)
        if root is not None
    ]
    found_takes = (sum(root in found_ids for found_ids, root in takes), len(takes))
    fresh = [found_ids for (_, root), found_ids in zip(checks, found, strict=True) if root is None]
    fresh_matched = (sum(bool(found_ids) for found_ids in fresh), len(fresh))

    plan = clustering.story_candidates(signature=clustering.body_signature(checks[0][0])).explain(
        analyze=True
    )

    # The whole service, writes included, on articles that are rolled back afterwards.
    store_seconds = []
    with transaction.atomic():
        for index, (body, _) in enumerate(checks[:50]):
            article = Article.objects.create(
                headline=f"Check {index}", slug=f"check-{stored}-{index}", body_text=body
            )
            started = time.perf_counter()
            clustering.article_cluster(article=article)
            store_seconds.append(time.perf_counter() - started)
        transaction.set_rollback(True)

    return SizeResult(
        stored=stored,
        timings=[project, baseline, memory],
        candidates=candidates,
        recall=recall,
        found_takes=found_takes,
        fresh_matched=fresh_matched,
        storage=table_bytes(),
        plan=plan,
        store_ms=statistics.median(store_seconds) * 1000,
    )


# --- Report ---------------------------------------------------------------------------------


def markdown_table(headers, rows) -> str:
    def line(cells) -> str:
        return "| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |"

    return "\n".join([line(headers), line(["---"] * len(headers)), *(line(row) for row in rows)])


def machine_description() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0].split()[0]
    libraries = ", ".join(
        f"{name} {importlib.metadata.version(name)}" for name in ("datasketch", "numpy", "Django")
    )
    return (
        f"{cpu_description()}, {platform.system()} {platform.machine()}; "
        f"Python {platform.python_version()}; PostgreSQL {server} on the same machine; {libraries}"
    )


def render_section(results: list[SizeResult], checks: int, baseline_checks: int) -> str:
    from articles import clustering

    timing_rows = []
    for result in results:
        for timing in result.timings:
            timing_rows.append(
                [
                    f"{result.stored:,}",
                    timing.method,
                    f"{timing.median_ms():.2f}",
                    f"{timing.p95_ms():.2f}",
                    len(timing.seconds),
                ]
            )
    detail_rows = [
        [
            f"{result.stored:,}",
            f"{statistics.median(result.candidates):.0f} / {sorted(result.candidates)[round(0.95 * (len(result.candidates) - 1))]}",
            f"{result.recall:.3f}",
            f"{result.found_takes[0]}/{result.found_takes[1]}",
            f"{result.fresh_matched[0]}/{result.fresh_matched[1]}",
            f"{(result.storage['StoryFingerprint'] + result.storage['StoryBand']) / result.stored:,.0f}",
            f"{result.store_ms:.2f}",
        ]
        for result in results
    ]
    last = results[-1]
    plan_lines = [
        re.sub(r"'\{[^}]*\}'", "'{…32 band hashes…}'", line.strip().removeprefix("->  "))
        for line in last.plan.splitlines()
        if "Index" in line or "Bitmap" in line
    ]
    return "\n".join(
        [
            "## Clustering benchmark",
            "",
            "Written by `bench/clustering.py` (usage in its docstring); a new run replaces this section.",
            "",
            f"- Command: `{command_line()}`",
            f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
            f"- Machine: {machine_description()}",
            f"- Code: commit {code_version()}",
            f"- Stored articles: synthetic agency copy (Zipf-distributed words over a {VOCABULARY:,}-word "
            f"vocabulary, 4–8 paragraphs of 25–80 words); {TAKE_SHARE:.0%} are another take of an earlier "
            "story (2–10% of words changed, half with a new lead, half with the last paragraph cut). "
            "Fingerprints and bands are bulk-inserted (COPY) and the tables analysed.",
            f"- Checks: {checks} new articles per size, half takes of a stored story and half fresh; "
            f"one check = signature of the body ({clustering.NUM_PERM} permutations, "
            f"{clustering.SHINGLE_WORDS}-word shingles) + finding the stored articles with estimated "
            f"Jaccard ≥ {clustering.DUPLICATE_THRESHOLD}. *{PROJECT}*: `clustering.story_matches`, one query on "
            f"the band-hash index ({clustering.BANDS} bands × {clustering.ROWS} rows) and the similarity of "
            f"the candidates. *{BASELINE}*: one `SELECT` of every stored signature and a numpy comparison "
            f"({baseline_checks} checks). *{IN_MEMORY}*: numpy over a matrix loaded beforehand, which stateless "
            "workers do not have; it shows the comparison's own cost. Times are wall-clock per check, database "
            "round trips included.",
            "",
            "### Cost of checking one new article",
            "",
            markdown_table(["stored", "method", "median ms", "p95 ms", "checks"], timing_rows),
            "",
            "### Candidates, agreement with brute force, storage",
            "",
            "*candidates*: stored articles sharing a band (median / p95); *recall*: share of the brute-force "
            "matches the band query also found; *takes found*: takes whose original story was matched; "
            "*fresh matched*: fresh stories that matched anything (false duplicates); *bytes/article*: "
            "fingerprint and band tables with their indexes, divided by the stored articles; *check + store*: "
            "median of `clustering.article_cluster` (check, fingerprint and band inserts, links), 50 articles "
            "in a rolled-back transaction.",
            "",
            markdown_table(
                [
                    "stored",
                    "candidates",
                    "recall",
                    "takes found",
                    "fresh matched",
                    "bytes/article",
                    "check + store ms",
                ],
                detail_rows,
            ),
            "",
            f"Plan of the candidate query at {last.stored:,} (`EXPLAIN ANALYZE`, index lines): "
            + "; ".join(f"`{line}`" for line in plan_lines[:3]),
        ]
    )


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="stored-article counts, ascending")
    parser.add_argument("--checks", type=int, default=200, help="new articles checked per size")
    parser.add_argument(
        "--baseline-checks", type=int, default=200, help="of those, checked by brute force too"
    )
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT), help="markdown report; - writes none")
    parser.add_argument("--keep", action="store_true", help="leave the benchmark database in place")
    return parser.parse_args(argv)


def main() -> None:
    args = parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must point at PostgreSQL")
    database_reset(url, create=True)
    try:
        django_setup(url)
        writer = StoryWriter(SEED)
        corpus = Corpus()
        signatures: dict[int, object] = {}
        results = []
        for size in sizes:
            started = time.perf_counter()
            before = len(corpus.bodies)
            grow_corpus(corpus, writer, size)
            store(corpus, before, size, signatures)
            print(f"stored {size:,} articles in {time.perf_counter() - started:.0f} s", file=sys.stderr)
            checks = make_checks(corpus, writer, args.checks)
            result = run_size(corpus, signatures, list(signatures), checks, args.baseline_checks)
            results.append(result)
            for timing in result.timings:
                print(
                    f"{size:>9,}  {timing.method:<55} median {timing.median_ms():8.2f} ms"
                    f"  p95 {timing.p95_ms():8.2f} ms",
                    file=sys.stderr,
                )
            print(
                f"{size:>9,}  recall vs brute force {result.recall:.3f}, takes found "
                f"{result.found_takes[0]}/{result.found_takes[1]}, fresh matched {result.fresh_matched[0]}",
                file=sys.stderr,
            )
        section = render_section(results, args.checks, args.baseline_checks)
        print(section)
        if args.output != "-":
            section_write(Path(args.output), section, start=SECTION_START, end=SECTION_END)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            database_reset(url, create=False)


if __name__ == "__main__":
    main()
