"""Public search at scale: request latency of ``/search/?q=`` over adversarial queries, against the previous search, same data, same run.

Fills a scratch PostgreSQL database with ``--stories`` synthetic stories in SQL (``generate_series``):
distinct headlines and bodies of words drawn from a 30,000-word vocabulary with Zipf-like
frequencies (the word of rank *r* drawn with probability proportional to 1/*r*, so a handful of
words are in most stories and most words in a few), real English stop words at the top, and
"oil" and "asylum" each in a tenth of the stories but together in only one story in 50,000.
Dates spread over a year, 300 agencies. Then requests each query ``--rounds`` times after one
warm-up through Django's test client (the whole request: URL, view, queries, template) and
reports p50 and p99 per query and over all.

The baseline is the search before the stored vector, as it stood: the expression index
``(published_at, to_tsvector(headline || left(body, 80000)))`` and the front page's ``/?q=``
list (matches fenced off in a materialised CTE, newest first, 20 a page, no ranking or
snippets), built in the same database and timed through the same client. Usage::

    .venv/bin/python bench/search.py [--stories 100000] [--rounds 20] [--output docs/benchmarks.md] [--keep | --reuse]

``DATABASE_URL`` names the server (default ``postgres://postgres@127.0.0.1:5432/``); the database
``newsroom_bench_search_<stories>`` is dropped, created and dropped again at the end (``--keep``
leaves it; ``--reuse`` times a kept one again).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from admin_pages import database_reset, django_setup  # noqa: E402
from report import code_version, command_line, cpu_description, section_write  # noqa: E402

DATABASE_NAME = "newsroom_bench_search_{stories}"
SECTION_START = "<!-- bench/search.py {stories}: start -->"
SECTION_END = "<!-- bench/search.py {stories}: end -->"
VOCABULARY = 30_000
BODY_WORDS = 120
STOP_WORDS = ["the", "of", "and", "to", "in", "a", "said", "for", "on", "that"]


def word(rank: int) -> str:
    """The vocabulary's word of ``rank`` (1-based), as the SQL below spells it."""
    if rank <= len(STOP_WORDS):
        return STOP_WORDS[rank - 1]
    return "".join("bcdfghjklm"[int(d)] for d in str(rank * 7919)) + "a"


# The word of a rank drawn with probability proportional to 1/rank: exp(U * ln V) for U uniform.
DRAW = "(floor(exp(random() * ln(%(vocabulary)s)))::int + 0 * i)"
# The vocabulary's word of rank r: a stop word at the top, else letters spelling r * 7919 (as ``word``).
WORD = (
    "CASE WHEN r <= %(stops)s THEN (%(stop_words)s::text[])[r] "
    "ELSE translate((r * 7919)::text, '0123456789', 'bcdfghjklm') || 'a' END"
)
FILL_SQL = f"""
INSERT INTO articles_article ({{columns}}, headline, slug, agency_id, published_at, body_text, status)
SELECT {{template_columns}},
    (SELECT initcap(string_agg({WORD}, ' ')) FROM (SELECT {DRAW} AS r FROM generate_series(1, 7 + (g %% 2)) AS i) d)
      || ' ' || g,
    'story-' || g,
    (SELECT min(id) FROM articles_agency) + (g %% 300),
    now() - random() * interval '365 days',
    (SELECT string_agg({WORD}, ' ') FROM (SELECT {DRAW} AS r FROM generate_series(1, %(body_words)s + (g %% 2)) AS i) d)
    || CASE WHEN g %% 10 = 1 THEN ' oil output' WHEN g %% 10 = 2 THEN ' asylum seekers' ELSE '' END
    || CASE WHEN g %% 50000 = 3 THEN ' oil and asylum' ELSE '' END
    || '.',
    'published'
FROM generate_series(1, %(stories)s) AS g, articles_article AS t
WHERE t.slug = 'bench-template';
"""


def fill(stories: int) -> None:
    """The synthetic archive, in SQL; the search index is built once at the end."""
    from django.db import connection

    from articles.models import Agency
    from tests.factories import ArticleFactory

    Agency.objects.bulk_create(Agency(name=f"Agency {i}", slug=f"agency-{i}") for i in range(300))
    template = ArticleFactory(slug="bench-template", headline="Template", agency=Agency.objects.first())
    own = {"id", "headline", "slug", "agency_id", "published_at", "body_text", "status", "search_document"}
    columns = [f.column for f in template._meta.concrete_fields if f.column not in own]
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS article_search_document")
        cursor.execute(
            FILL_SQL.format(
                columns=", ".join(columns), template_columns=", ".join(f"t.{c}" for c in columns)
            ),
            {
                "stops": len(STOP_WORDS),
                "stop_words": STOP_WORDS,
                "vocabulary": VOCABULARY,
                "body_words": BODY_WORDS,
                "stories": stories,
            },
        )
        cursor.execute("DELETE FROM articles_article WHERE slug = 'bench-template'")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute(
            "CREATE INDEX article_search_document ON articles_article USING gin (published_at, search_document)"
        )
        legacy_index(cursor)
        cursor.execute("VACUUM ANALYZE articles_article")


def legacy_index(cursor) -> None:
    """The expression index the previous search read (migration 0013), as that migration wrote it."""
    import importlib

    from django.db import connection

    from articles.models import Article

    stored = importlib.import_module("articles.migrations.0015_stored_search_document")
    cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [stored.EXPRESSION_INDEX.name])
    if cursor.fetchone() is None:
        with connection.schema_editor(atomic=False) as editor:
            editor.execute(stored.EXPRESSION_INDEX.create_sql(Article, editor))


def legacy_search_view(request):
    """The front page's search as it stood before: ``/?q=`` through the expression index."""
    from django.contrib.postgres.search import SearchQuery, SearchVector
    from django.db.models.expressions import RawSQL
    from django.db.models.functions import Left
    from django.shortcuts import render

    from articles.models import Article
    from articles.paging import page_of, sliced
    from articles.selectors import ARTICLE_ORDERING

    query = request.GET.get("q", "").strip()
    queryset = Article.objects.published().select_related("agency").order_by(*ARTICLE_ORDERING)
    vector = SearchVector("headline", Left("body_text", 80_000), config="english")
    matches = queryset.annotate(search=vector).filter(
        search=SearchQuery(query, search_type="websearch", config="english")
    )
    sql, params = matches.order_by().values("id").query.sql_with_params()
    fenced = RawSQL(f"WITH matches AS MATERIALIZED ({sql}) SELECT id FROM matches", params)
    articles, has_next = page_of(sliced(queryset.filter(pk__in=fenced)), 1)
    context = {"articles": articles, "page_number": 1, "has_next": has_next, "query": query}
    return render(request, "articles/index.html", context)


def queries(stories: int) -> list[tuple[str, str]]:
    long_query = " ".join(word(r) for r in range(11, 2000, 50))
    return [
        ("two common words that seldom meet", "oil asylum"),
        ("a single rare word", word(29_000)),
        ("a single word of middling frequency", word(1_000)),
        ("a single common word (in most stories)", word(11)),
        ("two common words", f"{word(11)} {word(12)}"),
        ("stop words only", "the of and"),
        ("a very long query (40 words)", long_query),
        ("a phrase of two common words", f'"{word(11)} {word(12)}"'),
        ("a phrase of two rarer words", f'"{word(500)} {word(600)}"'),
        ("a common word, another excluded", f"{word(11)} -{word(12)}"),
        ("two rare words", f"{word(20_000)} {word(25_000)}"),
    ]


def timed(client, url: str, params: dict, rounds: int) -> tuple[list[float], int]:
    client.get(url, params)  # warm-up
    times, status = [], 200
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    return times, status


def p99(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--keep", action="store_true", help="leave the database for another run")
    parser.add_argument("--reuse", action="store_true", help="time a database a --keep run left")
    parser.add_argument("--no-baseline", action="store_true", help="time the new search only")
    args = parser.parse_args()

    server = "postgres://postgres@127.0.0.1:5432/"
    import os

    server = os.environ.get("DATABASE_URL", server)
    url = urlunsplit(urlsplit(server)._replace(path="/" + DATABASE_NAME.format(stories=args.stories)))
    if not args.reuse:
        database_reset(url, create=True)
    build_seconds = None
    try:
        django_setup(url)
        from django.db import connection

        if args.reuse:
            with connection.cursor() as cursor:
                legacy_index(cursor)
                cursor.execute("ANALYZE articles_article")
        else:
            started = time.perf_counter()
            fill(args.stories)
            build_seconds = time.perf_counter() - started
            print(f"{args.stories:,} stories stored and indexed in {build_seconds:.0f} s", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM articles_article")
            stored = cursor.fetchone()[0]

        from django.test import Client, override_settings
        from django.urls import path

        import newsroom.urls

        urlconf = type(
            "urls",
            (),
            {"urlpatterns": [path("legacy-search/", legacy_search_view), *newsroom.urls.urlpatterns]},
        )
        from django.test.utils import setup_test_environment

        setup_test_environment()  # so that responses carry their context
        client = Client()
        rows, every_new, every_old = [], [], []
        with override_settings(ROOT_URLCONF=urlconf):
            for what, text in queries(args.stories):
                new, status = timed(client, "/search/", {"q": text}, args.rounds)
                found = len(client.get("/search/", {"q": text}).context["page"].hits)
                old = None if args.no_baseline else timed(client, "/legacy-search/", {"q": text}, args.rounds)
                every_new += new
                every_old += old[0] if old else []
                rows.append((what, text, new, status, found, old))
                print(
                    what,
                    f"{statistics.median(new):.1f}",
                    f"{p99(new):.1f}",
                    status,
                    found,
                    old and f"{statistics.median(old[0]):.1f} {p99(old[0]):.1f}",
                    flush=True,
                )
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            database_reset(url, create=False)

    def cells(times):
        return f"{statistics.median(times):.1f} | {p99(times):.1f}"

    lines = [
        f"## Public search at scale: {stored:,} stories",
        "",
        "Written by `bench/search.py` (usage in its docstring); a new run replaces this section.",
        "",
        f"- Command: `{command_line()}`",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {cpu_description()}; PostgreSQL on the same machine, shared with other work; "
        "Django's test client in-process (the whole request: URL, view, queries, template; no network)",
        f"- Code: commit {code_version()}",
        f"- Data: {stored:,} published stories, {BODY_WORDS}-word bodies and 7-8-word headlines drawn from "
        f"{VOCABULARY:,} words with Zipf-like frequencies (stop words at the top), a year of dates, 300 agencies; "
        '"oil" and "asylum" each in 10% of stories, together in 1 in 50,000'
        + (f"; built and indexed in {build_seconds:.0f} s" if build_seconds else ""),
        f"- Figures: milliseconds per request, p50 and p99 of {args.rounds} requests after a warm-up "
        "(with so few requests p99 is close to the slowest). *Search*: `/search/?q=` (ranked, "
        "highlighted, 20 a page). *Before*: the previous `/?q=` list through the expression index, "
        "newest first, no ranking or snippets.",
        "",
        "| query | text | search p50 | search p99 | HTTP | shown | before p50 | before p99 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for what, text, new, status, found, old in rows:
        shown_text = text if len(text) <= 40 else text[:37] + "…"
        before = cells(old[0]) if old else "— | —"
        lines.append(f"| {what} | `{shown_text}` | {cells(new)} | {status} | {found} | {before} |")
    before_all = cells(every_old) if every_old else "— | —"
    lines.append(f"| **all queries** | | {cells(every_new)} | | | {before_all} |")
    section_write(
        Path(args.output),
        "\n".join(lines),
        start=SECTION_START.format(stories=args.stories),
        end=SECTION_END.format(stories=args.stories),
    )


if __name__ == "__main__":
    main()
