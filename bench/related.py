"""Related-articles benchmark: list quality on labelled story threads, and the cost of one refresh.

Quality: precision@5 and nDCG@5 of the related lists, a story's relevant set being the other
stories of its thread, for the project's scorer and its parts (entities only, text only), the
text-similarity alternative (PostgreSQL full-text ``ts_rank`` against TF-IDF keyword vectors)
and the v1 keyword-overlap scorer as the baseline. Two labelled corpora:

- ``fixtures/demo``: 36 real-shaped wire stories in 7 threads, run through the whole pipeline
  (ingest, extraction, clustering, entity tagging, incremental related upkeep);
- a synthetic threaded corpus (the one the timings use): threads with their own entities and
  vocabulary over Zipf-distributed background words and entities; stored in bulk.

Cost: ``related.article_related_refresh`` (the task's service: candidates, scoring, the
article's list, the offers to its neighbours' lists, all writes) for new articles with 10,000
and 100,000 stories stored, against a baseline that scores the new article against every
stored story (v1's method without its window). Usage::

    .venv/bin/python bench/related.py [--sizes 10000,100000] [--new 40] [--queries 200]
        [--output docs/benchmarks.md] [--keep]

The database is ``newsroom_bench_related`` on the server of ``DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/``); it is dropped, created, migrated, and dropped again at
the end (``--keep`` leaves it). The cache is the process's local memory, Celery runs eagerly.
About five minutes on two cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import math
import os
import platform
import re
import shlex
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `articles` and `newsroom` importable
    sys.path.insert(0, str(ROOT))

from bench.report import code_version, cpu_description, section_write  # noqa: E402

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"
DATABASE_NAME = "newsroom_bench_related"
DEFAULT_OUTPUT = ROOT / "docs" / "benchmarks.md"
DEMO = ROOT / "fixtures" / "demo"
SECTION_START = "<!-- bench/related.py: start -->"
SECTION_END = "<!-- bench/related.py: end -->"
SEED = 20261125
K = 5
VOCABULARY = 30_000
ENTITY_POOL = 20_000
BATCH = 5_000
# Synthetic timeline: stories per day (a tenth of the design's 5,000; threads last days, not hours).
PER_DAY = 500

PROJECT = "project: entities + TF-IDF text, × recency"
ENTITIES = "entities only (rarity-weighted), × recency"
TEXT_TFIDF = "text only: TF-IDF keyword vectors, × recency"
TEXT_FTS = "text only: PostgreSQL full-text ts_rank, × recency"
PROJECT_FTS = "entities + full-text ts_rank, × recency"
NO_RECENCY = "project without recency"
V1 = "keyword overlap v1 (baseline)"
V1_SAME = "keyword overlap v1 on the index's candidates"
STORED = "project as stored: threshold, clusters, incremental upkeep"
SCRATCH = "project as stored, every list recomputed from scratch at the end"
SHOWN = "the list readers see: editors' and found links first, then the stored ones"
PROJECT_GROUPED = "project, one item per story cluster (as lists show them)"
V1_GROUPED = "keyword overlap v1, one item per story cluster"


# --- Metrics --------------------------------------------------------------------------------------


def precision_at(ranked: list[int], relevant: set[int], k: int = K) -> float:
    return sum(1 for pk in ranked[:k] if pk in relevant) / k


def ndcg_at(ranked: list[int], relevant: set[int], k: int = K) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, pk in enumerate(ranked[:k]) if pk in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return dcg / ideal if ideal else 0.0


@dataclass
class Quality:
    precision: list[float] = field(default_factory=list)
    ndcg: list[float] = field(default_factory=list)

    def add(self, ranked: list[int], relevant: set[int]) -> None:
        self.precision.append(precision_at(ranked, relevant))
        self.ndcg.append(ndcg_at(ranked, relevant))

    def row(self) -> tuple[float, float, int]:
        return statistics.fmean(self.precision), statistics.fmean(self.ndcg), len(self.precision)


# --- Database ----------------------------------------------------------------------------------------


def database_url(server: str) -> str:
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path=f"/{DATABASE_NAME}"))


def database_reset(url: str, *, create: bool) -> None:
    import psycopg

    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE_NAME}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def django_setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def analyze() -> None:
    """Statistics, and the full-text index's pending entries merged, as autovacuum would after a bulk load."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# --- Rankers --------------------------------------------------------------------------------------------


def fts_ranks(article, candidate_ids: list[int], terms: int = 10) -> dict[int, float]:
    """PostgreSQL ``ts_rank`` (normalised to 0–1 with flag 32) of each candidate against the article's keywords."""
    from django.db import connection

    from articles.filters import SEARCH_CONFIG

    words = [w for w in (article.keywords or [])[:terms] if re.fullmatch(r"[\w'’-]+", w)]
    if not words or not candidate_ids:
        return {}
    query = " || ".join(["plainto_tsquery(%s::regconfig, %s)"] * len(words))
    params = [p for w in words for p in (SEARCH_CONFIG, w)]
    sql = (
        "SELECT id, ts_rank(to_tsvector(%s::regconfig, COALESCE(headline, '') || ' ' || COALESCE(body_text, '')), "
        f"({query}), 32) FROM articles_article WHERE id = ANY(%s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [SEARCH_CONFIG, *params, list(candidate_ids)])
        return {pk: float(rank) for pk, rank in cursor.fetchall()}


def rank_variants(article, *, with_fts: bool) -> dict[str, list[int]]:
    """Each variant's ranking of the article's candidates (score > 0, best first).

    All variants rank the same candidates (the index's) from the same parts, so only the
    weighting differs.
    """
    from articles.related import candidates

    params = candidates.scoring_params()
    hood = candidates.article_neighbourhood(article, params=candidates.scoring_params(min_score=-1.0))
    parts = {candidate.article_id: score for candidate, score in hood.ranked}

    def order(values: dict[int, float]) -> list[int]:
        ranked = sorted(
            ((value, pk) for pk, value in values.items() if value > 0), key=lambda i: (-i[0], -i[1])
        )
        return [pk for _, pk in ranked]

    rankings = {
        PROJECT: order({pk: s.total for pk, s in parts.items()}),
        ENTITIES: order({pk: s.entity * s.recency for pk, s in parts.items()}),
        TEXT_TFIDF: order({pk: s.text * s.recency for pk, s in parts.items()}),
        NO_RECENCY: order({pk: s.relevance for pk, s in parts.items()}),
    }
    from articles.related.keywords import keyword_similarity

    keywords = {candidate.article_id: candidate.keywords for candidate, _ in hood.ranked}
    rankings[V1_SAME] = order({pk: keyword_similarity(article.keywords, keywords[pk]) for pk in parts})
    if with_fts:
        fts = fts_ranks(article, list(parts))
        rankings[TEXT_FTS] = order({pk: fts.get(pk, 0.0) * s.recency for pk, s in parts.items()})
        # ts_rank with flag 32 stays well under 1: scaled to the best candidate's, it weighs like a cosine.
        top = max(fts.values(), default=0.0) or 1.0
        rankings[PROJECT_FTS] = order(
            {
                pk: (params.entity_weight * s.entity + params.text_weight * fts.get(pk, 0.0) / top)
                * s.recency
                for pk, s in parts.items()
            }
        )
    return rankings


def one_per_cluster(ranked: list[int], clusters: dict[int, int]) -> list[int]:
    """``ranked`` as a related list shows it: the best take of each story cluster takes a place, the
    others are its *also from*."""
    seen: set[int] = set()
    shown = []
    for pk in ranked:
        cluster = clusters.get(pk)
        if cluster is None or cluster not in seen:
            shown.append(pk)
            if cluster is not None:
                seen.add(cluster)
    return shown


def rank_v1(article, window_ids: list[int], keywords: dict[int, list[str]]) -> list[int]:
    from articles.related.keywords import keyword_similarity

    scored = [
        (keyword_similarity(article.keywords, keywords[pk]), pk) for pk in window_ids if pk != article.pk
    ]
    return [pk for score, pk in sorted(scored, key=lambda item: (-item[0], -item[1])) if score > 0]


# --- The demo corpus ---------------------------------------------------------------------------------------


def demo_quality() -> tuple[dict[str, tuple[float, float, int]], dict]:
    from django.core.management import call_command

    from articles import services
    from articles.models import Article, StoryFingerprint
    from articles.related.cache import RELATED_MAX_ITEMS
    from articles.related.display import related_items
    from articles.related.refresh import article_related_refresh

    call_command("load_knowledge", stdout=io.StringIO())
    manifest = json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))
    started = time.perf_counter()
    for entry in manifest:
        path = DEMO / "stories" / entry["file"]
        services.raw_document_ingest(
            content=path.read_bytes(),
            source=f"demo/{entry['file']}",
            content_type="text/html" if path.suffix == ".html" else "text/plain",
            reference_date=dt.date.fromisoformat(entry["reference_date"]),
            publish=True,
        )
    pipeline_s = time.perf_counter() - started
    thread = {}
    for entry in manifest:
        article = Article.objects.filter(raw_document__source=f"demo/{entry['file']}").first()
        if article is None:
            print(f"  {entry['file']} gave no article (extraction failed); left out", flush=True)
            continue
        thread[article.pk] = entry["thread"]
    articles = {a.pk: a for a in Article.objects.filter(pk__in=thread)}
    members = defaultdict(set)
    for pk, name in thread.items():
        members[name].add(pk)

    # The computed part of each list (found links come first on the page, so more are asked for).
    stored = {
        pk: [
            item.article_id
            for item in related_items(article=a, limit=RELATED_MAX_ITEMS)
            if item.kind == "computed"
        ][:K]
        for pk, a in articles.items()
    }
    shown = {
        pk: [item.article_id for item in related_items(article=a, limit=K)] for pk, a in articles.items()
    }
    keywords = {pk: a.keywords for pk, a in articles.items()}
    clusters = dict(
        StoryFingerprint.objects.filter(article_id__in=articles, cluster_id__isnull=False).values_list(
            "article_id", "cluster_id"
        )
    )
    results: dict[str, Quality] = defaultdict(Quality)
    for pk, article in articles.items():
        relevant = members[thread[pk]] - {pk}
        for name, ranked in rank_variants(article, with_fts=True).items():
            results[name].add(ranked, relevant)
            if name == PROJECT:
                results[PROJECT_GROUPED].add(one_per_cluster(ranked, clusters), relevant)
        v1 = rank_v1(article, list(articles), keywords)
        results[V1].add(v1, relevant)
        results[V1_GROUPED].add(one_per_cluster(v1, clusters), relevant)
        results[STORED].add(stored[pk], relevant)
        results[SHOWN].add(shown[pk], relevant)

    # Incremental upkeep against recomputing every list from scratch with the whole corpus.
    for article in articles.values():
        article_related_refresh(article=article, propagate=False)
    scratch = {
        pk: [
            item.article_id
            for item in related_items(article=a, limit=RELATED_MAX_ITEMS)
            if item.kind == "computed"
        ][:K]
        for pk, a in articles.items()
    }
    for pk in articles:
        results[SCRATCH].add(scratch[pk], members[thread[pk]] - {pk})
    same = sum(1 for pk in articles if stored[pk] == scratch[pk])
    overlap = statistics.fmean(
        len(set(stored[pk]) & set(scratch[pk])) / max(len(scratch[pk]), 1) for pk in articles
    )
    ceiling = statistics.fmean(min(K, len(members[thread[pk]]) - 1) / K for pk in articles)
    info = {
        "manifest": len(manifest),
        "stories": len(articles),
        "threads": len(members),
        "pipeline_s": pipeline_s,
        "identical": same,
        "overlap": overlap,
        "ceiling": ceiling,
        "clusters": sum(
            1 for a in articles.values() if getattr(a, "fingerprint", None) and a.fingerprint.cluster_id
        ),
    }
    return {name: q.row() for name, q in results.items()}, info


# --- A synthetic threaded corpus --------------------------------------------------------------------------


class Writer:
    """Threads of stories: shared entities and vocabulary over Zipf-distributed background ones."""

    def __init__(self, seed: int) -> None:
        self.random = np.random.default_rng(seed)
        common = (ROOT / "articles" / "extraction" / "data" / "common_words.txt").read_text(encoding="utf-8")
        words = [w.lower() for w in common.split() if w.isalpha() and len(w) > 2]
        words = list(dict.fromkeys(words))
        syllables = ["ka", "lo", "mi", "ra", "sen", "tu", "vor", "el", "an", "dri", "os", "ber", "qu", "zan"]
        seen = set(words)
        while len(words) < VOCABULARY:
            word = "".join(self.random.choice(syllables, int(self.random.integers(2, 5))))
            if word not in seen:
                seen.add(word)
                words.append(word)
        self.words = words[:VOCABULARY]
        self.word_cdf = np.cumsum(w := 1 / np.arange(1, VOCABULARY + 1) ** 1.05) / w.sum()
        self.entity_cdf = np.cumsum(e := 1 / np.arange(1, ENTITY_POOL + 1) ** 1.0) / e.sum()
        self.threads: list[dict] = []

    def _zipf(self, cdf, size):
        return np.minimum(np.searchsorted(cdf, self.random.random(size)), len(cdf) - 1)

    def new_thread(self, day: float) -> int:
        popular = [int(x) for x in self._zipf(self.entity_cdf, 1)]
        rare = [int(x) for x in self.random.integers(200, ENTITY_POOL, int(self.random.integers(1, 4)))]
        vocabulary = [int(x) for x in np.exp(self.random.uniform(math.log(300), math.log(VOCABULARY), 12))]
        self.threads.append({"entities": popular + rare, "words": vocabulary, "day": day, "size": 0})
        return len(self.threads) - 1

    def story(self, thread_id: int, day: float) -> dict:
        thread = self.threads[thread_id]
        thread["size"] += 1
        core = [e for e in thread["entities"] if self.random.random() < 0.75] or thread["entities"][:1]
        entities = {e: int(self.random.integers(1, 5)) for e in core}
        for e in self._zipf(self.entity_cdf, int(self.random.integers(0, 4))):
            entities.setdefault(int(e), 1)
        own = list(dict.fromkeys(int(x) for x in self.random.choice(thread["words"], 10)))
        background = [int(x) for x in self._zipf(self.word_cdf, 40) if x >= 60][:22]
        weights = {w: self.random.uniform(0.8, 2.0) for w in own}
        for w in background:
            weights.setdefault(w, self.random.uniform(0.0, 1.2))
        keywords = [self.words[w] for w in sorted(weights, key=lambda w: -weights[w])][:30]
        return {"thread": thread_id, "entities": entities, "keywords": keywords, "day": day}

    def corpus(self, size: int, start_day: float = 0.0) -> list[dict]:
        """``size`` stories in time order; each continues a recent thread or starts a new one."""
        stories = []
        day = start_day
        for _ in range(size):
            day += float(self.random.exponential(1 / PER_DAY))
            live = [t for t in range(max(0, len(self.threads) - 400), len(self.threads))]
            live = [t for t in live if day - self.threads[t]["day"] < 10 and self.threads[t]["size"] < 25]
            if live and self.random.random() < 0.8:
                thread_id = int(self.random.choice(live))
            else:
                thread_id = self.new_thread(day)
            stories.append(self.story(thread_id, day))
        return stories


EPOCH = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def store_entities() -> list[int]:
    from entities.models import Entity

    rows = Entity.objects.bulk_create(
        Entity(name=f"Synthetic entity {i}", type="person", slug=f"synthetic-entity-{i}")
        for i in range(ENTITY_POOL)
    )
    return [row.pk for row in rows]


def store_stories(stories: list[dict], entity_ids: list[int], offset: int) -> list[int]:
    from django.db import connection

    from articles.models import Article
    from entities.models import Mention

    ids = []
    for first in range(0, len(stories), BATCH):
        chunk = stories[first : first + BATCH]
        articles = Article.objects.bulk_create(
            Article(
                headline=" ".join(s["keywords"][:6]).capitalize(),
                slug=f"synthetic-{offset + first + i}",
                body_text=" ".join(s["keywords"]) + ".",
                keywords=s["keywords"],
                published_at=EPOCH + dt.timedelta(days=s["day"]),
                published_precision="minute",
                status=Article.Status.PUBLISHED,
                language="en",
            )
            for i, s in enumerate(chunk)
        )
        buffer = io.StringIO()
        for article, s in zip(articles, chunk, strict=True):
            ids.append(article.pk)
            for e, count in s["entities"].items():
                buffer.write(f"{article.pk}\t{entity_ids[e]}\t{count}\t[]\t1.0\talias\n")
        with connection.cursor() as cursor:
            columns = "(article_id, entity_id, count, spans, confidence, method)"
            with cursor.copy(f"COPY {Mention._meta.db_table} {columns} FROM STDIN") as copy:
                copy.write(buffer.getvalue())
    return ids


@dataclass
class Timing:
    cold_ms: float = 0.0
    warm_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    lists_changed: list[int] = field(default_factory=list)
    baseline_ms: list[float] = field(default_factory=list)


def prefill(ids: list[int]) -> float:
    """Compute the lists of the most recent stored stories (their own only), as a live site has them."""
    from articles.models import Article
    from articles.related.refresh import article_related_refresh

    started = time.perf_counter()
    for article in Article.objects.filter(pk__in=ids).order_by("pk").iterator():
        article_related_refresh(article=article, propagate=False)
    return time.perf_counter() - started


def time_refreshes(writer: Writer, entity_ids: list[int], count: int, offset: int) -> Timing:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article, RelatedLink
    from articles.related.keywords import keyword_similarity
    from articles.related.refresh import article_related_refresh

    timing = Timing()
    day = max(t["day"] for t in writer.threads)
    new = writer.corpus(count, start_day=day)
    ids = store_stories(new, entity_ids, offset)
    analyze()
    cache.clear()
    for n, pk in enumerate(ids):
        article = Article.objects.get(pk=pk)
        before = RelatedLink.objects.filter(to_article_id=pk).count()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            article_related_refresh(article=article)
            elapsed = (time.perf_counter() - started) * 1000
        if n == 0:
            timing.cold_ms = elapsed
        else:
            timing.warm_ms.append(elapsed)
            timing.queries.append(len(queries))
        timing.lists_changed.append(RelatedLink.objects.filter(to_article_id=pk).count() - before)
    # Baseline: every stored story read and scored against the new one (v1 without its window).
    for pk in ids[:5]:
        article = Article.objects.get(pk=pk)
        started = time.perf_counter()
        rows = (
            Article.objects.published()
            .exclude(pk=pk)
            .values_list("id", "keywords")
            .iterator(chunk_size=10_000)
        )
        best = sorted(((keyword_similarity(article.keywords, kw), i) for i, kw in rows), reverse=True)[:10]
        timing.baseline_ms.append((time.perf_counter() - started) * 1000)
        del best
    return timing


def synthetic_quality(stories: list[dict], ids: list[int], queries: int, seed: int) -> dict:
    from articles.models import Article

    random = np.random.default_rng(seed)
    members = defaultdict(set)
    for pk, s in zip(ids, stories, strict=True):
        members[s["thread"]].add(pk)
    thread_of = {pk: s["thread"] for pk, s in zip(ids, stories, strict=True)}
    eligible = [pk for pk in ids if len(members[thread_of[pk]]) >= 3]
    chosen = [int(x) for x in random.choice(eligible, size=min(queries, len(eligible)), replace=False)]
    window = list(Article.objects.published().order_by("-id").values_list("id", "keywords")[:2000])
    keywords = dict(window)
    results: dict[str, Quality] = defaultdict(Quality)
    for pk in chosen:
        article = Article.objects.get(pk=pk)
        relevant = members[thread_of[pk]] - {pk}
        for name, ranked in rank_variants(article, with_fts=True).items():
            results[name].add(ranked, relevant)
        results[V1 + ", 2,000 most recent (as v1 ran)"].add(
            rank_v1(article, list(keywords), keywords), relevant
        )
    ceiling = statistics.fmean(min(K, len(members[thread_of[pk]]) - 1) / K for pk in chosen)
    return {
        "rows": {name: q.row() for name, q in results.items()},
        "ceiling": ceiling,
        "queries": len(chosen),
    }


# --- Report ---------------------------------------------------------------------------------------------


def _pg_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0].split()[0]


def _quality_table(rows: dict[str, tuple[float, float, int]], order: list[str]) -> list[str]:
    lines = ["| scorer | P@5 | nDCG@5 | stories |", "| --- | --- | --- | --- |"]
    for name in order:
        if name in rows:
            p, n, count = rows[name]
            lines.append(f"| {name} | {p:.3f} | {n:.3f} | {count} |")
    return lines


def render(demo, demo_info, synthetic, timings, sizes, argv) -> str:
    from django.conf import settings

    from articles.related.candidates import scoring_params

    params = scoring_params()

    order = [
        PROJECT,
        ENTITIES,
        TEXT_TFIDF,
        TEXT_FTS,
        PROJECT_FTS,
        NO_RECENCY,
        V1,
        V1_SAME,
        PROJECT_GROUPED,
        V1_GROUPED,
        STORED,
        SCRATCH,
        SHOWN,
    ]
    lines = [
        "## Related-articles benchmark",
        "",
        "Written by `bench/related.py` (usage in its docstring); a new run replaces this section.",
        "",
        f"- Command: `{shlex.join(['.venv/bin/python', 'bench/related.py', *argv])}`",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {cpu_description()}, {platform.system()} {platform.machine()}; Python {platform.python_version()}; "
        f"PostgreSQL {_pg_version()} on the same machine; local-memory cache, Celery eager",
        f"- Code: commit {code_version()}",
        f"- Settings: list of {settings.RELATED_LIMIT} items, weights entities {params.entity_weight} / "
        f"text {params.text_weight}, half-life {params.half_life_days:g} days, recency floor "
        f"{params.recency_floor}, minimum score {params.min_score}",
        "- Metrics: a story's relevant set is the other stories of its thread; P@5 = relevant items in the first "
        "five ÷ 5 (a thread of n stories caps it at (n−1)/5: the *ceiling* below); nDCG@5 with binary gains, the "
        "ideal list holding min(5, relevant) items. Variants rank the same candidates (the index's) by their own "
        "score; *as stored* is the list readers get (computed items only, minimum score, one item per story "
        "cluster), built incrementally as the stories arrived. A story cluster's takes count once there (the "
        "others are its *also from*), so the *one item per story cluster* rows rank the same way and are the "
        "ones to compare it with. *The list readers see* is the first five items of the page's list, links "
        "found on the scraped page and editors' pins included (one to a page outside the corpus counts as not "
        "relevant).",
        "",
        f"### Quality on the demo corpus ({demo_info['stories']} stories, {demo_info['threads']} threads)",
        *(
            [
                "",
                f"Only {demo_info['stories']} of the {demo_info['manifest']} stories became articles in this run "
                "(extraction failed on the others); the figures are over those.",
            ]
            if demo_info["stories"] < demo_info["manifest"]
            else []
        ),
        "",
        f"Pipeline: ingest → extraction → clustering → tagging → incremental related upkeep, "
        f"{demo_info['pipeline_s']:.1f} s for all stories. Ceiling P@5 {demo_info['ceiling']:.3f}.",
        "",
        *_quality_table(demo, order),
        "",
        f"Incremental upkeep against recomputing every list from scratch afterwards: {demo_info['identical']} of "
        f"{demo_info['stories']} top-5 lists identical, {demo_info['overlap']:.1%} of items shared.",
        "",
        f"### Quality on the synthetic threaded corpus ({synthetic['queries']} stories sampled at "
        f"{sizes[-1]:,} stored)",
        "",
        "Threads of 1–25 stories over 10 days at ~500 stories a day, each with 2–4 entities of its own (one "
        "Zipf-popular, the rest rare) named by ~75% of its stories, 12 words of its own among 30 keywords, and "
        "0–3 Zipf-popular background entities per story. The text is the keywords, so the text variants are "
        f"compared on vocabulary only here. Ceiling P@5 {synthetic['ceiling']:.3f}.",
        "",
        *_quality_table(synthetic["rows"], [*order, V1 + ", 2,000 most recent (as v1 ran)"]),
        "",
        "### Cost of one refresh",
        "",
        "`related.article_related_refresh` for new stories continuing the synthetic threads: candidates from "
        "the entity index and the full-text index, scoring, the story's own list and its offers to its "
        "neighbours' lists, all writes committed. *cold*: the first refresh after a cache clear (corpus "
        "statistics read); *warm*: the others. *baseline*: reading every stored story and scoring it against the "
        "new one with v1's keyword overlap (5 stories), the all-pairs method this replaces.",
        "",
        "| stored | cold ms | warm median ms | warm p95 ms | queries (median) | lists entered (mean) | "
        "baseline ms (median) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for size, timing in timings.items():
        warm = sorted(timing.warm_ms)
        p95 = warm[min(len(warm) - 1, int(0.95 * len(warm)))]
        lines.append(
            f"| {size:,} | {timing.cold_ms:.0f} | {statistics.median(warm):.1f} | {p95:.1f} | "
            f"{statistics.median(timing.queries):.0f} | {statistics.fmean(timing.lists_changed):.1f} | "
            f"{statistics.median(timing.baseline_ms):.0f} |"
        )
    if len(timings) >= 2:
        items = list(timings.items())
        (small, a), (large, b) = items[0], items[-1]
        lines += [
            "",
            f"From {small:,} to {large:,} stored ({large / small:.0f}× the corpus): the warm refresh takes "
            f"{statistics.median(b.warm_ms) / statistics.median(a.warm_ms):.2f}× as long, the all-pairs baseline "
            f"{statistics.median(b.baseline_ms) / statistics.median(a.baseline_ms):.1f}×.",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--new", type=int, default=40, help="new stories timed per size")
    parser.add_argument("--queries", type=int, default=200, help="synthetic stories scored for quality")
    parser.add_argument(
        "--prefill", type=int, default=3000, help="most recent stored stories whose lists are computed first"
    )
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT))
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    server = os.environ.get("DATABASE_URL", DEFAULT_SERVER)
    url = database_url(server)
    database_reset(url, create=True)
    try:
        django_setup(url)
        print("demo corpus: loading and scoring …", flush=True)
        demo, demo_info = demo_quality()
        for row in _quality_table(demo, list(demo)):
            print(row)

        from articles.models import Article, RelatedLink

        # The synthetic corpus gets a database of its own content: drop the demo's stories.
        RelatedLink.objects.all().delete()
        Article.objects.all().delete()
        writer = Writer(SEED)
        entity_ids = store_entities()
        stories: list[dict] = []
        ids: list[int] = []
        timings: dict[int, Timing] = {}
        prefilled: set[int] = set()
        for size in sizes:
            started = time.perf_counter()
            more = writer.corpus(size - len(stories), start_day=stories[-1]["day"] if stories else 0.0)
            ids += store_stories(more, entity_ids, offset=len(stories))
            stories += more
            analyze()
            print(f"{size:,} stored in {time.perf_counter() - started:.0f} s", flush=True)
            filled = ids[-args.prefill :] if args.prefill else []
            seconds = prefill([pk for pk in filled if pk not in prefilled])
            prefilled.update(filled)
            print(
                f"  lists of the {len(filled):,} most recent computed in {seconds:.0f} s; timing …",
                flush=True,
            )
            timings[size] = time_refreshes(writer, entity_ids, args.new, offset=10_000_000 + size)
            t = timings[size]
            print(
                f"  cold {t.cold_ms:.0f} ms, warm median {statistics.median(t.warm_ms):.1f} ms, "
                f"baseline {statistics.median(t.baseline_ms):.0f} ms",
                flush=True,
            )
        print("synthetic quality …", flush=True)
        synthetic = synthetic_quality(stories, ids, args.queries, SEED)
        for row in _quality_table(synthetic["rows"], list(synthetic["rows"])):
            print(row)
        report = render(demo, demo_info, synthetic, timings, sizes, argv)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            database_reset(url, create=False)
    if args.output != "-":
        section_write(Path(args.output), report, start=SECTION_START, end=SECTION_END)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
