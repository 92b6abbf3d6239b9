"""The page's visible text cut into blocks, each tied to the elements around it.

One walk over the parsed tree, which it does not change. Text inside a block
element (p, li, h2, td, div, ...) and outside any block element nested in it is one
:class:`TextBlock`; every block element is a :class:`Container` that knows which
text blocks it holds (a contiguous range, since the walk is in document order), so
the text, link text and class markers of any subtree are sums over a range.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .markers import page_markers
from .normalize import fold

# Elements that start a new line of text in a browser.
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
        "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "menu", "nav", "ol", "p",
        "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
# Elements whose text a reader never sees as prose. A <button> is not one of them: broken
# pages leave one open and the browser shows the whole article inside it.
SKIPPED_TAGS = frozenset(
    {
        "audio", "canvas", "embed", "head", "iframe", "input", "map", "math", "noscript", "object",
        "option", "script", "select", "style", "svg", "template", "textarea", "title", "video",
    }
)  # fmt: skip
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
CELL_TAGS = frozenset({"td", "th"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Lazy-loading pages keep the real address in a data attribute and a placeholder in src.
_IMAGE_SOURCES = ("data-src", "data-lazy-src", "data-original", "src")


@dataclass(slots=True, eq=False)
class Container:
    """A block element: its text blocks are ``blocks[start:end]`` of the segmentation."""

    element: etree._Element
    tag: str
    parent: int
    depth: int
    start: int
    end: int = 0
    # Bits of markers.page_markers(): what the element's class, id, role and tag say it is.
    marks: int = 0


@dataclass(slots=True, eq=False)
class TextBlock:
    """A run of visible text between two block boundaries.

    ``container`` is the index of the innermost block element around it. ``links``
    holds the text pieces and the targets of the links among them, only when it has
    links. ``hidden`` says the page hides it; some pages hide the article itself
    until a script shows it, so this is a hint, not a verdict. ``quote`` and ``pre``
    say whether it lies inside a blockquote or preformatted text.
    """

    text: str
    container: int
    link_chars: int = 0
    hidden: bool = False
    quote: bool = False
    pre: bool = False
    links: list[tuple[str, str | None]] | None = None


@dataclass(slots=True, eq=False)
class Picture:
    """An image in the page: it stands before text block ``before``, inside ``container``."""

    src: str
    alt: str
    before: int
    container: int
    width: str | None = None
    height: str | None = None


@dataclass(slots=True, eq=False)
class Segmentation:
    blocks: list[TextBlock] = field(default_factory=list)
    containers: list[Container] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)

    def ancestor(self, index: int, tag: str) -> int | None:
        """The nearest container with ``tag`` from container ``index`` up (itself included), or None."""
        containers = self.containers
        while index >= 0:
            if containers[index].tag == tag:
                return index
            index = containers[index].parent
        return None

    def common_ancestor(self, first: int, second: int) -> int:
        """The innermost container holding containers ``first`` and ``second`` (either included)."""
        containers = self.containers
        above = set()
        while first >= 0:
            above.add(first)
            first = containers[first].parent
        while second not in above:
            second = containers[second].parent
        return second


def is_hidden(element: etree._Element) -> bool:
    """Whether the page hides ``element`` from readers outright."""
    get = element.get
    if get("hidden") is not None or get("aria-hidden") == "true":
        return True
    style = get("style")
    return bool(style) and _HIDDEN_STYLE.search(style) is not None


def _clean_text(raw: str) -> str:
    """``normalize.fold`` of ``raw``, with a quicker path for plain ASCII."""
    return " ".join(raw.split()) if raw.isascii() else fold(raw)


def segment(tree: etree._Element) -> Segmentation:
    """The visible text blocks of ``tree`` in document order, and the block elements around them."""
    markers = page_markers()
    tag_marks = markers.tags
    block_tags = BLOCK_TAGS | {tree.tag}
    result = Segmentation()
    blocks, containers, pictures = result.blocks, result.containers, result.pictures
    stack: list[int] = []
    # The text pieces of the block being read, and the link target of each (None outside links,
    # "" for a link without a usable target, whose text is still link text).
    parts: list[str] = []
    hrefs: list[str | None] = []
    hiding: list[etree._Element] = []
    anchors: list[str] = []
    skipped = None
    quotes = pres = 0

    def flush() -> None:
        text = _clean_text("".join(parts))
        if text:
            link_chars = 0
            links = None
            if any(href is not None for href in hrefs):
                pieces = zip(parts, hrefs, strict=True)
                link_chars = min(
                    len(text), sum(len(part.strip()) for part, href in pieces if href is not None)
                )
                if any(hrefs):
                    links = list(zip(parts, hrefs, strict=True))
            blocks.append(TextBlock(text, stack[-1], link_chars, bool(hiding), quotes > 0, pres > 0, links))
        parts.clear()
        hrefs.clear()

    walker = etree.iterwalk(tree, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if event == "start":
            if tag.__class__ is not str or tag in SKIPPED_TAGS:
                skipped = element
                walker.skip_subtree()
                continue
            attributes = element.keys()
            if (
                attributes
                and ("style" in attributes or "hidden" in attributes or "aria-hidden" in attributes)
                and is_hidden(element)
            ):
                hiding.append(element)
            if tag in block_tags:
                if parts:
                    flush()
                parent = stack[-1] if stack else -1
                stack.append(len(containers))
                containers.append(
                    Container(
                        element,
                        tag,
                        parent,
                        containers[parent].depth + 1 if parent >= 0 else 0,
                        len(blocks),
                        marks=markers.marks(element, tag) if attributes else tag_marks.get(tag, 0),
                    )
                )
                if tag == "blockquote":
                    quotes += 1
                elif tag == "pre":
                    pres += 1
            elif tag == "a":
                anchors.append(element.get("href") or "")
            elif tag == "br":
                if parts:
                    flush()
            elif tag == "img":
                src = _image_source(element)
                if src and stack:
                    get = element.get
                    pictures.append(
                        Picture(src, get("alt") or "", len(blocks), stack[-1], get("width"), get("height"))
                    )
            text = element.text
        else:
            if element is skipped:
                skipped = None
            elif tag in block_tags:
                if parts:
                    flush()
                containers[stack.pop()].end = len(blocks)
                if tag == "blockquote":
                    quotes -= 1
                elif tag == "pre":
                    pres -= 1
            elif tag == "a":
                anchors.pop()
            if hiding and hiding[-1] is element:
                hiding.pop()
            if not stack:
                break
            text = element.tail
        if text and (parts or not text.isspace()):
            parts.append(text)
            hrefs.append(anchors[-1] if anchors else None)
    if parts and stack:
        flush()
    return result


def _image_source(element: etree._Element) -> str | None:
    for name in _IMAGE_SOURCES:
        value = (element.get(name) or "").strip()
        if value and not value.startswith("data:"):
            return value
    return None
