"""Related endpoint latency, warm: the API's related list against a trivial view, same server, same run.

Fills a scratch PostgreSQL database with synthetic threaded stories (``bench/related.py``'s
writer) and computes the related lists of the ones the load asks for; starts gunicorn on
loopback with the project's settings (PostgreSQL, Redis cache); warms every URL once; then
runs wrk against ``/healthz`` (the trivial view: no database, no cache) and
``/api/articles/{id}/related/?limit=5`` (rotating over the articles, every list already
cached) in alternating rounds, and reports wrk's latency percentiles and throughput. The issue's
bar: the related endpoint's p99 within 2× the trivial view's. Usage::

    .venv/bin/python bench/related_latency.py [--stories 5000] [--articles 200] [--rounds 5]
        [--duration 10] [--connections 8] [--threads 1] [--workers N] [--output docs/benchmarks.md]

``DATABASE_URL`` names the server (default ``postgres://postgres@127.0.0.1:5432/``); the database
``newsroom_bench_latency`` is dropped, created and dropped again. ``REDIS_URL`` (default
``redis://127.0.0.1:6379/14``) is the cache, under a key prefix of its own that is cleared. Needs
``wrk`` (``apt-get install -y wrk``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.related import Writer, store_entities, store_stories  # noqa: E402
from bench.report import code_version, cpu_description, section_write  # noqa: E402

DATABASE_NAME = "newsroom_bench_latency"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"
CACHE_PREFIX = "bench-related-latency"
DEFAULT_OUTPUT = ROOT / "docs" / "benchmarks.md"
SECTION_START = "<!-- bench/related_latency.py: start -->"
SECTION_END = "<!-- bench/related_latency.py: end -->"
TRIVIAL = "trivial view: /healthz"
RELATED = "related API, warm: /api/articles/{id}/related/?limit=5"

ROTATE_LUA = """
local ids = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/articles/" .. ids[(n %% #ids) + 1] .. "/related/?limit=5")
end
"""


def _environment(database_url: str, redis_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": CACHE_PREFIX,
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


def prepare(env: dict[str, str], stories: int, articles: int) -> list[int]:
    """Migrate, store the stories, compute the lists the load will ask for; their article ids."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article
    from articles.related.refresh import article_related_refresh

    call_command("migrate", verbosity=0, interactive=False)
    writer = Writer(20261126)
    entity_ids = store_entities()
    ids = store_stories(writer.corpus(stories), entity_ids, offset=0)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    chosen = ids[-articles:]
    for article in Article.objects.filter(pk__in=chosen):
        article_related_refresh(article=article, propagate=False)
    connection.close()
    return chosen


def clear_cache(redis_url: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{CACHE_PREFIX}:*"))
    if keys:
        client.delete(*keys)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "newsroom.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--log-level=warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    stop_server(process)
    raise SystemExit("gunicorn did not start")


def stop_server(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def warm(port: int, ids: list[int]) -> None:
    for pk in ids:
        url = f"http://127.0.0.1:{port}/api/articles/{pk}/related/?limit=5"
        with urllib.request.urlopen(url, timeout=10) as response:
            if response.status != 200:
                raise SystemExit(f"{url} answered {response.status}")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * _UNITS[unit]


def run_wrk(url: str, *, script: str | None, duration: int, connections: int, threads: int) -> dict:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url]
    if script:
        command[1:1] = ["-s", script]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    percentiles = {
        int(p): _ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)$", output, flags=re.MULTILINE)
    }
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)$", output, flags=re.MULTILINE)
    return {
        "p50": percentiles[50],
        "p90": percentiles[90],
        "p99": percentiles[99],
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "errors": errors.group(1).strip() if errors else "",
    }


def render(results: dict[str, list[dict]], args, argv, workers: int, ids: list[int]) -> str:
    def median(name, key):
        return statistics.median(r[key] for r in results[name])

    ratio = median(RELATED, "p99") / median(TRIVIAL, "p99")
    lines = [
        "## Related endpoint latency (warm) benchmark",
        "",
        "Written by `bench/related_latency.py` (usage in its docstring); a new run replaces this section.",
        "",
        f"- Command: `{shlex.join(['.venv/bin/python', 'bench/related_latency.py', *argv])}`",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {cpu_description()}, {platform.system()} {platform.machine()}; Python {platform.python_version()}; "
        "PostgreSQL and Redis on the same machine; wrk on the same machine (it shares the CPUs)",
        f"- Code: commit {code_version()}",
        f"- Server: gunicorn {workers} sync workers on 127.0.0.1, `DEBUG=0`, PostgreSQL database, Redis cache",
        f"- Data: {args.stories:,} synthetic stories; the load rotates over {len(ids)} articles whose lists were "
        "computed and then fetched once (warm: each request is one Redis round trip, no database query)",
        f"- Load: wrk, {args.threads} thread(s), {args.connections} connections, {args.duration} s per run, "
        f"{args.rounds} alternating rounds per URL; figures are the median over rounds",
        "",
        "| URL | p50 ms | p90 ms | p99 ms | requests/s | non-2xx | socket errors |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name in (TRIVIAL, RELATED):
        errors = "; ".join(sorted({r["errors"] for r in results[name] if r["errors"]})) or "none"
        lines.append(
            f"| {name} | {median(name, 'p50'):.2f} | {median(name, 'p90'):.2f} | {median(name, 'p99'):.2f} | "
            f"{median(name, 'rps'):,.0f} | {sum(r['non_2xx'] for r in results[name])} | {errors} |"
        )
    lines += [
        "",
        f"p99 of the related endpoint ÷ p99 of the trivial view: **{ratio:.2f}×** (the bar: at most 2×).",
        "",
        "Per round (p99 ms, trivial / related): "
        + ", ".join(
            f"{t['p99']:.2f} / {r['p99']:.2f}"
            for t, r in zip(results[TRIVIAL], results[RELATED], strict=True)
        )
        + ".",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=5000)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT))
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    server = os.environ.get("DATABASE_URL", DEFAULT_SERVER)
    database_url = urlunsplit(urlsplit(server)._replace(path=f"/{DATABASE_NAME}"))
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    env = _environment(database_url, redis_url)
    database_reset(database_url, create=True)
    process = None
    try:
        clear_cache(redis_url)
        print(f"storing {args.stories:,} stories and computing {args.articles} lists …", flush=True)
        ids = prepare(env, args.stories, args.articles)
        port = free_port()
        process = start_server(env, port, args.workers)
        warm(port, ids)
        base = f"http://127.0.0.1:{port}"
        results: dict[str, list[dict]] = {TRIVIAL: [], RELATED: []}
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(ROTATE_LUA % ", ".join(str(pk) for pk in ids))
        try:
            # A short untimed run of each first, so both start from warm workers and connections.
            run_wrk(
                f"{base}/healthz", script=None, duration=2, connections=args.connections, threads=args.threads
            )
            run_wrk(base, script=script.name, duration=2, connections=args.connections, threads=args.threads)
            for round_ in range(args.rounds):
                for name in (TRIVIAL, RELATED) if round_ % 2 == 0 else (RELATED, TRIVIAL):
                    result = run_wrk(
                        f"{base}/healthz" if name == TRIVIAL else base,
                        script=None if name == TRIVIAL else script.name,
                        duration=args.duration,
                        connections=args.connections,
                        threads=args.threads,
                    )
                    results[name].append(result)
                    print(
                        f"round {round_ + 1} {name}: p50 {result['p50']:.2f} ms, p99 {result['p99']:.2f} ms, "
                        f"{result['rps']:,.0f} req/s",
                        flush=True,
                    )
        finally:
            os.unlink(script.name)
        report = render(results, args, argv, args.workers, ids)
    finally:
        if process is not None:
            stop_server(process)
        clear_cache(redis_url)
        database_reset(database_url, create=False)
    if args.output != "-":
        section_write(Path(args.output), report, start=SECTION_START, end=SECTION_END)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
