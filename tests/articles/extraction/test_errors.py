"""Bad input: a clear ExtractionError or NoArticleError, quickly, and never another exception."""

import gzip
import time

import pytest

from articles.extraction import MAX_INPUT_BYTES, ExtractionError, NoArticleError, extract
from articles.extraction.html import MAX_DEPTH

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"


@pytest.mark.parametrize("data", [b"", b"   \n\t ", "", "  \n  "])
def test_empty_input_is_refused(data):
    with pytest.raises(ExtractionError, match="empty"):
        extract(data)


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (PDF, "PDF"),
        (PNG, "PNG"),
        (JPEG, "JPEG"),
        (gzip.compress(b"<html><body><p>hello</p></body></html>"), "gzip"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
    ],
)
def test_binary_formats_are_refused_by_name(data, named):
    with pytest.raises(ExtractionError, match=named):
        extract(data)


def test_nul_bytes_are_refused():
    with pytest.raises(ExtractionError, match="NUL"):
        extract(b"Headline\n\nSome text\x00\x01\x02 with binary in it")


def test_a_binary_content_type_is_refused():
    with pytest.raises(ExtractionError, match="image/png"):
        extract(b"Headline\n\nText that is really an image", content_type="image/png")


def test_mostly_control_characters_are_refused():
    with pytest.raises(ExtractionError, match="control characters"):
        extract(bytes(range(1, 32)) * 50)


def test_oversized_input_is_refused_before_any_work():
    with pytest.raises(ExtractionError, match="limit"):
        extract(b"a" * 101, max_bytes=100)
    with pytest.raises(ExtractionError, match="limit"):
        extract(b" " * (MAX_INPUT_BYTES + 1))


def test_deeply_nested_html_is_refused_quickly():
    page = "<html><body>" + "<div>" * 100_000 + "<p>deep text</p>" + "</div>" * 100_000 + "</body></html>"
    started = time.monotonic()
    with pytest.raises(ExtractionError, match=f"nested more than {MAX_DEPTH}"):
        extract(page)
    assert time.monotonic() - started < 10


def test_html_nested_just_under_the_limit_is_read():
    body = "<p>" + "Ordinary words in a paragraph of the story. " * 30 + "</p>"
    page = "<html><body>" + "<div>" * 100 + body + "</div>" * 100 + "</body></html>"
    assert extract(page).paragraphs


@pytest.mark.parametrize(
    "data",
    [
        "Related Articles\n\nBack to top button\n\nShare this article",
        "Only a headline",
        "<html><head><title>x</title><script>var a = 1;</script></head><body></body></html>",
        "<html><body><!-- nothing here --></body></html>",
        "<html><body><p>Too short.</p></body></html>",
    ],
)
def test_pages_without_an_article_raise_no_article(data):
    with pytest.raises(NoArticleError):
        extract(data)


def test_other_input_types_are_refused():
    with pytest.raises(ExtractionError, match="bytes or text"):
        extract(12345)  # type: ignore[arg-type]


def test_lone_surrogates_and_stray_controls_do_not_break_parsing():
    text = "Headline \ud800 here\n\nA paragraph with a stray \x07 bell and a lone \udfff surrogate in it."
    result = extract(text)
    assert result.headline == "Headline \ufffd here"
    assert "\x07" not in result.paragraphs[0]


def test_garbage_markup_gives_an_extraction_error_not_a_crash():
    for page in [
        "<html><body><p>" + "<" * 5000 + "</p>",
        "<![CDATA[" * 1000,
        "<?xml version='1.0'?><html>" + "&#0;" * 100,
    ]:
        with pytest.raises(ExtractionError):
            extract(page)
