"""Whole news pages that used to go wrong as a whole: refused, doubled, full of teasers, or only furniture.

The pages are in pages/written/ (see its README.md); expected.json says what each must
come out as.
"""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from articles.extraction import NoArticleError, extract

from .conftest import fold

PAGES = Path(__file__).parent / "pages" / "written"
EXPECTED = {
    name: case
    for name, case in json.loads((PAGES / "expected.json").read_text(encoding="utf-8")).items()
    if not name.startswith("_")
}
STORIES = sorted(name for name, case in EXPECTED.items() if not case.get("refused"))
REFUSED = sorted(name for name, case in EXPECTED.items() if case.get("refused"))
# The longest passage that may come out twice: a story quotes a phrase again, never 12 words.
REPEAT_WORDS = 12
_WORD = re.compile(r"\w+")


def _extract(name: str, page: bytes | None = None):
    return extract(page or (PAGES / name).read_bytes(), content_type="text/html")


def test_every_page_has_an_expectation_and_every_expectation_a_page():
    assert sorted(path.name for path in PAGES.glob("*.html")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", STORIES)
def test_the_body_is_the_story_paragraph_by_paragraph(name):
    article = _extract(name)
    assert [fold(p) for p in article.paragraphs] == [fold(p) for p in EXPECTED[name]["story"]]


@pytest.mark.parametrize("name", STORIES)
def test_furniture_teasers_and_copies_stay_out_of_the_body(name):
    paragraphs = {fold(p) for p in _extract(name).paragraphs}
    assert not paragraphs & {fold(line) for line in EXPECTED[name]["absent"]}


@pytest.mark.parametrize("name", STORIES)
def test_no_passage_of_twelve_words_comes_out_twice(name):
    words = _WORD.findall(_extract(name).body.casefold())
    passages = Counter(tuple(words[i : i + REPEAT_WORDS]) for i in range(len(words) - REPEAT_WORDS + 1))
    assert [" ".join(passage) for passage, count in passages.items() if count > 1] == []


@pytest.mark.parametrize("name", STORIES)
def test_an_editor_is_warned_exactly_when_the_page_looked_like_an_index(name):
    warned = any("index page" in warning for warning in _extract(name).warnings)
    assert warned == EXPECTED[name]["doubted"]


@pytest.mark.parametrize("name", REFUSED)
def test_index_pages_without_a_story_are_refused(name):
    with pytest.raises(NoArticleError, match="index"):
        _extract(name)


def test_an_index_page_that_says_it_is_an_article_is_read_then_refused_when_only_teasers_remain():
    # Its claim earns it a reading instead of a refusal at sight; its teasers are still not a story.
    page = (
        (PAGES / "index-tag-archive.html")
        .read_bytes()
        .replace(
            b'<meta property="og:type" content="website">', b'<meta property="og:type" content="article">'
        )
    )
    with pytest.raises(NoArticleError, match=r"no article text .* a list of stories.* says it is an article"):
        _extract("index-tag-archive.html", page)


def test_a_story_page_with_its_links_stripped_is_kept_without_a_warning():
    # The same explainer without its links: nothing about it looks like an index page.
    page = re.sub(rb"</?a\b[^>]*>", b"", (PAGES / "story-link-heavy-explainer.html").read_bytes())
    article = _extract("story-link-heavy-explainer.html", page)
    assert [fold(p) for p in article.paragraphs] == [
        fold(p) for p in EXPECTED["story-link-heavy-explainer.html"]["story"]
    ]
    assert not any("index page" in warning for warning in article.warnings)


def test_an_agency_page_laid_out_in_tables_gives_its_dateline_agency_and_view_count():
    # Its counter line stands between the headline and the story, outside the story's cell.
    article = _extract("story-agency-table-layout.html")
    assert (article.dateline.text, article.agency, article.view_count) == (
        "KUWAIT, Oct 5 (GNA) --",
        "GNA",
        87,
    )
    assert "Read 87 times" in article.removed


@pytest.mark.parametrize("name", STORIES)
def test_an_editor_is_warned_of_a_preview_exactly_when_the_page_shows_part_of_its_stated_story(name):
    # The subscriber story shows 2 of its 8 paragraphs; its JSON-LD articleBody holds all 8.
    previews = [warning for warning in _extract(name).warnings if "preview" in warning]
    if name == "short-paywall-preview.html":
        assert previews == [
            "The page shows 95 words of the 403 its metadata gives as the article's text: it may be a "
            "preview (a paywall, a page cut into parts). Check that the story is whole."
        ]
    else:
        assert previews == []
