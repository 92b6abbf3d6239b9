"""The API's article list at scale: keyset (cursor) pages against the old page-number list, same data, same run.

Fills a scratch PostgreSQL database with ``--stories`` synthetic stories, with the builder of
``bench/admin_pages.py`` (distinct bodies over 300 agencies and a year of dates, 90% published),
then requests ``/api/articles/`` anonymously, in-process with Django's test client,
``--rounds`` times after one warm-up, at the first page and at deep positions. The baseline is
the list as it was: the same ViewSet with DRF's ``PageNumberPagination`` (a COUNT of the
matching rows on every page, deep pages read by OFFSET), mounted beside it for this run.
Throttling is off for the run. Usage::

    .venv/bin/python bench/api_lists.py [--stories 100000] [--rounds 9] [--output docs/benchmarks.md] [--keep] [--reuse]

``DATABASE_URL`` names the server (default ``postgres://postgres@127.0.0.1:5432/``); the database
``newsroom_bench_apilists_<stories>`` is dropped, created, and dropped again at the end (``--keep``
leaves it; ``--reuse`` times a kept one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from admin_pages import database_reset, django_setup, fill, timed  # noqa: E402
from report import code_version, command_line, cpu_description, section_write  # noqa: E402

DATABASE_NAME = "newsroom_bench_apilists_{stories}"
SECTION_START = "<!-- bench/api_lists.py {stories}: start -->"
SECTION_END = "<!-- bench/api_lists.py {stories}: end -->"
CURSOR_LIST = "/api/articles/"
PAGE_LIST = "/bench/page-numbers/articles/"


def page_number_urlconf():
    """The site's URLs with the old page-number list of articles mounted beside the API's."""
    from django.urls import path
    from rest_framework.pagination import PageNumberPagination

    import newsroom.urls
    from articles.api.views import ArticleViewSet

    class OldPagination(PageNumberPagination):
        page_size = 20
        page_size_query_param = "page_size"
        max_page_size = 100

    class PageNumberArticles(ArticleViewSet):
        pagination_class = OldPagination

    view = PageNumberArticles.as_view({"get": "list"})
    return type(
        "urls", (), {"urlpatterns": [path(PAGE_LIST.strip("/") + "/", view), *newsroom.urls.urlpatterns]}
    )


def top_up(stories: int) -> int:
    """Copy the stored stories, with new slugs and dates over the same year, until there are ``stories``.

    For a kept database the builder left short: the builder writes about 200 stories a second on
    a loaded two-core machine, a set-based copy some thousands. The full-text index is dropped
    for the copy and built again after it. Returns how many were copied.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), max(id) FROM articles_article")
        have, top = cursor.fetchone()
        missing = stories - have
        if missing <= 0:
            return 0
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'articles_article' "
            "AND column_name NOT IN ('id', 'slug', 'headline', 'published_at', 'raw_document_id')"
        )
        columns = [name for (name,) in cursor.fetchall()]
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'article_search_dated'")
        (search_index,) = cursor.fetchone()
        cursor.execute("DROP INDEX article_search_dated")
        listed = ", ".join(f'"{name}"' for name in columns)
        # Each copy round n takes the originals again, dated at random within the same year.
        rounds = -(-missing // have)
        cursor.execute(
            f"INSERT INTO articles_article (slug, headline, published_at, raw_document_id, {listed}) "
            f"SELECT a.slug || '-copy-' || n, a.headline || ' (' || n || ')', "
            f"now() - random() * interval '365 days', NULL, {', '.join('a.' + c for c in listed.split(', '))} "
            f"FROM articles_article a CROSS JOIN generate_series(1, %s) AS n WHERE a.id <= %s "
            f"ORDER BY n, a.id LIMIT %s",
            [rounds, top, missing],
        )
        cursor.execute(search_index)
        cursor.execute("VACUUM ANALYZE articles_article")
    return missing


def cursor_at(offset: int, **filters) -> str:
    """The cursor that starts a page at row ``offset`` of the public list (what a next link holds)."""
    from articles.api.pagination import cursor_encode
    from articles.selectors import article_list

    row = article_list(filters=filters or None).values_list("published_at", "id")[offset - 1]
    return cursor_encode(list(row))


def cases(published: int) -> list[tuple[str, str, str]]:
    """(what, cursor URL, page-number URL) for the same rows."""
    rows = []
    rows.append(("first page, 20 (default)", CURSOR_LIST, PAGE_LIST))
    rows.append(
        ("first page, `?page_size=100`", f"{CURSOR_LIST}?page_size=100", f"{PAGE_LIST}?page_size=100")
    )
    for offset in sorted({min(10_000, published // 10), published // 2, published - 100}):
        page = offset // 100 + 1
        rows.append(
            (
                f"100 rows from row {offset:,}",
                f"{CURSOR_LIST}?page_size=100&cursor={cursor_at(offset)}",
                f"{PAGE_LIST}?page_size=100&page={page}",
            )
        )
    rows.append(
        (
            "one agency, first page of 100",
            f"{CURSOR_LIST}?page_size=100&agency=agency-7",
            f"{PAGE_LIST}?page_size=100&agency=agency-7",
        )
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--keep", action="store_true", help="leave the database for another run")
    parser.add_argument("--reuse", action="store_true", help="time the pages on a database a --keep run left")
    parser.add_argument(
        "--top-up",
        action="store_true",
        help="with --reuse: copy the kept stories (new slugs and dates) until there are --stories of them",
    )
    args = parser.parse_args()

    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/")
    url = urlunsplit(urlsplit(server)._replace(path="/" + DATABASE_NAME.format(stories=args.stories)))
    if not args.reuse:
        database_reset(url, create=True)
    try:
        django_setup(url)
        started = time.perf_counter()
        if args.reuse:
            from django.db import connection

            if args.top_up:
                copied = top_up(args.stories)
                print(f"{copied:,} stories copied in {time.perf_counter() - started:.0f} s", flush=True)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        else:
            fill(args.stories)
            print(f"{args.stories:,} stories stored in {time.perf_counter() - started:.0f} s", flush=True)

        from django.conf import settings
        from django.test import Client, override_settings

        from articles.models import Article

        published = Article.objects.published().count()
        stored = Article.objects.count()
        unthrottled = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
        client = Client()
        rows = []
        with override_settings(ROOT_URLCONF=page_number_urlconf(), REST_FRAMEWORK=unthrottled):
            for what, cursor_url, page_url in cases(published):
                ours = timed(client, cursor_url, args.rounds)
                base = timed(client, page_url, args.rounds)
                rows.append((what, ours, base))
                print(what, ours, base, flush=True)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            database_reset(url, create=False)

    lines = [
        f"## API article list at scale: {args.stories:,} stories",
        "",
        "Written by `bench/api_lists.py` (usage in its docstring); a new run replaces this section.",
        "",
        f"- Command: `{command_line()}`",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {cpu_description()}; PostgreSQL on the same machine; Django's test client in-process "
        "(server time: URL resolution, authentication, queries, serialisation; no network)",
        f"- Code: commit {code_version()}",
        f"- Data: {stored:,} stories ({published:,} published) by bench/admin_pages.py's builder"
        + (" (a part, the rest copied from them with new slugs and dates: `--top-up`)" if args.top_up else "")
        + "; anonymous requests (published stories only)",
        f"- Figures: median of {args.rounds} requests after a warm-up; *database*: the median time spent in "
        "queries; queries of one request. *Cursor*: the API's keyset pages (no count; a deep page starts "
        "from its cursor's position in the index). *Page number*: the same ViewSet with DRF's "
        "`PageNumberPagination`, as the list was before (a COUNT on every page, OFFSET for deep pages).",
        "",
        "| request | cursor ms | database | queries | page-number ms | database | queries |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for what, (ms, queries, status, database), base in rows:
        flag = "" if status == 200 and base[2] == 200 else f" (HTTP {status}/{base[2]})"
        lines.append(
            f"| {what}{flag} | {ms:.1f} | {database:.1f} | {queries} | {base[0]:.1f} | {base[3]:.1f} | {base[1]} |"
        )
    if args.output != "-":  # "-": print the table only
        section_write(
            Path(args.output),
            "\n".join(lines),
            start=SECTION_START.format(stories=args.stories),
            end=SECTION_END.format(stories=args.stories),
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
