"""The readings of a page that the article is chosen from: trafilatura's, the page's own, the text blocks."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from lxml import html as lxml_html

from .budget import Budget
from .fusion import Choice, choose_blocks
from .html import main_content
from .jsonld import JsonLd, clean_text, people, read_jsonld
from .normalize import fold
from .segment import Segmentation, segment
from .story import PROSE, block_kind
from .types import NoArticleError

METHOD_TRAFILATURA = "trafilatura"
METHOD_FUSION = "fusion"
# Trafilatura is run in its fast mode first; a reading shorter than this (about 250
# words) is where its readability and jusText fallbacks find what its rules missed, so
# then it runs again with them.
SHORT_READING_CHARS = 1500
# A fast reading holding less than this share of the words of the page's prose paragraphs
# read one section of a story split over several elements: trafilatura runs again with its
# fallbacks, which compare its reading with readability's and jusText's of the whole page.
PARTIAL_READING_SHARE = 0.25
# A short reading, fallbacks included, that holds less than PARTIAL_READING_SHARE of the page's
# prose while the densest paragraphs (see densest_paragraphs) hold this many times its words
# missed the story: its rules dropped it with an element they took for furniture (a class
# meant for something else). The densest paragraphs are then read beside it.
DENSEST_LONGER = 2.0
# JSON-LD article bodies shorter than this are teasers, not the article.
MIN_STATED_BODY_CHARS = 200


@dataclass
class Reading:
    """What the page yields: trafilatura's document and text, the page's text blocks and JSON-LD, the chosen blocks."""

    document: object
    taken_text: str
    segmentation: Segmentation | None = None
    stated_body: str = ""
    jsonld: JsonLd | None = None
    authors: list[str] = field(default_factory=list)
    choice: Choice | None = None


def read_page(tree: lxml_html.HtmlElement, url: str | None, budget: Budget | None = None) -> Reading:
    """Trafilatura's reading of the page, then, budget allowing, the page's text blocks and the choice among them."""
    budget = budget or Budget()
    try:
        document, text = trafilatura_reading(tree, url, budget)
    except NoArticleError:
        # Its rules can drop the whole story (a theme that leaves a pop-up open around it);
        # the page's own paragraphs may still hold one.
        document, text = None, ""
    reading = Reading(document=document, taken_text=text)
    if budget.spent():
        # Out of time: trafilatura's reading stands without being checked against the others.
        if document is None:
            raise NoArticleError("No article text was found on the page.")
        return reading
    reading.segmentation = segment(tree)
    if document is not None and len(text) >= SHORT_READING_CHARS and not budget.spent():
        prose = prose_words(reading.segmentation)
        if len(text.split()) < PARTIAL_READING_SHARE * prose:
            full = _trafilatura(tree, url, fast=False)
            if full is not None:
                reading.document = document = full
                reading.taken_text = text = " ".join(full.body.itertext())
    readings = [text]
    if document is None:
        reading.taken_text = densest_paragraphs(reading.segmentation)
        if not reading.taken_text:
            raise NoArticleError("No article text was found on the page.")
        readings = [reading.taken_text]
    elif len(text) < SHORT_READING_CHARS:
        words = len(text.split())
        if words < PARTIAL_READING_SHARE * prose_words(reading.segmentation):
            densest = densest_paragraphs(reading.segmentation)
            if len(densest.split()) >= DENSEST_LONGER * words:
                readings.append(densest)
    reading.jsonld = jsonld = read_jsonld(tree)
    reading.stated_body = stated_article_body(jsonld)
    reading.authors = stated_authors(jsonld, getattr(document, "author", None) or "")
    reading.choice = choose_blocks(reading.segmentation, readings, reading.stated_body, reading.authors)
    return reading


def prose_words(segmentation: Segmentation) -> int:
    """The words of the page's paragraphs of prose (story.block_kind), wherever they stand."""
    return sum(len(block.text.split()) for block in segmentation.blocks if block_kind(block) == PROSE)


def densest_paragraphs(segmentation: Segmentation) -> str:
    """The text of the element whose own paragraphs hold the most prose ('' if none).

    Each paragraph of prose (story.block_kind) counts its words for the element around it,
    as readability's paragraphs vote for theirs.
    """
    blocks, containers = segmentation.blocks, segmentation.containers
    weights: Counter[int] = Counter()
    for block in blocks:
        if block_kind(block) == PROSE:
            weights[containers[block.container].parent] += len(block.text.split())
    weights.pop(-1, None)
    if not weights:
        return ""
    best = containers[weights.most_common(1)[0][0]]
    return " ".join(block.text for block in blocks[best.start : best.end])


def trafilatura_reading(tree: lxml_html.HtmlElement, url: str | None, budget: Budget) -> tuple[object, str]:
    """Trafilatura's document for the page and its text; fast first, with fallbacks when that is short."""
    budget.check("reading the main text")
    document = _trafilatura(tree, url, fast=True)
    text = " ".join(document.body.itertext()) if document is not None else ""
    if len(text) < SHORT_READING_CHARS and not budget.spent():
        document = _trafilatura(tree, url, fast=False) or document
        text = " ".join(document.body.itertext()) if document is not None else ""
    if document is None:
        raise NoArticleError("No article text was found on the page.")
    return document, text


def _trafilatura(tree: lxml_html.HtmlElement, url: str | None, fast: bool):
    # The page's metadata is read by metadata.py from the page itself; trafilatura's
    # metadata pass would cost as much again as its fast text extraction.
    try:
        return main_content(tree, url, fast=fast, with_metadata=False)
    except NoArticleError:
        return None


def stated_article_body(jsonld: JsonLd) -> str:
    """The longest schema.org ``articleBody`` the page's JSON-LD states, as plain text ('' if none)."""
    best = ""
    for item in jsonld.objects:
        body = item.get("articleBody")
        if isinstance(body, str) and len(body) > len(best):
            best = body
    best = clean_text(best) if best else ""
    return best if len(best) >= MIN_STATED_BODY_CHARS else ""


def stated_authors(jsonld: JsonLd, found: str = "") -> list[str]:
    """Names of the people the page says wrote it: its JSON-LD authors, and ``found`` (";"-separated).

    Only names of two words or more: a bio that opens with one is about the author.
    """
    names = {fold(name) for name in found.split(";")}
    for item in jsonld.objects:
        if "author" in item:
            names.update(name for name, _ in people(item["author"], jsonld))
    return sorted(name for name in names if len(name.split()) >= 2 and len(name) <= 60)
