"""Admin pages at scale: server time of the desk's pages against Django's stock changelist, same data, same run.

Fills a scratch PostgreSQL database with ``--stories`` synthetic stories (distinct bodies of
generated words over a few hundred agencies and a year of dates; the desk's states in news
proportions), their extraction reports, mentions of a few thousand entities and a queue of
suggested names. Then requests each page in-process with Django's test client, logged in as
a superuser, ``--rounds`` times after one warm-up, and reports the median server time and the
number of queries. The baseline is a stock ``ModelAdmin`` of the same model on its own admin
site: the same columns, filters and search fields, Django's defaults for everything else (a
full count, ``icontains`` search). Usage::

    .venv/bin/python bench/admin_pages.py [--stories 100000] [--rounds 5] [--output docs/benchmarks.md] [--keep]

``DATABASE_URL`` names the server (default ``postgres://postgres@127.0.0.1:5432/``); the database
``newsroom_bench_admin_<stories>`` is dropped, created, and dropped again at the end (``--keep`` leaves it).
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
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from report import code_version, command_line, cpu_description, section_write  # noqa: E402

# One database per corpus size, so that a kept 1,000,000 survives a run at 100,000.
DATABASE_NAME = "newsroom_bench_admin_{stories}"
# One section per corpus size, so the runs at 100,000 and 1,000,000 stand side by side.
SECTION_START = "<!-- bench/admin_pages.py {stories}: start -->"
SECTION_END = "<!-- bench/admin_pages.py {stories}: end -->"
WORDS = [f"w{i:04d}" for i in range(6000)]
COMMON = [
    "oil",
    "talks",
    "minister",
    "government",
    "asylum",
    "prices",
    "election",
    "border",
    "court",
    "storm",
]


def database_reset(url: str, *, create: bool) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin_url = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def django_setup(url: str) -> None:
    os.environ.update(
        DATABASE_URL=url,
        DEBUG="0",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"),
        CELERY_TASK_ALWAYS_EAGER="1",
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        ALLOWED_HOSTS="testserver",
        # Every request is the server's work: a page served again from the page cache measures nothing.
        PAGE_CACHE_SECONDS="0",
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def fill(stories: int, seed: int = 7) -> dict:
    """The synthetic desk; returns what the pages are asked about."""
    from django.db import connection

    from articles.models import Agency, Article, ExtractionReport
    from entities.models import Entity, EntitySuggestion, Mention

    rng = random.Random(seed)
    agencies = Agency.objects.bulk_create(Agency(name=f"Agency {i}", slug=f"agency-{i}") for i in range(300))
    entities = Entity.objects.bulk_create(
        Entity(name=f"Entity {i}", slug=f"entity-{i}", type="organization") for i in range(3000)
    )
    states = [("published", 0.9), ("review", 0.03), ("ready", 0.04), ("scheduled", 0.01), ("draft", 0.02)]
    now = dt.datetime.now(dt.UTC)
    batch, made = [], 0
    while made < stories:
        n = min(5000, stories - made)
        batch = []
        for i in range(n):
            number = made + i
            words = rng.sample(WORDS, 60) + rng.sample(COMMON, 2)
            rng.shuffle(words)
            status = rng.choices([s for s, _ in states], [w for _, w in states])[0]
            batch.append(
                Article(
                    headline=f"Story {number} " + " ".join(words[:8]),
                    slug=f"story-{number}",
                    agency=agencies[rng.randrange(len(agencies))],
                    published_at=now - dt.timedelta(minutes=rng.randrange(365 * 24 * 60)),
                    body_text="\n\n".join(" ".join(words[j : j + 20]) + "." for j in range(0, 62, 20)),
                    status=status,
                    publish_at=now + dt.timedelta(hours=rng.randrange(1, 72))
                    if status == "scheduled"
                    else None,
                )
            )
        Article.objects.bulk_create(batch, batch_size=2500)
        made += n
    review = list(Article.objects.filter(status="review").values_list("pk", flat=True))
    glued = {
        "kind": "glued_word",
        "text": "Iraqiannounced",
        "detail": {"paragraph": 2, "parts": ["Iraqi", "announced"]},
    }
    ExtractionReport.objects.bulk_create(
        (ExtractionReport(article_id=pk, flagged=[glued]) for pk in review), batch_size=5000
    )
    ids = list(Article.objects.values_list("pk", flat=True))
    mentions = []
    for pk in rng.sample(ids, min(len(ids), stories // 2)):
        for entity in rng.sample(entities, 2):
            mentions.append(Mention(article_id=pk, entity=entity, count=rng.randint(1, 4), spans=[]))
    Mention.objects.bulk_create(mentions, batch_size=5000)
    EntitySuggestion.objects.bulk_create(
        (
            EntitySuggestion(
                article_id=rng.choice(ids), name=f"Name {i}", type="person", count=2, examples=[]
            )
            for i in range(stories // 2)
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return facts()


def facts() -> dict:
    """What the pages are asked about, read from the filled database."""
    from articles.models import Agency, Article
    from entities.models import Mention

    now = dt.datetime.now(dt.UTC)
    busiest = Mention.objects.values_list("entity_id", flat=True).first()
    return {
        "agency": Agency.objects.order_by("pk").values_list("pk", flat=True).first(),
        "entity": busiest,
        "article": Article.objects.filter(status="published")
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first(),
        "year": now.year,
        "month": now.month,
        # Three words of one story's headline: a search whose matches stay few at any size.
        "headline": " ".join(
            Article.objects.filter(status="published")
            .order_by("-pk")
            .values_list("headline", flat=True)
            .first()
            .split()[2:5]
        ),
    }


def stock_site():
    """Django's stock admin of the same model: the same columns, filters and search, default everything else."""
    from django.contrib import admin

    from articles.models import Article

    site = admin.AdminSite(name="stock")

    class StockArticleAdmin(admin.ModelAdmin):
        list_display = ["headline", "agency", "status", "published_at", "created_at"]
        list_filter = ["status", "published_precision", "agency"]
        search_fields = ["headline", "body_text"]
        date_hierarchy = "published_at"

    site.register(Article, StockArticleAdmin)
    return site


def pages(facts: dict) -> list[tuple[str, str, str | None]]:
    """(what, our URL, the stock admin's URL for the same page or None)."""
    base, stock = "/admin/articles/article/", "/stock/articles/article/"
    month = f"?published_at__year={facts['year']}&published_at__month={facts['month']}"
    lists = [
        ("article list, newest first", "", True),
        ("filtered by status (the review queue)", "?status__exact=review", True),
        ("filtered by agency", f"?agency__id__exact={facts['agency']}", True),
        ("filtered by entity mentioned", f"?entity={facts['entity']}", False),
        ("search, two common words (each in 20% of stories)", "?q=oil+asylum", True),
        ("search, three words of one headline", "?" + urlencode({"q": facts["headline"]}), True),
        ("date drill-down to a month", month, True),
        ("article change page", f"{facts['article']}/change/", True),
    ]
    rows = [(what, base + query, stock + query if both else None) for what, query, both in lists]
    return [
        *rows,
        ("the desk (admin front page)", "/admin/", None),
        ("suggestion queue, open", "/admin/entities/entitysuggestion/?status__exact=open", None),
    ]


def timed(client, url: str, rounds: int) -> tuple[float, int, int, float]:
    """Over ``rounds`` after a warm-up: the median milliseconds of a request, the queries of one,
    its status, and the median milliseconds spent in the database (what grows with the data;
    the rest is rendering the page's rows)."""
    from django.db import connection

    spent = []

    def count(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append((time.perf_counter() - started) * 1000)

    # Counted at the cursor: the query log is reset at the start of every request.
    with connection.execute_wrapper(count):
        status = client.get(url).status_code
    queries = len(spent)
    times, database = [], []
    for _ in range(rounds):
        spent.clear()
        started = time.perf_counter()
        with connection.execute_wrapper(count):
            client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        database.append(sum(spent))
    return statistics.median(times), queries, status, statistics.median(database)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--keep", action="store_true", help="leave the database for another run")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time the pages on the database a --keep run left (of --stories stories); migrates it first",
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

            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            asked = facts()
        else:
            asked = fill(args.stories)
            print(f"{args.stories:,} stories stored in {time.perf_counter() - started:.0f} s", flush=True)

        from django.contrib.auth import get_user_model
        from django.test import Client, override_settings
        from django.urls import path

        import newsroom.urls

        site = stock_site()
        urlconf = type("urls", (), {"urlpatterns": [path("stock/", site.urls), *newsroom.urls.urlpatterns]})
        users = get_user_model().objects
        user = users.filter(username="bench").first() or users.create_superuser(
            "bench", "bench@example.test", "bench-password"
        )
        client = Client()
        client.force_login(user)
        rows = []
        with override_settings(ROOT_URLCONF=urlconf):
            for what, ours, stock in pages(asked):
                mine = timed(client, ours, args.rounds)
                base = timed(client, stock, args.rounds) if stock else None
                rows.append((what, mine, base))
                print(what, mine, base, flush=True)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            database_reset(url, create=False)

    lines = [
        f"## Admin pages at scale: {args.stories:,} stories",
        "",
        "Written by `bench/admin_pages.py` (usage in its docstring); a new run replaces this section.",
        "",
        f"- Command: `{command_line()}`",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {cpu_description()}; PostgreSQL on the same machine; Django's test client in-process "
        "(server time: URL resolution, views, queries, templates; no network)",
        f"- Code: commit {code_version()}",
        f"- Data: {args.stories:,} stories (90% published, 3% in review with a flag, the rest on the desk), "
        f"300 agencies, {args.stories // 2 * 2:,} mentions of 3,000 entities, {args.stories // 2:,} open suggestions",
        f"- Figures: median of {args.rounds} requests after a warm-up; *of which database*: the median time "
        "spent in queries (what grows with the data; the rest renders the page's 100 rows and varies with "
        "the machine's load); queries of one request. *Stock*: Django's "
        "default ModelAdmin with the same columns, filters and search fields (full count, `icontains` search).",
        "",
        "| page | ms | of which database | queries | stock ms | stock database | stock queries |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for what, (ms, queries, status, database), base in rows:
        stock_cells = f"{base[0]:.1f} | {base[3]:.1f} | {base[1]}" if base else "— | — | —"
        flag = "" if status == 200 else f" (HTTP {status})"
        lines.append(f"| {what}{flag} | {ms:.1f} | {database:.1f} | {queries} | {stock_cells} |")
    section_write(
        Path(args.output),
        "\n".join(lines),
        start=SECTION_START.format(stories=args.stories),
        end=SECTION_END.format(stories=args.stories),
    )


if __name__ == "__main__":
    main()
