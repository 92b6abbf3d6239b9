"""Properties over generated and hostile input.

Only ExtractionError (or its NoArticleError) ever escapes, every refusal says why, what
the sanitiser lets through is always inside its allow-list, counters never stay in the
body, and the article's runs are candidates in page order that a likelier block never
leaves.
"""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from articles.extraction import ExtractionError, extract
from articles.extraction.blocks import Block
from articles.extraction.byline import parse_byline
from articles.extraction.cleanup import is_counter
from articles.extraction.dates import parse_date_value
from articles.extraction.decode import decode
from articles.extraction.fusion import article_runs
from articles.extraction.html import parse_html
from articles.extraction.metadata import page_metadata
from articles.extraction.sanitize import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    IMAGE_SCHEMES,
    URL_SCHEMES,
    sanitize_html,
)

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TAGS = [
    "p",
    "div",
    "span",
    "a",
    "h1",
    "h2",
    "ul",
    "li",
    "table",
    "tr",
    "td",
    "script",
    "style",
    "article",
    "b",
    "br",
]
html_pieces = st.one_of(
    st.sampled_from(TAGS).map(lambda tag: f"<{tag}>"),
    st.sampled_from(TAGS).map(lambda tag: f"</{tag}>"),
    st.sampled_from(
        [
            '<a href="javascript:x()">',
            '<p onclick="x()">',
            "<!--",
            "-->",
            "<![CDATA[",
            "&amp;",
            "&#0;",
            "<?xml?>",
        ]
    ),
    st.text(max_size=80),
)
html_like = st.lists(html_pieces, max_size=60).map(lambda parts: "<html><body>" + "".join(parts))
words = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll")), min_size=1, max_size=10)
prose = st.lists(words, min_size=6, max_size=40).map(lambda w: " ".join(w) + ".")
counter_templates = st.sampled_from(
    ["This news has been read {n} times!", "Read {n} times", "Views: {n}", "{n} views", "Viewed {n} times"]
)


def extract_or_refuse(data, **kwargs):
    try:
        return extract(data, **kwargs)
    except ExtractionError as exc:
        assert str(exc)  # every refusal says why
        return None


@FAST
@given(st.binary(max_size=3000))
def test_random_bytes_only_ever_raise_extraction_errors(data):
    extract_or_refuse(data)


@FAST
@given(st.text(max_size=3000))
def test_random_text_only_ever_raises_extraction_errors(text):
    extract_or_refuse(text)


@FAST
@given(html_like, st.sampled_from(["", "text/html", "text/plain", "text/html; charset=bogus"]))
def test_html_like_input_only_ever_raises_extraction_errors(page, content_type):
    result = extract_or_refuse(page.encode("utf-8", "surrogatepass"), content_type=content_type)
    if result is not None:
        assert "<script" not in result.body_html
        assert "javascript:" not in result.body_html
        assert "onclick" not in result.body_html


@FAST
@given(
    headline=prose,
    paragraphs=st.lists(prose, min_size=1, max_size=6),
    counters=st.lists(
        st.tuples(counter_templates, st.integers(0, 10**7), st.integers(0, 7)), min_size=1, max_size=3
    ),
)
def test_counter_lines_never_stay_in_the_body(headline, paragraphs, counters):
    blocks = list(paragraphs)
    for template, number, where in counters:
        blocks.insert(min(where, len(blocks)), template.format(n=f"{number:,}"))
    result = extract_or_refuse("\n\n".join([headline, *blocks]))
    if result is None:
        return
    assert not any(is_counter(Block(paragraph)) is not None for paragraph in result.paragraphs)
    assert result.view_count == counters_in_order(blocks)[0]


def counters_in_order(blocks):
    return [count for count in (is_counter(Block(b)) for b in blocks) if count is not None]


@pytest.mark.parametrize("size", [1, 1000, 100_000])
def test_long_plain_text_is_read(size):
    text = (
        "Headline\n\n" + "\n\n".join(["A normal sentence of news copy goes here, said officials."] * 3) * size
    )
    result = extract(text[: 4 * 1024 * 1024])
    assert result.paragraphs


# --- Hostile HTML ---------------------------------------------------------------------

HOSTILE_TAGS = [
    *TAGS,
    "img",
    "iframe",
    "object",
    "embed",
    "form",
    "input",
    "button",
    "svg",
    "math",
    "noscript",
    "template",
    "style",
    "textarea",
    "select",
    "base",
    "meta",
    "link",
    "frameset",
    "table",
    "blockquote",
    "figure",
    "x-unknown",
]
ATTRIBUTE_NAMES = [
    "href",
    "src",
    "onclick",
    "onerror",
    "onload",
    "style",
    "class",
    "width",
    "height",
    "srcset",
    "formaction",
    "xlink:href",
    "data-x",
    "rel",
    "target",
    "colspan",
]
ATTRIBUTE_VALUES = st.one_of(
    st.sampled_from(
        [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            "&#106;avascript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "vbscript:x",
            "https://gulf.example/a",
            "http://gulf.example/pixel.gif",
            "https://www.google-analytics.com/collect",
            "mailto:desk@gulf.example",
            "//evil.example/x",
            "/relative",
            "1",
            "0",
            "expression(alert(1))",
            '"><script>alert(1)</script>',
        ]
    ),
    st.text(max_size=40),
    # Huge attributes: a megabyte-long href is a known way to stall naive parsers.
    st.integers(1000, 200_000).map(lambda n: "https://gulf.example/" + "a" * n),
)
attribute = st.tuples(st.sampled_from(ATTRIBUTE_NAMES), ATTRIBUTE_VALUES).map(
    lambda pair: f' {pair[0]}="{pair[1].replace(chr(34), "&quot;")}"'
)
open_tag = st.tuples(st.sampled_from(HOSTILE_TAGS), st.lists(attribute, max_size=4)).map(
    lambda t: f"<{t[0]}{''.join(t[1])}>"
)
hostile_piece = st.one_of(
    open_tag,
    st.sampled_from(HOSTILE_TAGS).map(lambda tag: f"</{tag}>"),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            "<?php echo 1; ?>",
            "<!DOCTYPE html>",
            "&#0;",
            "&#xD800;",
            "&nbsp;",
            "<",
            ">",
            "\x00",
            "<meta charset='utf-7'>",
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": ',
            '<meta property="article:published_time" content="9999-99-99T99:99">',
        ]
    ),
    st.text(max_size=80),
    prose,
)
# Random tag soup, with tags opened and never closed.
tag_soup = st.lists(hostile_piece, max_size=80).map("".join)
unclosed = st.lists(open_tag, min_size=1, max_size=300).map(lambda tags: "".join(tags) + "text")


@st.composite
def hostile_bytes(draw) -> bytes:
    """Tag soup as bytes: in one encoding or several mixed, with stray NULs and a declared charset."""
    page = "<html><head>" + draw(
        st.sampled_from(["", "<meta charset='utf-8'>", "<meta charset='windows-1256'>"])
    )
    page += "</head><body>" + draw(tag_soup)
    codecs = draw(
        st.lists(
            st.sampled_from(["utf-8", "cp1252", "cp1256", "utf-16-le", "latin-1"]), min_size=1, max_size=3
        )
    )
    cut = len(page) // len(codecs)
    data = b"".join(
        page[i * cut : (i + 1) * cut if i < len(codecs) - 1 else None].encode(codec, "replace")
        for i, codec in enumerate(codecs)
    )
    if draw(st.booleans()):
        position = draw(st.integers(0, len(data)))
        data = data[:position] + b"\x00" * draw(st.integers(1, 3)) + data[position:]
    return data


def assert_inside_the_allow_list(html: str) -> None:
    if not html.strip():
        return
    for element in lxml_html.fragments_fromstring(html):
        if not isinstance(element, lxml_html.HtmlElement):
            continue
        for node in element.iter():
            if not isinstance(node.tag, str):
                continue
            assert node.tag in ALLOWED_TAGS, node.tag
            allowed = ALLOWED_ATTRIBUTES.get(node.tag, set()) | ({"rel"} if node.tag == "a" else set())
            assert set(node.attrib) <= allowed, (node.tag, dict(node.attrib))
            if node.get("href") is not None:
                assert urlsplit(node.get("href")).scheme in URL_SCHEMES
            if node.tag == "img":
                assert urlsplit(node.get("src")).scheme in IMAGE_SCHEMES


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(tag_soup, unclosed))
def test_sanitised_html_stays_inside_the_allow_list_and_is_stable(html):
    clean = sanitize_html(html)
    assert_inside_the_allow_list(clean)
    # Markup-looking text stays text: escaped, never a tag.
    assert "<script" not in clean.lower()
    assert sanitize_html(clean) == clean


@FAST
@given(hostile_bytes(), st.sampled_from(["", "text/html", "text/html; charset=utf-8", "text/plain"]))
def test_hostile_bytes_only_ever_raise_extraction_errors(data, content_type):
    result = extract_or_refuse(data, content_type=content_type)
    if result is not None:
        assert_inside_the_allow_list(result.body_html)
        assert all(paragraph.strip() for paragraph in result.paragraphs)


@FAST
@given(unclosed)
def test_unclosed_tags_only_ever_raise_extraction_errors(html):
    extract_or_refuse(html.encode("utf-8", "surrogatepass"))


@FAST
@given(
    st.binary(max_size=4000),
    st.sampled_from(["", "text/html; charset=windows-1256", "text/html; charset=bogus"]),
)
def test_decoding_any_bytes_gives_text_or_an_extraction_error(data, content_type):
    try:
        decoded = decode(data, content_type)
    except ExtractionError as exc:
        assert str(exc)
        return
    assert isinstance(decoded.text, str)
    assert decoded.encoding


@FAST
@given(tag_soup)
def test_metadata_of_hostile_pages_is_well_typed(html):
    try:
        tree = parse_html("<html><head>" + html)
    except ExtractionError:
        return
    meta = page_metadata(tree, None, "https://gulf.example/news/a")
    assert isinstance(meta.headline, str)
    assert meta.published is None or isinstance(meta.published, dt.date)
    assert meta.updated is None or isinstance(meta.updated, dt.date)
    assert len(meta.authors) <= 10
    assert all(isinstance(author, str) and author for author in meta.authors)
    assert meta.lead_image is None or meta.lead_image.startswith(("http://", "https://"))
    assert meta.canonical_url is None or meta.canonical_url.startswith(("http://", "https://"))


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=120))
def test_any_text_parses_as_a_date_or_as_nothing(value):
    parsed, precision = parse_date_value(value)
    assert (parsed is None) == (precision == "unknown")


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=250))
def test_any_text_parses_as_a_byline_without_links_or_digits_in_names(text):
    byline = parse_byline(text)
    for name in byline.authors:
        assert "://" not in name
        assert not any(ch.isdigit() for ch in name)


@st.composite
def _scored_pages(draw):
    """A page of blocks: words per block, the candidates among them and their probabilities."""
    words = draw(st.lists(st.integers(min_value=0, max_value=200), min_size=1, max_size=40))
    candidates = sorted(draw(st.sets(st.integers(min_value=0, max_value=len(words) - 1))))
    probabilities = draw(
        st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=len(candidates), max_size=len(candidates))
    )
    return words, candidates, probabilities


@FAST
@given(_scored_pages())
def test_article_runs_choose_candidates_in_page_order(page):
    words, candidates, probabilities = page
    chosen = article_runs(candidates, probabilities, words)
    assert chosen == sorted(set(chosen))
    assert set(chosen) <= set(candidates)


@FAST
@given(_scored_pages(), st.data())
def test_a_chosen_block_stays_chosen_when_its_probability_rises(page, data):
    words, candidates, probabilities = page
    chosen = article_runs(candidates, probabilities, words)
    if not chosen:
        return
    block = data.draw(st.sampled_from(chosen))
    position = candidates.index(block)
    raised = list(probabilities)
    raised[position] = data.draw(st.floats(min_value=probabilities[position], max_value=1.0))
    assert block in article_runs(candidates, raised, words)


@FAST
@given(st.lists(st.integers(min_value=1, max_value=200), min_size=1, max_size=40))
def test_article_runs_follow_the_model_when_it_is_sure(words):
    every = list(range(len(words)))
    assert article_runs(every, [0.95] * len(words), words) == every
    assert article_runs(every, [0.05] * len(words), words) == []
