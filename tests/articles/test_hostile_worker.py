"""The hostile corpus through a real Celery worker: every page ends in a clear state, in time, in bounded memory.

Each page is ingested alone and followed until its document is done (and its story tagged)
or failed with a reason, and the worker's queues are empty. The worker's peak resident
memory (VmHWM, reset before each page through /proc/<pid>/clear_refs) is read after each.
The table of figures is printed (``pytest -s``) and written to HOSTILE_REPORT when set.
"""

import os
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings

from articles import services
from articles.filters import article_text_search
from articles.models import Article, RawDocument
from entities.models import ArticleTagging
from tests.articles.hostile_pages import HOSTILE_PAGES
from tests.conftest import wait_for

pytestmark = pytest.mark.services

FINISHED = {RawDocument.Status.DONE, RawDocument.Status.FAILED, RawDocument.Status.NO_ARTICLE}
MAX_PEAK_KIB = 1024 * 1024
# What the probe found, and what each of those pages must now come to.
EXPECTED = {
    "attributes-200k-one-element": RawDocument.Status.DONE,
    "numbered-lines-180k": RawDocument.Status.DONE,
    "distinct-words-4mb": RawDocument.Status.DONE,
    "word-4mb-capitalised": RawDocument.Status.DONE,
    "entity-names-4mb": RawDocument.Status.DONE,
    "elements-1m-br": RawDocument.Status.FAILED,
    "gzip-bomb": RawDocument.Status.FAILED,
    "empty": RawDocument.Status.FAILED,
}


def _processes(pid: int) -> list[int]:
    """``pid`` and all its descendants (a prefork pool's children; none with the solo pool)."""
    found, index = [pid], 0
    while index < len(found):
        for task in Path(f"/proc/{found[index]}/task").iterdir():
            children = (task / "children").read_text().split()
            found.extend(int(child) for child in children)
        index += 1
    return found


def _peak_kib(pid: int) -> int:
    peaks = []
    for process in _processes(pid):
        for line in Path(f"/proc/{process}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]))
    return max(peaks)


def _reset_peak(pid: int) -> bool:
    try:
        for process in _processes(pid):
            Path(f"/proc/{process}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _settled(broker: redis.Redis, raw_id: int) -> bool:
    raw = RawDocument.objects.get(pk=raw_id)
    if raw.status not in FINISHED:
        return False
    if raw.status == RawDocument.Status.DONE:
        article = Article.objects.filter(raw_document=raw).first()
        tagging = article and ArticleTagging.objects.filter(article=article).first()
        if not tagging or not (tagging.tagged_at or tagging.error):
            return False
    # Clustering and the related refresh follow tagging: the page is done when nothing is left.
    return not any(broker.llen(queue) for queue in ("extraction", "default")) and not broker.hlen("unacked")


def test_every_hostile_page_ends_in_a_clear_state_in_time_and_under_a_gigabyte(celery_worker_process):
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    pid = celery_worker_process.pid
    limit = settings.CELERY_TASK_SOFT_TIME_LIMIT
    rows = []
    for page in HOSTILE_PAGES:
        content = page.build()
        per_page_peak = _reset_peak(pid)
        started = time.monotonic()
        raw = services.raw_document_ingest(
            content=content, source=f"hostile/{page.name}", content_type=page.content_type
        ).raw_document
        # Two tasks at most run for a page (extraction, then tagging), each within the limit.
        settled = wait_for(lambda raw=raw: _settled(broker, raw.pk), timeout=2 * limit + 30, interval=0.1)
        seconds = time.monotonic() - started
        raw.refresh_from_db()
        tagging = ArticleTagging.objects.filter(article__raw_document=raw).first()
        rows.append(
            {
                "name": page.name,
                "size": len(content),
                "status": raw.status,
                "reason": raw.error or (tagging.notice if tagging else ""),
                "tagging": "" if tagging is None else (tagging.error or "tagged"),
                "seconds": seconds,
                "peak": _peak_kib(pid),
                "per_page": per_page_peak,
                "settled": bool(settled),
            }
        )
        del content
    _report(rows)

    for row in rows:
        name = row["name"]
        assert row["settled"], f"{name} never settled: {row}"
        assert row["status"] in FINISHED, row
        if row["status"] != RawDocument.Status.DONE:
            assert row["reason"], f"{name} failed without a reason"
        else:
            assert row["tagging"] == "tagged", row
        assert row["seconds"] < limit, row
        assert row["peak"] < MAX_PEAK_KIB, row
        if name in EXPECTED:
            assert row["status"] == EXPECTED[name], row

    # Four megabytes of distinct words (a tsvector of them would overflow) are stored, and found by
    # their first word; of the page's 180,001 lines (its headline, then 180,000 numbered lines) the
    # first 20,000 are read, the report saying so.
    words = Article.objects.get(raw_document__source="hostile/distinct-words-4mb")
    assert len(words.body_text) > 4_000_000
    first_word = words.body_text.split()[0]
    assert article_text_search(Article.objects.all(), first_word).filter(pk=words.pk).exists()
    numbered = Article.objects.get(raw_document__source="hostile/numbered-lines-180k")
    assert len(numbered.body_text.splitlines()) == 2 * (20_000 - 1) - 1
    assert any("180,001 paragraphs, lines or table rows" in w for w in numbered.report.warnings)
    # A body over TAGGING_MAX_CHARS is tagged in part, and the tagging says so.
    names = ArticleTagging.objects.get(article__raw_document__source="hostile/capitalised-names-4mb")
    assert names.notice.startswith("Only the first ")
    assert names.notice.endswith(f"(the limit is {settings.TAGGING_MAX_CHARS:,}).")


def _report(rows: list[dict]) -> None:
    lines = [
        "| input | size | status | reason or note | time (s) | worker peak RSS (MiB) |",
        "| --- | ---: | --- | --- | ---: | ---: |",
    ]
    for row in rows:
        reason = row["reason"].replace("|", "/")[:110]
        peak = f"{row['peak'] / 1024:.0f}" + ("" if row["per_page"] else " (cumulative)")
        lines.append(
            f"| {row['name']} | {row['size']:,} | {row['status']} | {reason} | {row['seconds']:.1f} | {peak} |"
        )
    worst_time = max(rows, key=lambda row: row["seconds"])
    worst_peak = max(rows, key=lambda row: row["peak"])
    lines.append(
        f"\n{len(rows)} inputs; slowest {worst_time['name']} {worst_time['seconds']:.1f} s; "
        f"highest peak {worst_peak['name']} {worst_peak['peak'] / 1024:.0f} MiB"
    )
    table = "\n".join(lines)
    print(table)
    if target := os.environ.get("HOSTILE_REPORT"):
        Path(target).write_text(table + "\n")
