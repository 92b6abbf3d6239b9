"""Sitemaps at scale: the id-range pages against Django's stock paginated sitemap, same data, same run.

Fills a scratch PostgreSQL database with ``--stories`` stories (95% published, the rest drafts
and killed stories, the newest few hundred in the last two days), then requests in-process, with
Django's test client, the sitemap index, the last id-range page and the news sitemap,
``--rounds`` times after a warm-up, and reports the median server time, the time spent in
queries and the number of queries. The baseline is ``django.contrib.sitemaps.Sitemap`` over the
same published stories, 50,000 to a page: its index counts them (COUNT(*)), its last page is an
OFFSET past every earlier story, and each address is reversed one by one. Usage::

    .venv/bin/python bench/sitemaps.py [--stories 200000] [--rounds 5] [--output docs/benchmarks.md] [--keep]

``DATABASE_URL`` names the server (default ``postgres://postgres@127.0.0.1:5432/``); the database
``newsroom_bench_sitemaps_<stories>`` is dropped, created, and dropped again at the end (``--keep`` leaves it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from admin_pages import database_reset, django_setup, timed  # noqa: E402
from report import code_version, command_line, cpu_description, section_write  # noqa: E402

DATABASE_NAME = "newsroom_bench_sitemaps_{stories}"
SECTION_START = "<!-- bench/sitemaps.py: start -->"
SECTION_END = "<!-- bench/sitemaps.py: end -->"
PAGE_SIZE = 50_000


def fill(stories: int, seed: int = 11) -> None:
    from django.db import connection

    from articles.models import Agency, Article

    rng = random.Random(seed)
    agency = Agency.objects.create(name="Agency", slug="agency")
    now = dt.datetime.now(dt.UTC)
    made = 0
    while made < stories:
        n = min(5000, stories - made)
        batch = []
        for i in range(n):
            number = made + i
            # Oldest first, so ids grow with time as they do on a live site; the last 500 in two days.
            age = (
                dt.timedelta(minutes=(stories - number) * 5)
                if stories - number > 500
                else dt.timedelta(minutes=(stories - number) * 5 % 2800)
            )
            status = rng.choices(["published", "draft", "killed"], [0.95, 0.03, 0.02])[0]
            batch.append(
                Article(
                    headline=f"Story {number} about oil & talks",
                    slug=f"story-{number}",
                    agency=agency,
                    published_at=now - age,
                    body_text="A paragraph.",
                    status=status,
                    language="en",
                )
            )
        Article.objects.bulk_create(batch, batch_size=2500)
        made += n
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def stock_sitemap():
    """Django's own sitemap of the same stories, as a site would write it."""
    from django.contrib.sitemaps import Sitemap

    from articles.models import Article

    class ArticleSitemap(Sitemap):
        limit = PAGE_SIZE
        protocol = "https"

        def items(self):
            return Article.objects.published().order_by("id").only("slug", "updated_at")

        def lastmod(self, article):
            return article.updated_at

    return ArticleSitemap()


def timed_call(function, rounds: int) -> tuple[float, int, float]:
    """Like ``admin_pages.timed`` for a function: median ms, queries of one call, median database ms."""
    from django.db import connection

    spent = []

    def count(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append((time.perf_counter() - started) * 1000)

    with connection.execute_wrapper(count):
        function()
    queries = len(spent)
    times, database = [], []
    for _ in range(rounds):
        spent.clear()
        started = time.perf_counter()
        with connection.execute_wrapper(count):
            function()
        times.append((time.perf_counter() - started) * 1000)
        database.append(sum(spent))
    return statistics.median(times), queries, statistics.median(database)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--stories", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--keep", action="store_true", help="leave the database for another run")
    args = parser.parse_args()

    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/")
    url = urlunsplit(urlsplit(server)._replace(path="/" + DATABASE_NAME.format(stories=args.stories)))
    database_reset(url, create=True)
    os.environ["SITEMAP_PAGE_SIZE"] = str(PAGE_SIZE)
    os.environ["SITE_URL"] = "https://news.example.org"
    try:
        django_setup(url)
        started = time.perf_counter()
        fill(args.stories)
        print(f"{args.stories:,} stories stored in {time.perf_counter() - started:.0f} s", flush=True)

        from django.test import Client

        from articles.models import Article

        client = Client()
        last_page = -(-Article.objects.order_by("-id").values_list("id", flat=True).first() // PAGE_SIZE)
        stock = stock_sitemap()
        site = type("Site", (), {"domain": "news.example.org", "name": "news"})()
        stock_pages = stock.paginator.num_pages
        print(f"last page: ours {last_page}, stock {stock_pages}", flush=True)
        rows = []
        for what, ours, baseline in [
            (
                "sitemap index",
                "/sitemap.xml",
                lambda: stock.paginator.num_pages,  # a new paginator each time: COUNT(*) every request
            ),
            (
                f"last page of stories (id-range page {last_page})",
                f"/sitemaps/articles-{last_page}.xml",
                lambda: stock.get_urls(page=stock_pages, site=site),
            ),
            ("news sitemap (48 hours)", "/sitemaps/news.xml", None),
        ]:
            ms, queries, status, database = timed(client, ours, args.rounds)
            base = timed_call(baseline, args.rounds) if baseline else None
            rows.append((what, ms, database, queries, status, base))
            print(what, ms, database, queries, status, base, flush=True)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            database_reset(url, create=False)

    lines = [
        f"## Sitemaps at scale: {args.stories:,} stories",
        "",
        "Written by `bench/sitemaps.py` (usage in its docstring); a new run replaces this section.",
        "",
        f"- Command: `{command_line()}`",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {cpu_description()}; PostgreSQL on the same machine; Django's test client in-process",
        f"- Code: commit {code_version()}",
        f"- Data: {args.stories:,} stories (95% published, the rest drafts and killed), 50,000 to a sitemap page",
        f"- Figures: median of {args.rounds} requests after a warm-up; *database*: the median time spent in "
        "queries. *Stock*: `django.contrib.sitemaps.Sitemap` over the same published stories (its index "
        "counts them; its last page is an OFFSET past all the others; the time is building the page's "
        "addresses, without writing the XML).",
        "",
        "| what | ms | database ms | queries | stock ms | stock database ms | stock queries |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for what, ms, database, queries, status, base in rows:
        stock_cells = f"{base[0]:.1f} | {base[2]:.1f} | {base[1]}" if base else "— | — | —"
        flag = "" if status == 200 else f" (HTTP {status})"
        lines.append(f"| {what}{flag} | {ms:.1f} | {database:.1f} | {queries} | {stock_cells} |")
    report = "\n".join(lines) + "\n"
    print(report)
    if args.output != "-":
        section_write(Path(args.output), report, start=SECTION_START, end=SECTION_END)


if __name__ == "__main__":
    main()
