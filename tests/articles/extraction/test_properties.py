"""Properties over generated input: only ExtractionError escapes, and counters never stay in the body."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.extraction import ExtractionError, extract
from articles.extraction.blocks import Block
from articles.extraction.cleanup import is_counter

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
