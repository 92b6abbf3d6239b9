"""Page cache throughput: the cached article page against a trivial view and the uncached page, same server, same run.

Fills a scratch PostgreSQL database with published stories of wire length (six paragraphs, an
agency), starts gunicorn on loopback with the project's settings (PostgreSQL, Redis cache),
fetches every article page once (the cache is then warm), and runs wrk in alternating rounds
against three URLs:

- *trivial*: ``/healthz``, a view returning a short ``HttpResponse`` through the same middleware;
- *cached article*: ``/articles/{slug}/``, rotating over the articles, every page in the cache;
- *uncached article*: the same pages with an unknown query parameter (``?utm_source=bench``),
  which the page cache never serves or stores: the view renders each time, as before the cache.

It does so twice, on a fresh server each time: with ``PAGE_CACHE_LOCAL_SECONDS=0`` (a hit is one
Redis round trip, an ``MGET`` of the site generation and the page) and with
``PAGE_CACHE_LOCAL_SECONDS=1`` (each process keeps pages in memory and asks Redis for the
generation at most once a second). The bar: the cached article at least 0.8 of the trivial
view's requests per second. Usage::

    .venv/bin/python bench/page_cache.py [--articles 200] [--rounds 3] [--duration 10]
        [--connections 8] [--threads 1] [--workers N] [--modes 0,1] [--output docs/benchmarks.md]

``DATABASE_URL`` names the server (default ``postgres://postgres@127.0.0.1:5432/``); the database
``newsroom_bench_page_cache`` is dropped, created and dropped again. ``BENCH_REDIS_URL`` (default
``redis://127.0.0.1:6379/5``) is the cache, under a key prefix of its own that is cleared. Needs
``wrk`` (``apt-get install -y wrk``). Loopback only.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import shlex
import shutil
import statistics
import sys
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.related_latency import free_port, run_wrk, start_server, stop_server  # noqa: E402
from bench.report import code_version, cpu_description, section_write  # noqa: E402

DATABASE_NAME = "newsroom_bench_page_cache"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"
DEFAULT_REDIS = "redis://127.0.0.1:6379/5"
CACHE_PREFIX = "bench-page-cache"
DEFAULT_OUTPUT = ROOT / "docs" / "benchmarks.md"
SECTION_START = "<!-- bench/page_cache.py: start -->"
SECTION_END = "<!-- bench/page_cache.py: end -->"
TARGET_RATIO = 0.8
UNCACHED_QUERY = "?utm_source=bench"
PAGE_SECONDS = 3600

TRIVIAL = "trivial view: /healthz"
CACHED = "cached article: /articles/{slug}/"
UNCACHED = f"uncached article: /articles/{{slug}}/{UNCACHED_QUERY}"
NAMES = (TRIVIAL, CACHED, UNCACHED)

ROTATE_LUA = """
local slugs = {%s}
local suffix = "%s"
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/articles/" .. slugs[(n %% #slugs) + 1] .. "/" .. suffix)
end
"""

PARAGRAPH = (
    "Ministers from the region met on Monday to discuss the new oil output quotas, officials said, "
    "after weeks of talks in which the producers could not agree on how the cuts would be shared. "
    "The agreement, if it holds, would take effect next month and run until the end of the year."
)


def _environment(database_url: str, redis_url: str, local_seconds: str) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": CACHE_PREFIX,
        "PAGE_CACHE_LOCAL_SECONDS": local_seconds,
        # The figures are of hits: no page expires during the rounds (see the report).
        "PAGE_CACHE_SECONDS": str(PAGE_SECONDS),
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }


def database_reset(url: str, *, create: bool) -> None:
    import psycopg

    admin_url = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE_NAME}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def prepare(env: dict[str, str], articles: int) -> list[str]:
    """Migrate and store the published stories; their slugs."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from articles.models import Agency, Article

    call_command("migrate", verbosity=0, interactive=False)
    agency = Agency.objects.create(name="Bench Agency", slug="bench-agency")
    now = timezone.now()
    body = "\n\n".join(f"{PARAGRAPH} ({n})" for n in range(6))
    stories = Article.objects.bulk_create(
        Article(
            headline=f"Ministers agree oil output quotas, story {n}",
            slug=f"bench-story-{n}",
            dateline_text="KUWAIT CITY, Oct 5 (KUNA) --",
            body_text=body,
            body_html="".join(f"<p>{p}</p>" for p in body.split("\n\n")),
            agency=agency,
            published_at=now - dt.timedelta(minutes=n),
            status=Article.Status.PUBLISHED,
            view_count=1000 + n,
        )
        for n in range(articles)
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()
    return [story.slug for story in stories]


def clear_cache(redis_url: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{CACHE_PREFIX}:*"))
    if keys:
        client.delete(*keys)


def warm(port: int, slugs: list[str]) -> int:
    """Fetch every page once, cached and not; the size of the last page in bytes."""
    size = 0
    for slug in slugs:
        for suffix in ("", UNCACHED_QUERY):
            url = f"http://127.0.0.1:{port}/articles/{slug}/{suffix}"
            with urllib.request.urlopen(url, timeout=10) as response:
                if response.status != 200:
                    raise SystemExit(f"{url} answered {response.status}")
                size = len(response.read())
    return size


def measure(env: dict[str, str], args, slugs: list[str]) -> tuple[dict[str, list[dict]], int]:
    """One server: warm it, then the three URLs in alternating rounds."""
    clear_cache(env["REDIS_URL"])
    port = free_port()
    process = start_server(env, port, args.workers)
    results: dict[str, list[dict]] = {name: [] for name in NAMES}
    scripts = {}
    try:
        size = warm(port, slugs)
        base = f"http://127.0.0.1:{port}"
        quoted = ", ".join(f'"{slug}"' for slug in slugs)
        for name, suffix in ((CACHED, ""), (UNCACHED, UNCACHED_QUERY)):
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
                script.write(ROTATE_LUA % (quoted, suffix))
            scripts[name] = script.name
        load = {"connections": args.connections, "threads": args.threads}
        # A short untimed run of each first, so all start from warm workers and connections.
        for name in NAMES:
            url = f"{base}/healthz" if name == TRIVIAL else base
            # Untimed: a warm-up that wrk could not summarise is no matter.
            with contextlib.suppress(KeyError, AttributeError):
                run_wrk(url, script=scripts.get(name), duration=2, **load)
        for round_ in range(args.rounds):
            order = NAMES if round_ % 2 == 0 else tuple(reversed(NAMES))
            for name in order:
                url = f"{base}/healthz" if name == TRIVIAL else base
                result = run_wrk(url, script=scripts.get(name), duration=args.duration, **load)
                results[name].append(result)
                print(
                    f"  round {round_ + 1} {name}: {result['rps']:,.0f} req/s, "
                    f"p50 {result['p50']:.2f} ms, p99 {result['p99']:.2f} ms",
                    flush=True,
                )
    finally:
        stop_server(process)
        for path in scripts.values():
            os.unlink(path)
    return results, size


def _median(results, name, key):
    return statistics.median(r[key] for r in results[name])


def render(runs: dict[str, dict[str, list[dict]]], args, argv, size: int) -> str:
    lines = [
        "## Page cache throughput benchmark",
        "",
        "Written by `bench/page_cache.py` (usage in its docstring); a new run replaces this section.",
        "",
        f"- Command: `{shlex.join(['.venv/bin/python', 'bench/page_cache.py', *argv])}`",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {cpu_description()}, {platform.system()} {platform.machine()}; Python {platform.python_version()}; "
        "PostgreSQL, Redis and wrk on the same machine (they share the CPUs)",
        f"- Code: commit {code_version()}",
        f"- Load on the machine from others (1-minute load average): {args.load_before:.1f} before the run, "
        f"{os.getloadavg()[0]:.1f} after; the absolute figures move with it, the ratios within a round much less",
        f"- Server: gunicorn {args.workers} sync workers on 127.0.0.1, `DEBUG=0`, PostgreSQL database, Redis "
        "cache, the project's whole middleware stack (CSP with its nonce, sessions, CSRF, metrics)",
        f"- Data: {args.articles:,} published stories of six paragraphs; the load rotates over all of them "
        f"(an article page is {size:,} bytes); every page fetched once before the rounds, and kept for "
        f"`PAGE_CACHE_SECONDS={PAGE_SECONDS}` so that the cached rounds measure hits alone. (With the default 60 s "
        f"each page is rendered again once a minute: here {args.articles:,} renders a minute, at the uncached rate.)",
        f"- Load: wrk, {args.threads} thread(s), {args.connections} connections, {args.duration} s per run, "
        f"{args.rounds} rounds alternating the three URLs; figures are the median over rounds. Each mode runs on a "
        "fresh server.",
        "",
        "| mode | URL | requests/s | ÷ trivial | p50 ms | p99 ms | non-2xx | socket errors |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    verdicts = []
    for mode, results in runs.items():
        trivial = _median(results, TRIVIAL, "rps")
        for name in NAMES:
            rps = _median(results, name, "rps")
            errors = "; ".join(sorted({r["errors"] for r in results[name] if r["errors"]})) or "none"
            lines.append(
                f"| {mode} | {name} | {rps:,.0f} | {rps / trivial:.2f} | {_median(results, name, 'p50'):.2f} | "
                f"{_median(results, name, 'p99'):.2f} | {sum(r['non_2xx'] for r in results[name])} | {errors} |"
            )
        ratio = _median(results, CACHED, "rps") / trivial
        speedup = _median(results, CACHED, "rps") / _median(results, UNCACHED, "rps")
        verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
        verdicts.append(
            f"- {mode}: cached article ÷ trivial view **{ratio:.2f}** (bar ≥ {TARGET_RATIO}: {verdict}); "
            f"cached ÷ uncached article {speedup:.1f}×."
        )
    lines += ["", *verdicts, ""]
    lines.append(
        "Per round (requests/s, trivial / cached / uncached): "
        + "; ".join(
            f"{mode}: "
            + ", ".join(
                f"{t['rps']:,.0f} / {c['rps']:,.0f} / {u['rps']:,.0f}"
                for t, c, u in zip(results[TRIVIAL], results[CACHED], results[UNCACHED], strict=True)
            )
            for mode, results in runs.items()
        )
        + "."
    )
    return "\n".join(lines)


MODE_NAMES = {"0": "one Redis round trip a hit", "1": "in-process copies, generation read once a second"}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--modes", default="0,1", help="PAGE_CACHE_LOCAL_SECONDS values, one server each")
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT))
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    server = os.environ.get("DATABASE_URL", DEFAULT_SERVER)
    if urlsplit(server).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the benchmark runs on loopback only: DATABASE_URL must point at 127.0.0.1")
    database_url = urlunsplit(urlsplit(server)._replace(path=f"/{DATABASE_NAME}"))
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]
    args.load_before = os.getloadavg()[0]
    database_reset(database_url, create=True)
    runs: dict[str, dict[str, list[dict]]] = {}
    try:
        print(f"storing {args.articles:,} stories …", flush=True)
        slugs = prepare(_environment(database_url, redis_url, "0"), args.articles)
        size = 0
        for mode in modes:
            label = MODE_NAMES.get(mode, f"PAGE_CACHE_LOCAL_SECONDS={mode}")
            print(f"{label}:", flush=True)
            runs[label], size = measure(_environment(database_url, redis_url, mode), args, slugs)
        report = render(runs, args, argv, size)
    finally:
        clear_cache(redis_url)
        database_reset(database_url, create=False)
    if args.output != "-":
        section_write(Path(args.output), report, start=SECTION_START, end=SECTION_END)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
