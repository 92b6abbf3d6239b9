"""The caps that bound what one hostile page can cost, checked before the expensive step."""

import gzip
import time
from pathlib import Path

import pytest

from articles.extraction import ExtractionError, extract
from articles.extraction.glued import flag_glued_words
from articles.extraction.markup import MAX_ATTRIBUTES, MAX_PAGE_ATTRIBUTES, MAX_START_TAGS, bound_markup
from articles.extraction.repeats import flag_repeated_sentences, split_sentences
from tests.articles.extraction.bad_pages import ENGLISH_PARAGRAPHS, article_html, huge_page
from tests.articles.hostile_pages import HOSTILE_PAGES

PAGES = Path(__file__).parent / "pages"
STORY = " ".join(ENGLISH_PARAGRAPHS)


def _seconds(call):
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def test_the_hostile_corpus_holds_at_least_fifty_distinct_inputs():
    names = [page.name for page in HOSTILE_PAGES]
    assert len(names) >= 50
    assert len(set(names)) == len(names)


def test_an_element_with_200000_attributes_keeps_its_first_ones_and_its_text():
    attributes = " ".join(f"a{i}" for i in range(200_000))
    page = article_html([f"<span {attributes}>{STORY}</span>"])

    bounded, seconds = _seconds(lambda: bound_markup(page))

    assert seconds < 2
    assert bounded.elements_cut == 1
    assert bounded.most_attributes == 200_000
    assert f"a{MAX_ATTRIBUTES - 1}>" in bounded.text and f"a{MAX_ATTRIBUTES} " not in bounded.text
    assert STORY in bounded.text


def test_a_page_with_an_attribute_flood_is_extracted_with_a_warning():
    attributes = " ".join(f"a{i}" for i in range(200_000))
    page = article_html([f"<span {attributes}>{ENGLISH_PARAGRAPHS[0]}</span>", *ENGLISH_PARAGRAPHS[1:]])

    article, seconds = _seconds(lambda: extract(page.encode()))

    assert seconds < 5
    assert article.paragraphs[0] == ENGLISH_PARAGRAPHS[0]
    assert any("more than 256 attributes (up to 200,000)" in warning for warning in article.warnings)


def test_a_quoted_bracket_does_not_end_a_tag_for_the_count():
    # libxml2 reads these as one tag; a scanner stopping at the first ">" would see 1 attribute each time.
    attributes = " ".join(f'a{i} t{i}=">"' for i in range(1_000))

    bounded = bound_markup(f"<p {attributes}>{STORY}</p>")

    assert bounded.most_attributes == 2_000
    assert bounded.text.endswith(f">{STORY}</p>")


def test_slashes_between_attributes_do_not_hide_them():
    assert bound_markup("<p " + "/a" * 5_000 + ">x</p>").most_attributes == 5_000


def test_an_unclosed_quote_does_not_make_the_rest_of_the_page_one_tag():
    words = " ".join(f"word{i}" for i in range(2_000))
    page = f'<p><a href="/story>Read more</a></p><p>{words}</p>'

    assert bound_markup(page).text == page


def test_tags_inside_scripts_styles_and_comments_are_not_counted():
    fake_tags = "<p a b c>" * (MAX_START_TAGS + 1)
    for wrapped in (
        f"<script>var s = '{fake_tags}';</script>",
        f"<style>/* {fake_tags} */</style>",
        f"<!-- {fake_tags} -->",
    ):
        page = article_html([STORY]).replace("</body>", wrapped + "</body>")
        assert bound_markup(page).text == page


def test_a_flood_of_tags_is_refused_before_parsing():
    page = article_html([STORY + "<br>" * (MAX_START_TAGS + 10)])

    started = time.perf_counter()
    with pytest.raises(ExtractionError, match=r"over the 200,000-tag limit"):
        extract(page.encode())
    assert time.perf_counter() - started < 3


def test_a_flood_of_attributes_spread_over_many_elements_is_refused():
    element = "<i " + " ".join(f"d{i}" for i in range(100)) + ">x</i>"
    page = article_html([STORY + element * (MAX_PAGE_ATTRIBUTES // 100 + 10)])

    with pytest.raises(ExtractionError, match=r"attributes, over the 400,000-attribute limit"):
        bound_markup(page)


@pytest.mark.parametrize("path", sorted(PAGES.glob("*.html.gz")), ids=lambda path: path.name)
def test_real_pages_pass_the_bounds_unchanged(path):
    page = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")

    bounded = bound_markup(page)

    assert bounded.text is page
    assert bounded.warning is None


def test_a_large_real_looking_page_passes_the_bounds_unchanged():
    page = huge_page().decode()
    assert bound_markup(page).text is page


def test_a_four_megabyte_word_is_not_split_and_costs_little():
    paragraph = "The minister said Iraqi officials met. " + "A" + "b" * 4_000_000 + " was written."

    flags, seconds = _seconds(lambda: flag_glued_words([paragraph]))

    assert flags == []
    assert seconds < 3


def test_glued_words_are_still_flagged():
    paragraphs = ["Officials said Iraqi forces moved north.", "The Iraqiannounced plan was new."]

    flags = flag_glued_words(paragraphs)

    assert [(flag.text, flag.detail["parts"]) for flag in flags] == [
        ("Iraqiannounced", ["Iraqi", "announced"])
    ]


def test_a_megabyte_long_sentence_is_not_compared_and_costs_little():
    words = " ".join(f"w{i}x" for i in range(200_000))

    flags, seconds = _seconds(lambda: flag_repeated_sentences([words, words]))

    assert flags == []
    assert seconds < 3


def test_splitting_a_paragraph_of_many_sentences_takes_linear_time():
    # Copying the rest of the paragraph at every full stop made this minutes long.
    paragraph = "The minister met the envoy. " * 50_000

    sentences, seconds = _seconds(lambda: split_sentences(paragraph))

    assert len(sentences) == 50_000
    assert seconds < 10


def test_repeated_sentences_are_still_flagged():
    sentence = "The minister said the budget would be presented to parliament next month after talks."

    flags = flag_repeated_sentences([sentence, "Other news followed.", sentence])

    assert len(flags) == 1
    assert flags[0].detail["first_paragraph"] == 1 and flags[0].detail["again_paragraph"] == 3


def test_a_stray_quote_in_an_attribute_name_swallows_no_markup():
    # Seen on a real page: `style="" );"` — the quote after ");" belongs to an attribute name, as
    # browsers read it, and opens no value that would run on to the next quote of the page.
    flood = " ".join(f"a{n}" for n in range(300))
    page = (
        '<html><body><section class="hub" style="" );" role="banner"><h1>Pets</h1></section>'
        f'<p class="x">Keep your pet safe.</p><div {flood}>flood</div><p title="ok">After.</p></body></html>'
    )

    bounded = bound_markup(page)

    assert bounded.elements_cut == 1  # the flood alone is cut
    assert '<p class="x">Keep your pet safe.</p>' in bounded.text
    assert '<p title="ok">After.</p>' in bounded.text
