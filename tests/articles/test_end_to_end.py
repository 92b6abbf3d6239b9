"""A page travels through the Redis broker to a real Celery worker and into PostgreSQL."""

import datetime as dt

import pytest

from articles import services
from articles.models import Article, RawDocument
from tests.conftest import REPO_ROOT, wait_for

pytestmark = pytest.mark.services


def _status(raw_id):
    return RawDocument.objects.filter(pk=raw_id).values_list("status", flat=True).first()


def test_ingested_page_is_extracted_by_a_worker_process(celery_worker_process):
    content = (REPO_ROOT / "fixtures" / "seed" / "page.txt").read_bytes()

    result = services.raw_document_ingest(
        content=content, source="seed/page.txt", reference_date=dt.date(2015, 9, 28), publish=True
    )

    # The web process only stored the page; the worker does the extraction.
    assert result.created
    status = wait_for(
        lambda: (
            _status(result.raw_document.pk) in {"done", "failed", "no_article"}
            and _status(result.raw_document.pk)
        )
    )
    assert status == RawDocument.Status.DONE, RawDocument.objects.get(pk=result.raw_document.pk).error
    article = Article.objects.get(raw_document_id=result.raw_document.pk)
    assert article.headline.startswith("France in first air strike on IS in Syria")
    assert article.legacy_view_count == 7484
    assert article.status == Article.Status.NEEDS_REVIEW  # flagged by extraction: it waits for an editor

    # The worker writes "succeeded" after the task's transaction has committed: wait for the line.
    def extract_succeeded():
        log = celery_worker_process.log_path.read_text(errors="replace")
        return "Task articles.tasks.article_extract_task[" in log and "succeeded" in log

    assert wait_for(extract_succeeded, timeout=30), celery_worker_process.log_path.read_text(errors="replace")


def test_bad_page_sent_to_a_worker_ends_failed_with_its_reason(celery_worker_process):
    content = b"\x89PNG\r\n\x1a\n" + bytes(500)

    result = services.raw_document_ingest(content=content, source="upload.png", content_type="image/png")

    status = wait_for(
        lambda: (
            _status(result.raw_document.pk) in {"failed", "no_article"} and _status(result.raw_document.pk)
        )
    )
    raw = RawDocument.objects.get(pk=result.raw_document.pk)
    assert status == RawDocument.Status.FAILED
    assert raw.error
    assert raw.content_bytes == content
    assert not Article.objects.filter(raw_document=raw).exists()


def test_the_same_page_sent_twice_to_workers_makes_one_article(celery_worker_process):
    content = (REPO_ROOT / "fixtures" / "seed" / "page.txt").read_bytes()

    first = services.raw_document_ingest(content=content, source="one.txt")
    wait_for(lambda: _status(first.raw_document.pk) == "done")
    services.raw_document_reextract(raw_document=first.raw_document)
    # A run is counted when it starts (so a killed one counts too): wait for the second to finish.
    wait_for(lambda: RawDocument.objects.filter(pk=first.raw_document.pk, attempts=2, status="done").exists())
    second = services.raw_document_ingest(content=content, source="two.txt")

    assert not second.created
    assert _status(first.raw_document.pk) == "done"
    assert Article.objects.filter(raw_document_id=first.raw_document.pk).count() == 1
    assert Article.objects.count() == 1
