"""Bad input through ingest: each page ends as a RawDocument with the right status, a reason, its bytes kept."""

import pytest

from articles import services
from articles.models import Article, RawDocument
from tests.articles.extraction import bad_pages

pytestmark = pytest.mark.django_db

CASES = [
    pytest.param(bad_pages.home_page(), "text/html", RawDocument.Status.NO_ARTICLE, "links", id="home-page"),
    pytest.param(
        bad_pages.not_found_page(), "text/html", RawDocument.Status.NO_ARTICLE, "not found", id="404"
    ),
    pytest.param(bad_pages.RSS, "application/rss+xml", RawDocument.Status.NO_ARTICLE, "RSS feed", id="rss"),
    pytest.param(bad_pages.PDF, "application/pdf", RawDocument.Status.FAILED, "PDF", id="pdf"),
    pytest.param(bad_pages.PNG, "", RawDocument.Status.FAILED, "PNG image", id="png"),
    pytest.param(bad_pages.SVG, "", RawDocument.Status.FAILED, "SVG image", id="svg"),
    pytest.param(bad_pages.JSON_API, "application/json", RawDocument.Status.FAILED, "JSON", id="json"),
    pytest.param(bad_pages.RANDOM_BINARY, "", RawDocument.Status.FAILED, "binary", id="random-bytes"),
    pytest.param(b" \n\t " * 10, "text/html", RawDocument.Status.FAILED, "empty", id="blank"),
    pytest.param(
        bad_pages.nested_page(5000), "text/html", RawDocument.Status.FAILED, "nested", id="nested-5000"
    ),
]


def ingest(content: bytes, content_type: str, django_capture_on_commit_callbacks) -> RawDocument:
    with django_capture_on_commit_callbacks(execute=True):
        result = services.raw_document_ingest(content=content, source="upload.bin", content_type=content_type)
    return RawDocument.objects.get(pk=result.raw_document.pk)


@pytest.mark.parametrize(("content", "content_type", "status", "reason"), CASES)
def test_bad_input_ends_with_its_status_a_readable_reason_and_its_bytes_kept(
    content, content_type, status, reason, django_capture_on_commit_callbacks
):
    raw = ingest(content, content_type, django_capture_on_commit_callbacks)

    assert raw.status == status, raw.error
    assert reason.lower() in raw.error.lower()
    assert raw.error.endswith(".") and "Traceback" not in raw.error
    assert raw.content_bytes == content
    assert raw.size == len(content)
    assert raw.attempts == 1
    assert raw.processed_at is not None
    assert not Article.objects.exists()


def test_an_arabic_page_with_a_lying_charset_becomes_an_article_read_in_arabic(
    django_capture_on_commit_callbacks,
):
    content = bad_pages.arabic_cp1256_lying_utf8()

    raw = ingest(content, "text/html; charset=utf-8", django_capture_on_commit_callbacks)

    assert raw.status == RawDocument.Status.DONE, raw.error
    assert raw.encoding == "windows-1256"
    assert raw.content_bytes == content
    article = raw.article
    assert article.headline == "ضربات فرنسية في سوريا"
    assert article.body_text.startswith(bad_pages.ARABIC_PARAGRAPHS[0])
    assert "utf-8" in " ".join(article.report.warnings)


def test_a_3_megabyte_page_becomes_an_article(django_capture_on_commit_callbacks):
    content = bad_pages.huge_page(3_000_000)

    raw = ingest(content, "text/html", django_capture_on_commit_callbacks)

    assert raw.status == RawDocument.Status.DONE, raw.error
    assert raw.content_bytes == content
    assert raw.article.body_text.startswith(bad_pages.ENGLISH_PARAGRAPHS[0])
    assert "<script" not in raw.article.body_html
