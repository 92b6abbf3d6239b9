"""HTML pages: parsed with a depth guard, main content found by trafilatura, turned into blocks."""

from __future__ import annotations

import itertools
import re
from html import escape
from urllib.parse import urljoin, urlsplit

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from .blocks import LIST_ITEM, PARAGRAPH, QUOTE, TABLE_ROW, Block
from .normalize import fold
from .streaming import streamed_calls, swap_streamed, without_fallbacks
from .types import ExtractionError, NoArticleError

# libxml2 stops nesting elements at 256 levels and silently drops what lies deeper,
# so a page that reaches this depth cannot be read without losing text.
MAX_DEPTH = 250
# The work of every later stage grows with the number of elements, faster than linearly
# in trafilatura; at this many a page costs about two seconds. News pages have a few
# thousand. Elements that never hold prose are dropped first and do not count.
MAX_ELEMENTS = 50_000
_NEVER_PROSE = ("svg", "math", "style", "noscript", "template", "iframe", "object", "select")
_COUNT_ELEMENTS = etree.XPath("count(//*)")
# Dropped from every page as soon as it is parsed: no stage reads them (trafilatura, the
# text blocks and the metadata all skip them), and every stage would walk them. Scripts
# stay when they carry JSON-LD, which metadata and the stated article body read.
_UNREAD = (*_NEVER_PROSE, "script", "canvas", "embed")
# The fallback text of a social post embedded by its platform's code: a <blockquote> with
# the platform's class, which the platform's script replaces with the post ("View this
# post on Instagram / A post shared by ...", a tweet's text and "— Name (@handle) date").
# It is the post, quoted as a picture is, not the story's text.
_EMBED_CLASSES = frozenset(
    {
        "twitter-tweet", "twitter-video", "instagram-media", "tiktok-embed", "text-post-media",
        "bluesky-embed", "reddit-embed-bq", "reddit-card", "fb-xfbml-parse-ignore",
    }
)  # fmt: skip
# Trafilatura's inline elements (links, highlighting, deletions) and those it leaves out
# of running text (images, page furniture, notes).
_INLINE_TAGS = frozenset({"ref", "hi", "del"})
_SKIPPED_TAGS = frozenset({"graphic", "fw", "note"})
HEADING_LEVELS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}
_LINK_SCHEMES = ("http", "https", "mailto")
# Shorter link texts ("Syria", "said") occur in any text; they say nothing about the page.
_MIN_LINK_CHARS = 20
_HOST = re.compile(r"[\w.-]+|\[[0-9a-f:.]+\]")
# Whether any element lies MAX_DEPTH levels down (the root is level 1), in one pass of libxml2's.
_TOO_DEEP = etree.XPath("boolean(/*" + "/*" * (MAX_DEPTH - 1) + ")")


# Every element is an HtmlElement (text_content, drop_tree, ... as lxml.html gives them),
# chosen in C: lxml.html's own lookup picks form classes for form elements in a Python
# call for each element, which costs a third of a walk over the tree. No stage uses forms.
_ELEMENT_CLASSES = etree.ElementDefaultClassLookup(
    element=lxml_html.HtmlElement,
    comment=lxml_html.HtmlComment,
    pi=lxml_html.HtmlProcessingInstruction,
    entity=lxml_html.HtmlEntity,
)


def parse_html(text: str) -> lxml_html.HtmlElement:
    """The page's element tree; raises ExtractionError for what cannot be parsed whole."""
    parser = lxml_html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, default_doctype=False
    )
    parser.set_element_class_lookup(_ELEMENT_CLASSES)
    calls = streamed_calls(text)
    if calls:
        text = without_fallbacks(text, calls)
    try:
        # Bytes with an explicit encoding, so an XML declaration or <meta charset> in
        # already-decoded text cannot make lxml decode it a second time.
        tree = lxml_html.document_fromstring(text.encode("utf-8"), parser=parser)
    except etree.ParserError as exc:
        raise NoArticleError("The page holds no HTML elements at all.") from exc
    except (etree.LxmlError, ValueError) as exc:
        raise ExtractionError(f"The HTML could not be parsed: {exc}") from exc
    _rejoin_after_end(tree)
    if calls:
        swap_streamed(tree, calls)
    if _TOO_DEEP(tree):
        raise ExtractionError(
            f"The HTML is nested more than {MAX_DEPTH} elements deep; it cannot be read without losing text."
        )
    _drop_unread(tree)
    _unwrap_page_forms(tree)
    _unnest_layout_tables(tree)
    elements = int(_COUNT_ELEMENTS(tree))
    if elements > MAX_ELEMENTS:
        raise ExtractionError(
            f"The HTML has {elements:,} elements, over the {MAX_ELEMENTS:,}-element limit on the work one page may cost."
        )
    return tree


def _rejoin_after_end(tree: lxml_html.HtmlElement) -> None:
    """Move what a page holds after an early ``</html>`` back into its body.

    Some themes close the page after their header template and go on with the article;
    browsers keep reading into the body, but libxml2 starts a second root element that
    no stage would see.
    """
    body = tree.find("body")
    target = body if body is not None else tree
    extra = tree.getnext()
    while extra is not None:
        following = extra.getnext()
        if isinstance(extra.tag, str):
            for child in list(extra):
                if child.tag == "head":
                    continue
                # A second <body> gives its children; anything else moves whole.
                target.extend(list(child) if child.tag == "body" else [child])
        extra = following


def _drop_unread(tree: lxml_html.HtmlElement) -> None:
    for element in list(tree.iter(*_UNREAD, "blockquote")):
        if element.tag == "script" and "ld+json" in (element.get("type") or "").lower():
            continue
        if element.tag == "blockquote" and _EMBED_CLASSES.isdisjoint((element.get("class") or "").split()):
            continue
        if element.getparent() is not None:
            try:
                element.drop_tree()
            except ValueError:
                # Its tail holds characters lxml will not set back as text; leaving the element
                # costs only time, and the stages skip it anyway.
                continue


def _unwrap_page_forms(tree: lxml_html.HtmlElement) -> None:
    """Take the page out of a ``<form>`` that wraps it, keeping everything inside.

    ASP.NET WebForms pages (many agencies' and ministries' sites) put the whole body in one
    ``<form id="aspnetForm">``. To trafilatura a form is a search box or a sign-up, so it
    deletes it, and with it the story; a form that holds most of the page's text is the
    page, not a form.
    """
    page_chars = None
    for form in [form for form in tree.iter("form") if next(form.iterancestors("form"), None) is None]:
        chars = len(form.text_content().strip())
        if not chars:
            continue
        if page_chars is None:
            body = tree.find("body")
            page_chars = len((body if body is not None else tree).text_content().strip())
        if chars * 2 > page_chars:
            form.drop_tag()


_TABLE_PARTS = ("tbody", "thead", "tfoot", "tr", "td", "th")
# A table cell of this many words is a column of the page (a story, a rail), not data.
LAYOUT_CELL_WORDS = 80


def _unnest_layout_tables(tree: lxml_html.HtmlElement) -> None:
    """Turn the tables that lay out a page into plain ``div`` elements.

    Older sites (agencies' among them) build the page from tables inside tables: header,
    menu, story and rail are cells. Read as data tables, their cells come out as one
    table of the whole page, furniture and story alike. A table lays out the page when it
    holds another table or a cell of LAYOUT_CELL_WORDS words or more; a data table's cells
    are short. Its own rows and cells become ``div`` elements; the tables inside it are
    judged on their own.
    """
    for table in [table for table in tree.iter("table") if _lays_out(table)]:
        for part in table.iter(*_TABLE_PARTS):
            if next(part.iterancestors("table"), None) is table:
                part.tag = "div"
        table.tag = "div"


def _lays_out(table: lxml_html.HtmlElement) -> bool:
    if table.find(".//table") is not None:
        return True
    return any(len(cell.text_content().split()) >= LAYOUT_CELL_WORDS for cell in table.iter("td", "th"))


def main_content(
    tree: lxml_html.HtmlElement, url: str | None, *, fast: bool = False, with_metadata: bool = True
) -> trafilatura.settings.Document:
    """Trafilatura's reading of the page: main text as an XML body, and its metadata if asked.

    ``fast`` skips trafilatura's comparison with its readability and jusText fallbacks.
    Raises NoArticleError when it finds no text.
    """
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        fast=fast,
        # The body as XML only: in the default "python" format trafilatura also renders it as
        # plain text (document.text), a walk over the whole body that no stage reads.
        output_format="xml",
        with_metadata=with_metadata,
        include_comments=False,
        include_tables=True,
        include_links=True,
        include_images=False,
        deduplicate=False,
        # Structured dates are read in metadata.py; htmldate's search through the page
        # text (through dateparser) costs more than the rest of the extraction.
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    if document is None or document.body is None or not len(document.body):
        raise NoArticleError("No article text was found on the page.")
    return document


def link_share(tree: lxml_html.HtmlElement, text: str) -> float:
    """How much of the extracted ``text`` is the text of links on the page.

    Index and home pages are lists of links to stories; an article's text is not,
    even when trafilatura falls back to reading the whole page.
    """
    if not text:
        return 0.0
    anchors = {fold(anchor.text_content()) for anchor in tree.iter("a")}
    linked = sum(len(anchor) for anchor in anchors if len(anchor) >= _MIN_LINK_CHARS and anchor in text)
    return linked / len(text)


def body_blocks(body: etree._Element, base_url: str | None = None) -> list[Block]:
    """Blocks of trafilatura's XML body, in reading order."""
    return _Flattener(base_url).run(body)


class _Flattener:
    """Walks trafilatura's body XML (p, head, list/item, quote, table/row/cell, ref, lb)."""

    def __init__(self, base_url: str | None) -> None:
        self.base_url = base_url
        self.blocks: list[Block] = []
        self.groups = itertools.count(1)

    def run(self, body: etree._Element) -> list[Block]:
        self.container(body, PARAGRAPH, 0, False)
        for position, block in enumerate(self.blocks):
            block.position = position
        return self.blocks

    def container(self, element: etree._Element, kind: str, group: int, ordered: bool) -> None:
        """Text of ``element`` as blocks of ``kind``; nested block elements become blocks of their own."""
        segments: list[tuple[str, str | None]] = []

        def flush() -> None:
            self.emit(segments, kind, group, ordered)
            segments.clear()

        if element.text:
            segments.append((element.text, None))
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _INLINE_TAGS:
                segments.append(("".join(child.itertext()), child.get("target") or child.get("href")))
            elif tag == "lb":
                # Old CMSs separate paragraphs with <br><br>: a line break starts a new block.
                flush()
            elif tag and tag not in _SKIPPED_TAGS:
                flush()
                self.child(child, tag, kind, group, ordered)
            if child.tail:
                segments.append((child.tail, None))
        flush()

    def child(self, element: etree._Element, tag: str, kind: str, group: int, ordered: bool) -> None:
        if tag == "head":
            level = HEADING_LEVELS.get((element.get("rend") or "h2").lower(), "h2")
            self.container(element, level, 0, False)
        elif tag == "list":
            self.container(element, LIST_ITEM, next(self.groups), (element.get("rend") or "").lower() == "ol")
        elif tag == "item":
            self.container(element, LIST_ITEM, group if kind == LIST_ITEM else next(self.groups), ordered)
        elif tag == "quote":
            self.container(element, QUOTE, next(self.groups), False)
        elif tag == "table":
            self.table(element)
        elif tag == "p" and kind in (LIST_ITEM, QUOTE):
            self.container(element, kind, group, ordered)
        elif tag in ("p", "code", "pre"):
            self.container(element, PARAGRAPH, 0, False)
        else:
            self.container(element, kind, group, ordered)

    def table(self, element: etree._Element) -> None:
        group = next(self.groups)
        for row in element.iter("row"):
            cells = tuple(fold(" ".join(cell.itertext())) for cell in row.iter("cell"))
            cells = tuple(cell for cell in cells if cell) or (fold(" ".join(row.itertext())),)
            text = " | ".join(cell for cell in cells if cell)
            if text:
                header = any(cell.get("role") == "head" for cell in row.iter("cell"))
                self.blocks.append(Block(text, kind=TABLE_ROW, group=group, cells=cells, header=header))

    def emit(self, segments: list[tuple[str, str | None]], kind: str, group: int, ordered: bool) -> None:
        text = fold("".join(text for text, _ in segments))
        if not text:
            return
        html = None
        if any(href for _, href in segments):
            html = fold("".join(self.inline(text, href) for text, href in segments))
        self.blocks.append(Block(text, kind=kind, html=html, group=group, ordered=ordered))

    def inline(self, text: str, href: str | None) -> str:
        url = absolute_url(href, self.base_url) if href else None
        if not url or not text.strip():
            return escape(text)
        return f'<a href="{escape(url)}">{escape(text)}</a>'


def absolute_url(href: str, base_url: str | None) -> str | None:
    """``href`` made absolute against the page's address; None unless http, https or mailto."""
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    try:
        url = urljoin(base_url, href) if base_url else href
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a malformed host such as "site.comhttps:"
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _LINK_SCHEMES:
        return None
    if scheme != "mailto" and not (
        parts.hostname and _HOST.fullmatch(parts.hostname) and parts.netloc[-1] != ":"
    ):
        return None
    return url
