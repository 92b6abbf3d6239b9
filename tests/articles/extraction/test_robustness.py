"""Robustness: wrong encodings are read, and every bad page ends in a clear outcome, quickly.

NoArticleError is a page read without an article in it (status ``no_article``);
ExtractionError is input that cannot be read as a page (status ``failed``). Nothing
else ever escapes ``extract``, and every refusal says why in words an editor reads.
"""

import time

import pytest

from articles.extraction import MAX_INPUT_BYTES, ExtractionError, NoArticleError, extract
from articles.extraction.decode import decode
from articles.extraction.sniff import clean_characters

from . import bad_pages
from .bad_pages import (
    ARABIC_PARAGRAPHS,
    ENGLISH_PARAGRAPHS,
    FRENCH_PARAGRAPHS,
    GREEK_PARAGRAPHS,
    POLISH_PARAGRAPHS,
    RUSSIAN_PARAGRAPHS,
    article_html,
)

# A page may cost this much at most in these tests; the pipeline's own budget is tighter.
SECONDS = 30


def outcome(data, **kwargs):
    """What extract makes of the input: ("article", result) or (the error class, its message)."""
    started = time.monotonic()
    try:
        result = extract(data, **kwargs)
    except NoArticleError as exc:
        found = (NoArticleError, str(exc))
    except ExtractionError as exc:
        found = (ExtractionError, str(exc))
    else:
        found = ("article", result)
    assert time.monotonic() - started < SECONDS
    return found


# --- Encodings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraphs", "codec", "declared", "encoding"),
    [
        # The meta charset lies: the bytes are windows-1256 (or -1251), not what it says.
        (ARABIC_PARAGRAPHS, "cp1256", "utf-8", "windows-1256"),
        (ARABIC_PARAGRAPHS, "cp1256", "windows-1252", "windows-1256"),
        (ARABIC_PARAGRAPHS, "cp1256", "iso-8859-1", "windows-1256"),
        (RUSSIAN_PARAGRAPHS, "cp1251", "windows-1252", "windows-1251"),
        (FRENCH_PARAGRAPHS, "cp1252", "utf-8", "windows-1252"),
        # Declared truthfully, or not at all.
        (ARABIC_PARAGRAPHS, "cp1256", None, "windows-1256"),
        (RUSSIAN_PARAGRAPHS, "cp1251", None, "windows-1251"),
        (RUSSIAN_PARAGRAPHS, "koi8-r", None, "koi8-r"),
        (FRENCH_PARAGRAPHS, "cp1252", None, "windows-1252"),
        (POLISH_PARAGRAPHS, "iso-8859-2", None, "iso-8859-2"),
        (POLISH_PARAGRAPHS, "iso-8859-2", "ISO-8859-2", "iso-8859-2"),
        (GREEK_PARAGRAPHS, "iso-8859-7", "iso-8859-7", "iso-8859-7"),
    ],
)
def test_pages_in_legacy_encodings_are_read_whatever_they_declare(paragraphs, codec, declared, encoding):
    data = article_html(paragraphs, charset=declared).encode(codec)
    decoded = decode(data)
    assert decoded.encoding == encoding
    assert all(paragraph in decoded.text for paragraph in paragraphs)
    if declared and declared.lower().replace("iso-8859-1", "windows-1252") != encoding:
        assert declared in decoded.warnings[0]


def test_an_arabic_page_with_a_lying_meta_charset_is_extracted_in_arabic():
    kind, result = outcome(bad_pages.arabic_cp1256_lying_utf8())
    assert kind == "article"
    assert result.encoding == "windows-1256"
    assert result.headline == "ضربات فرنسية في سوريا"
    assert result.paragraphs[0] == ARABIC_PARAGRAPHS[0]
    assert any("utf-8" in warning for warning in result.warnings)


def test_utf8_with_a_bom_beats_a_lying_meta_charset():
    data = b"\xef\xbb\xbf" + article_html(FRENCH_PARAGRAPHS, charset="windows-1252").encode("utf-8")
    decoded = decode(data)
    assert decoded.encoding == "utf-8"
    assert FRENCH_PARAGRAPHS[0] in decoded.text
    assert not decoded.text.startswith("\ufeff")


def test_a_utf8_page_with_a_stray_windows_1252_byte_stays_utf8():
    data = (
        article_html(ARABIC_PARAGRAPHS)
        .encode("utf-8")
        .replace(b"Gulf Daily</title>", b"Gulf Daily \x92</title>")
    )
    decoded = decode(data)
    assert decoded.encoding == "utf-8"
    assert ARABIC_PARAGRAPHS[0] in decoded.text
    assert "not valid UTF-8" in decoded.warnings[0]


def test_a_few_stray_nul_bytes_are_dropped_but_many_are_binary():
    page = article_html(ENGLISH_PARAGRAPHS * 5).encode("utf-8")
    decoded = decode(page.replace(b"<title>", b"<title>\x00", 1))
    assert "\x00" not in decoded.text
    assert "NUL" in decoded.warnings[0]
    with pytest.raises(ExtractionError, match="NUL"):
        decode(page.replace(b" ", b"\x00"))
    assert "\x00" not in clean_characters("A story with one stray NUL\x00 in it. " + "More text. " * 2000)
    with pytest.raises(ExtractionError, match="NUL"):
        clean_characters("\x00" * 100 + "text")


@pytest.mark.parametrize("declared", ["windows-1256", "windows-1252", None])
def test_a_megabyte_word_in_a_legacy_charset_decodes_in_linear_time(declared):
    # Found by hypothesis: checking a declared charset once took minutes on one long word.
    meta = f"<meta charset='{declared}'>".encode() if declared else b""
    data = meta + b'<table height="https://gulf.example/' + b"a" * 2_000_000 + b'">\xe9\xe8 caf\xe9</table>'
    started = time.monotonic()
    decoded = decode(data)
    assert time.monotonic() - started < 5
    assert decoded.text.endswith("</table>")


# --- Outcomes of bad input ------------------------------------------------------------

NOT_ARTICLES = [
    pytest.param(bad_pages.home_page(), "text/html", NoArticleError, "links", id="home-page"),
    pytest.param(bad_pages.not_found_page(), "text/html", NoArticleError, "not found", id="404-page"),
    pytest.param(bad_pages.RSS, "", NoArticleError, "RSS feed", id="rss-feed"),
    pytest.param(bad_pages.RSS, "application/rss+xml", NoArticleError, "RSS feed", id="rss-content-type"),
    pytest.param(bad_pages.SITEMAP, "", NoArticleError, "sitemap", id="sitemap"),
    pytest.param(
        b"<html><head><title>x</title></head><body></body></html>", "", NoArticleError, "", id="empty-page"
    ),
]
UNREADABLE = [
    pytest.param(bad_pages.PDF, "", "PDF", id="pdf"),
    pytest.param(bad_pages.PDF, "application/pdf", "application/pdf", id="pdf-content-type"),
    pytest.param(bad_pages.PNG, "", "PNG", id="png"),
    pytest.param(bad_pages.JPEG, "image/jpeg", "image/jpeg", id="jpeg"),
    pytest.param(bad_pages.SVG, "", "SVG image", id="svg"),
    pytest.param(bad_pages.GZIPPED_PAGE, "text/html", "gzip", id="gzip"),
    pytest.param(bad_pages.JSON_API, "", "JSON", id="json"),
    pytest.param(bad_pages.JSON_API, "application/json; charset=utf-8", "JSON", id="json-content-type"),
    pytest.param(bad_pages.RANDOM_BINARY, "", "binary", id="random-bytes"),
    pytest.param(b"", "", "empty", id="empty-bytes"),
    pytest.param(b" \r\n\t " * 50, "text/html", "empty", id="whitespace"),
    pytest.param(bad_pages.nested_page(5000), "text/html", "nested", id="nested-5000"),
    pytest.param(b"<p>" + b"a" * (MAX_INPUT_BYTES + 1), "text/html", "limit", id="over-the-size-limit"),
]


@pytest.mark.parametrize(("data", "content_type", "error", "reason"), NOT_ARTICLES)
def test_pages_without_an_article_end_as_no_article_with_a_reason(data, content_type, error, reason):
    kind, message = outcome(data, content_type=content_type)
    assert kind is error
    assert reason.lower() in message.lower()
    assert len(message) > 20


@pytest.mark.parametrize(("data", "content_type", "reason"), UNREADABLE)
def test_unreadable_input_ends_as_an_extraction_error_with_a_reason(data, content_type, reason):
    kind, message = outcome(data, content_type=content_type)
    assert kind is ExtractionError
    assert reason.lower() in message.lower()
    assert "Traceback" not in message


def test_a_3_megabyte_page_is_read_within_the_cost_cap():
    data = bad_pages.huge_page(3_000_000)
    assert len(data) >= 3_000_000
    kind, result = outcome(data, content_type="text/html")
    assert kind == "article"
    assert result.paragraphs[0] == ENGLISH_PARAGRAPHS[0]
    assert "__STATE__" not in result.body


def test_broken_markup_still_gives_its_story():
    kind, result = outcome(bad_pages.tag_soup_page())
    assert kind == "article"
    assert ENGLISH_PARAGRAPHS[1] in result.body


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body>" + b"<p>" * 20000 + b"text",
        b"<html><body><p>" + b"<" * 20000,
        b"<html>" + b"<!--" * 5000 + b"<p>text</p>",
        b"<html><body>" + b"<a href='" + b"x" * 1_000_000 + b"'>link</a>",
        b"<html><body><p title='" + b'"' * 10000 + b"'>" + ENGLISH_PARAGRAPHS[0].encode() + b"</p>",
        b"<?xml version='1.0' encoding='bogus'?><html><body>" + ENGLISH_PARAGRAPHS[0].encode(),
        b"<html><head><meta charset='utf-7'></head><body>+ADw-script+AD4-alert(1)+ADw-/script+AD4-</body></html>",
        b'<html><script type="application/ld+json">' + b"[" * 100000 + b"</script><body>x</body></html>",
    ],
    ids=[
        "20000-open-p",
        "lt-run",
        "comment-run",
        "1mb-attribute",
        "quote-run",
        "bogus-xml-charset",
        "utf7",
        "deep-json-ld",
    ],
)
def test_hostile_markup_ends_in_a_clear_outcome(data):
    kind, found = outcome(data)
    if kind == "article":
        assert "<script" not in found.body_html
    else:
        assert found  # the reason
