"""The extraction pipeline: input checks, decode, read the page, clean up, flag."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from .article_blocks import article_blocks, article_images, with_images
from .blocks import HEADING_KINDS, PARAGRAPH, TABLE_ROW, Block
from .budget import DEFAULT_SECONDS, Budget
from .byline import take_credit_line
from .candidates import METHOD_FUSION, METHOD_TRAFILATURA, read_page
from .cleanup import (
    drop_closing_headings,
    drop_duplicates,
    drop_furniture,
    drop_stamps,
    is_counter,
    site_furniture_keys,
    take_view_counts,
)
from .copies import drop_copies
from .dateline import parse_dateline
from .dates import published_from_dateline
from .decode import decode
from .glued import flag_glued_words
from .html import body_blocks, link_share, parse_html
from .links import related_links
from .markup import bound_markup
from .metadata import PageMetadata, page_metadata
from .normalize import light_form, phrase_key, word_count
from .repeats import flag_repeated_sentences
from .rules import error_page_rules
from .sanitize import render_blocks
from .segment import Segmentation
from .sniff import HTML, clean_characters, content_kind, refuse_binary
from .story import Shape, body_blocks_of, page_shape
from .teasers import drop_teasers
from .text import text_blocks
from .text_page import text_layout
from .types import (
    PRECISION_UNKNOWN,
    Dateline,
    ExtractedArticle,
    ExtractionError,
    FoundLink,
    NoArticleError,
)

logger = logging.getLogger(__name__)

MAX_INPUT_BYTES = 5 * 1024 * 1024
# An HTML page whose main text is mostly links is an index or home page, unless it holds a
# story (see story.py).
MAX_LINK_SHARE = 0.5
# Error and challenge pages carry little text; a real article titled "Error" does not.
ERROR_PAGE_MAX_WORDS = 80
# Paragraphs, lines or table rows one page may hold: each costs cleanup a fraction of a millisecond
# (furniture rules, counters, sentences), so 180,000 numbered lines cost a minute. The longest
# stories hold a few hundred; the blocks past the limit are left out, with a warning.
MAX_BLOCKS = 20_000
MIN_HTML_WORDS = 10
# The page's stated article body (JSON-LD articleBody) this many times as long as the text
# the page shows, and this many words longer, says the page shows a preview.
PREVIEW_STATED_TIMES = 2
PREVIEW_MISSING_WORDS = 100
# How far from the article's first and last blocks a counter line is looked for: agency pages
# put "Read 87 times" between the headline and the story, with the date and a print button.
COUNTER_REACH = 6
METHOD_TEXT = "text"


@dataclass
class _Page:
    """A page read into blocks, before cleanup."""

    headline: str
    blocks: list[Block]
    method: str
    metadata: PageMetadata = field(default_factory=PageMetadata)
    links: list[FoundLink] = field(default_factory=list)
    # Pictures among the article's text, shown in body_html only (see article_blocks.with_images).
    images: list[Block] = field(default_factory=list)
    # Blocks the reading already left out of the article (a text page's header and footer).
    removed: list[Block] = field(default_factory=list)
    # Counter lines just around the article's blocks ("Read 87 times" under the headline), read
    # for the view count with the article's own; positioned before or after all of its blocks.
    counters: list[Block] = field(default_factory=list)
    # A plain-text page: the text pages' furniture rules apply, the run of short lines after
    # its story goes whole once it holds furniture, and its paragraphs stay as printed.
    text: bool = False


def extract(
    data: bytes | str,
    *,
    content_type: str = "",
    source: str = "",
    reference_date: dt.date | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
    site_furniture: Sequence[str] = (),
    time_budget: float = DEFAULT_SECONDS,
) -> ExtractedArticle:
    """The article in a raw page (bytes as received, or text).

    Raises NoArticleError when the page holds no article and ExtractionError, with a
    message meant for editors, for anything else that makes it unreadable.
    ``site_furniture`` are lines the page's site is known to repeat on its pages (numbers
    stand for any number); cleanup removes them like its built-in furniture rules.
    ``time_budget`` is the seconds one page may cost (see budget.py): when it runs out,
    the checks that refine the main text are skipped, or the page fails with a clear
    error if even the main text could not be read in time.
    """
    budget = Budget(time_budget)
    try:
        site_keys = site_furniture_keys(site_furniture)
        return _extract(data, content_type, source, reference_date, max_bytes, site_keys, budget)
    except ExtractionError:
        raise
    except RecursionError as exc:
        raise ExtractionError("The page is nested too deeply to be read.") from exc
    except Exception as exc:
        # A bad page must end as a readable error, never as a crashed worker; the
        # traceback is logged because this may also be a bug of ours.
        logger.warning("extraction of %r failed unexpectedly", source, exc_info=True)
        raise ExtractionError(f"The page could not be read ({type(exc).__name__}: {exc}).") from exc


def _extract(
    data: bytes | str,
    content_type: str,
    source: str,
    reference_date: dt.date | None,
    max_bytes: int,
    site_keys: frozenset[str] = frozenset(),
    budget: Budget | None = None,
) -> ExtractedArticle:
    budget = budget or Budget()
    warnings: list[str] = []
    encoding = None
    if isinstance(data, bytearray | memoryview):
        data = bytes(data)
    if isinstance(data, bytes):
        _refuse_size(len(data), max_bytes, "bytes")
        if not data.strip():
            raise ExtractionError("The input is empty.")
        refuse_binary(data, content_type)
        decoded = decode(data, content_type)
        text, encoding = decoded.text, decoded.encoding
        warnings.extend(decoded.warnings)
    elif isinstance(data, str):
        _refuse_size(len(data), max_bytes, "characters")
        text = data
    else:
        raise ExtractionError(f"Expected the page as bytes or text, not {type(data).__name__}.")
    text = clean_characters(text)
    if not text.strip():
        raise ExtractionError("The input is empty.")

    if content_kind(text, content_type) == HTML:
        page = _read_html(text, source, budget, warnings)
        _bounded(page.blocks, warnings)
    else:
        page = _read_text(text, site_keys, warnings)
    article = _clean(page, reference_date, warnings, site_keys)
    article.encoding = encoding
    return article


def _refuse_size(size: int, limit: int, unit: str) -> None:
    if size > limit:
        raise ExtractionError(f"The input is {size:,} {unit}, over the {limit:,}-{unit.rstrip('s')} limit.")


def _read_text(text: str, site_keys: frozenset[str], warnings: list[str]) -> _Page:
    """The headline and the story's blocks of a plain-text page (see text_page.py).

    The site's lines above and below the story are removed here; its counter lines stay
    among the blocks, for cleanup to count and remove wherever they stand.
    """
    blocks = _bounded(text_blocks(text), warnings)
    layout = text_layout(blocks, site_keys)
    if layout is None:
        raise NoArticleError("The text holds nothing but site furniture.")
    kept, removed = [], []
    for index, block in enumerate(blocks):
        if layout.in_story(index) or is_counter(block) is not None:
            kept.append(block)
        elif index != layout.headline:
            removed.append(block)
    credit = layout.credit
    metadata = PageMetadata(credit=credit.credit, agency=credit.agency) if credit else PageMetadata()
    return _Page(
        headline=blocks[layout.headline].text,
        blocks=kept,
        method=METHOD_TEXT,
        metadata=metadata,
        removed=removed,
        text=True,
    )


def _bounded(blocks: list[Block], warnings: list[str]) -> list[Block]:
    if len(blocks) > MAX_BLOCKS:
        warnings.append(
            f"The page holds {len(blocks):,} paragraphs, lines or table rows; only the first "
            f"{MAX_BLOCKS:,} were read (the limit on the work one page may cost)."
        )
        del blocks[MAX_BLOCKS:]
    return blocks


def _read_html(text: str, source: str, budget: Budget, warnings: list[str]) -> _Page:
    bounded = bound_markup(text)
    if bounded.warning:
        warnings.append(bounded.warning)
    tree = parse_html(bounded.text)
    source_url = source if source.startswith(("http://", "https://")) else None
    reading = read_page(tree, source_url, budget)
    document = reading.document
    metadata = page_metadata(tree, document, source_url, reading.jsonld)
    base_url = metadata.canonical_url or source_url
    choice = reading.choice
    images: list[Block] = []
    counters: list[Block] = []
    if choice is not None and choice.chosen:
        blocks, method = article_blocks(reading.segmentation, choice.chosen, base_url), METHOD_FUSION
        images = article_images(reading.segmentation, choice.chosen, base_url)
        links = choice.taken_link_share
        counters = _counters_around(reading.segmentation, choice.chosen)
    elif document is None:
        raise NoArticleError("No article text was found on the page.")
    else:
        blocks, method = body_blocks(document.body, base_url), METHOD_TRAFILATURA
        links = link_share(tree, " ".join(block.text for block in blocks))
        if choice is None:
            warnings.append(
                "The page ran out of its time budget; the body is trafilatura's reading, unchecked."
            )
    words = sum(word_count(block.text) for block in blocks)
    if words <= ERROR_PAGE_MAX_WORDS and _is_error_page(metadata.headline):
        raise NoArticleError(f"The page is an error or access page ({metadata.headline!r}), not an article.")
    shape = None
    if reading.segmentation is not None:
        in_body = body_blocks_of(reading.segmentation, choice.chosen if choice else None, blocks)
        shape = page_shape(reading.segmentation, in_body)
    _check_index_page(shape, links, metadata.says_article, warnings)
    _check_preview(words, reading.stated_body, warnings)
    if words < MIN_HTML_WORDS:
        raise NoArticleError(f"The page holds only {words} words of text: too little for an article.")
    headline = metadata.headline or _headline_from_blocks(blocks)
    return _Page(
        headline=headline,
        blocks=blocks,
        method=method,
        metadata=metadata,
        links=related_links(tree, base_url, metadata.canonical_url),
        images=images,
        counters=counters,
    )


def _counters_around(segmentation: Segmentation, chosen: list[int]) -> list[Block]:
    """The counter lines within COUNTER_REACH text blocks of the chosen ones, outside them.

    Those before the article are placed before all of its blocks, those after it after them.
    """
    texts = segmentation.blocks
    first, last = chosen[0], chosen[-1]
    around = [(index, -1) for index in range(max(0, first - COUNTER_REACH), first)]
    around += [(index, len(texts)) for index in range(last + 1, min(len(texts), last + 1 + COUNTER_REACH))]
    lines = (Block(texts[index].text, position=position) for index, position in around)
    return [line for line in lines if is_counter(line) is not None]


def _check_index_page(shape: Shape | None, links: float, says_article: bool, warnings: list[str]) -> None:
    """Refuse an index or home page; keep, with a warning, a page that only looks like one.

    A page whose main text is mostly links, or whose prose is teasers for other stories,
    is refused only when it holds no story (no paragraphs of prose in a row) and does not
    say it is an article. In doubt the text is kept and an editor is told why.
    """
    linked = links > MAX_LINK_SHARE
    if shape is not None and shape.is_story:
        if linked:
            warnings.append(
                f"Most of the page's main text is links, as on an index page; it was kept because it holds "
                f"{shape.story_run} paragraphs of story in a row. Check that it is an article."
            )
        return
    teasers = shape is not None and shape.is_teaser_list
    if not (linked or teasers):
        return
    if linked:
        reason = "The page is mostly links: an index or home page"
    else:
        reason = "The page is a list of stories, a headline and a line of each: an index page"
    if says_article:
        warnings.append(f"{reason}, though it says it is an article. Check that it is one.")
        return
    raise NoArticleError(f"{reason}, not an article.")


def _check_preview(words: int, stated_body: str, warnings: list[str]) -> None:
    """Warn when the page shows much less of the story than its metadata states.

    A subscriber story shows its opening paragraphs above a paywall while its JSON-LD
    ``articleBody`` holds the whole text; so does a page cut into "read more" parts. The
    body is what the page shows; an editor decides whether that is the whole story.
    """
    stated = word_count(stated_body)
    if stated >= PREVIEW_STATED_TIMES * words and stated - words >= PREVIEW_MISSING_WORDS:
        warnings.append(
            f"The page shows {words:,} words of the {stated:,} its metadata gives as the article's text: "
            "it may be a preview (a paywall, a page cut into parts). Check that the story is whole."
        )


def _is_error_page(headline: str) -> bool:
    return bool(headline) and error_page_rules().match(phrase_key(headline), light_form(headline))


def _headline_from_blocks(blocks: list[Block]) -> str:
    # Without a title, an opening heading is the best headline the page offers.
    if blocks and blocks[0].kind != PARAGRAPH and word_count(blocks[0].text) <= 30:
        return blocks[0].text
    return ""


def _clean(
    page: _Page, reference_date: dt.date | None, warnings: list[str], site_keys: frozenset[str] = frozenset()
) -> ExtractedArticle:
    counters, counts = take_view_counts(
        sorted([*page.blocks, *page.counters], key=lambda block: block.position)
    )
    furniture = drop_furniture(counters.kept, site_keys, text_page=page.text)
    teasers = drop_teasers(furniture.kept)
    copies = drop_copies(teasers.kept, page.headline)
    duplicates = drop_duplicates(copies.kept, page.headline)
    stamps = drop_stamps(duplicates.kept)
    headings = drop_closing_headings(stamps.kept)
    blocks = headings.kept
    # Each step records what it took; editors read the removals in page order.
    steps = (counters, furniture, teasers, copies, duplicates, stamps, headings)
    taken = [*page.removed, *(block for step in steps for block in step.removed)]
    removed = sorted(taken, key=lambda block: block.position)
    if len(set(counts)) > 1:
        warnings.append(
            f"The page shows different view counts ({', '.join(map(str, counts))}); the first was kept."
        )

    # Looked for once furniture is gone, so a share bar above the story cannot hide it.
    dateline, agency = _take_dateline(blocks, warnings)
    # A closing "(Reuters)" or "... said. — AFP" credits the story as a dateline does;
    # the page's metadata credits it when the text does not.
    last = blocks[-1] if blocks else None
    closing = take_credit_line(blocks, trim=not page.text)
    if closing is not None and closing.line and last is not None:
        # A closing credit stood last among the kept blocks: it goes in its place among the removals.
        removed.append(last.with_text(closing.line))
    removed.sort(key=lambda block: block.position)
    meta = page.metadata
    if agency is not None:
        credit = agency
    elif closing is not None:
        agency, credit = closing.agency, closing.credit
    else:
        agency, credit = meta.agency, meta.credit
    dateline = dateline or meta.dateline
    if not blocks:
        # A page kept in doubt as an index page says so when nothing of a story is left.
        doubts = [warning for warning in warnings if "index page" in warning]
        raise NoArticleError(
            " ".join(["The page holds no article text once site furniture is removed.", *doubts])
        )
    if not page.headline:
        warnings.append("The page has no headline.")

    published, precision = page.metadata.published, page.metadata.published_precision
    if published is None:
        published, precision = published_from_dateline(dateline, reference_date)
        if dateline and dateline.month and dateline.day and published is None and reference_date is not None:
            warnings.append(f"The dateline {dateline.text!r} names no real day.")

    paragraphs = [block.text for block in blocks]
    # Table rows repeat by design (a header row per section); only prose is compared.
    prose = ["" if block.kind == TABLE_ROW else block.text for block in blocks]
    return ExtractedArticle(
        headline=page.headline,
        paragraphs=paragraphs,
        body_html=render_blocks(with_images(blocks, page.images)),
        dateline=dateline,
        agency=agency,
        published=published,
        published_precision=precision if published is not None else PRECISION_UNKNOWN,
        view_count=counts[0] if counts else None,
        removed=[block.text for block in removed],
        flagged=flag_repeated_sentences(prose) + flag_glued_words(prose),
        links=page.links,
        warnings=warnings,
        authors=meta.authors,
        language=meta.language,
        canonical_url=meta.canonical_url,
        method=page.method,
        updated=meta.updated,
        lead_image=meta.lead_image,
        description=meta.description,
        section=meta.section,
        tags=meta.tags,
        credit=credit,
    )


def _take_dateline(blocks: list[Block], warnings: list[str]) -> tuple[Dateline | None, str | None]:
    """Split the dateline off the first paragraph (in place); the dateline and its agency.

    Headings before it (a standfirst, a subtitle) are passed over; nothing else is.
    """
    index = next((i for i, block in enumerate(blocks) if block.kind not in HEADING_KINDS), None)
    if index is None or blocks[index].kind != PARAGRAPH:
        return None, None
    first = blocks[index]
    match = parse_dateline(first.text)
    if match is None:
        return None, None
    if match.agency and not match.agency_known:
        warnings.append(f"The dateline credits {match.agency!r}, which is not in the agency list.")
    if not match.rest:
        del blocks[index]
    else:
        rest = first.with_text(match.rest)
        prefix = escape(match.dateline.text)
        if first.html and first.html.startswith(prefix):
            # Keep the paragraph's links: only the dateline's own text goes.
            rest.html = first.html[len(prefix) :].lstrip()
        blocks[index] = rest
    return match.dateline, match.agency
