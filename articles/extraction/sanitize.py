"""Body HTML: blocks rendered to markup, then passed through an allow-list sanitiser.

``sanitize_html`` is the one gate between untrusted markup and a page: extraction
renders ``body_html`` through it, and the templates and the API run stored HTML
through it again when they show it. What passes is the allow-list below: text
structure (paragraphs, headings, lists, quotations, tables), inline emphasis, links
to http, https and mailto addresses (marked ``rel="noopener nofollow"``), and images
with an http or https source on a public host (none on loopback, private or link-local
addresses, or local names such as ``localhost``). Scripts, styles, frames, forms and their content go
whole; event handlers, styles and classes go as attributes; tracking pixels go as
elements (``data/trackers.txt``, and any image 2 pixels wide or high or less).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from html import escape
from urllib.parse import urlsplit

import nh3

from . import addresses
from .blocks import HEADING_KINDS, IMAGE, LIST_ITEM, QUOTE, TABLE_ROW, Block
from .rules import _data_lines

ALLOWED_TAGS = frozenset(
    {
        "p",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "blockquote",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "a",
        "img",
        "figure",
        "figcaption",
        "em",
        "strong",
        "b",
        "i",
        "sub",
        "sup",
        "br",
        "cite",
        "q",
        "code",
        "pre",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
# Removed with everything inside them, not just unwrapped.
CONTENT_REMOVED_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "template",
        "svg",
        "math",
        "form",
        "button",
        "select",
        "textarea",
        "input",
        "canvas",
        "audio",
        "video",
        "head",
        "title",
    }
)
URL_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES = frozenset({"http", "https"})
LINK_REL = "noopener nofollow"
# An image this small in either direction is a tracking pixel or a spacer, not a picture.
MAX_PIXEL_SIZE = 2
_MAX_DIMENSION = 10_000
_NUMBER = re.compile(r"\s*(\d{1,6})(?:px)?\s*")
# nh3's output is well-formed: attribute values are double-quoted with quotes escaped,
# so these patterns read it exactly.
_IMG_TAG = re.compile(r'<img(?:\s+[\w:-]+(?:="[^"]*")?)*\s*/?>')
_ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')
_EMPTY_FIGURE = re.compile(r"<figure>\s*</figure>")
# Reading its own output again settles misnested markup in one pass; more is a guard.
_MAX_PASSES = 4


@dataclass(frozen=True)
class TrackerRules:
    hosts: frozenset[str]
    path: re.Pattern[str] | None

    def match(self, url: str) -> bool:
        try:
            parts = urlsplit(url.strip())
            host = (parts.hostname or "").rstrip(".")
        except ValueError:
            return True
        labels = host.split(".")
        if any(".".join(labels[i:]) in self.hosts for i in range(len(labels))):
            return True
        return self.path is not None and self.path.search(parts.path) is not None


@cache
def tracker_rules() -> TrackerRules:
    hosts: set[str] = set()
    paths: list[str] = []
    for line in _data_lines("trackers.txt"):
        kind, _, value = line.partition(":")
        if kind == "host":
            hosts.add(value.strip().lower())
        elif kind == "path":
            re.compile(value)  # fail on the faulty line, not on the joined pattern
            paths.append(f"(?:{value})")
        else:
            raise ValueError(f"trackers.txt: a rule starts with host: or path:, not {line!r}")
    path = re.compile("|".join(paths), re.IGNORECASE) if paths else None
    return TrackerRules(frozenset(hosts), path)


def is_tracking_image(src: str, width: str | int | None = None, height: str | int | None = None) -> bool:
    """Whether an image is a tracking pixel: tiny, or served by a tracker (``data/trackers.txt``)."""
    for size in (width, height):
        number = _dimension(str(size)) if size is not None else None
        if number is not None and number <= MAX_PIXEL_SIZE:
            return True
    return tracker_rules().match(src)


def image_url_allowed(src: str) -> bool:
    """Whether ``src`` may be shown as an image: an absolute http(s) address, not a tracker, not local.

    Local is a host a reader's browser would look for on its own machine or network: a
    loopback, private or link-local address in any spelling, or a name like ``localhost``
    (``addresses.host_kind``). Such an image is a probe of the reader's network, never a picture.
    """
    try:
        parts = urlsplit(src.strip())
    except ValueError:
        return False
    if parts.scheme.lower() not in IMAGE_SCHEMES or not parts.hostname or tracker_rules().match(src):
        return False
    host = addresses.url_host(src)
    return host is not None and addresses.host_kind(host) is None


@cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(CONTENT_REMOVED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        # A relative URL means nothing once the body is shown on another site.
        url_relative="deny",
        strip_comments=True,
    )


def sanitize_html(html: str) -> str:
    """Untrusted HTML reduced to the body allow-list: no scripts, handlers, javascript: links or pixels.

    The result is a fixed point: sanitising it again changes nothing. Markup the HTML
    parser would rearrange when it reads the output again (a link inside a link, a table
    inside a link) is cleaned until it stops moving, so what is stored is what a browser
    builds from it.
    """
    cleaned = _clean_once(html)
    for _ in range(_MAX_PASSES - 1):
        again = _clean_once(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


def _clean_once(html: str) -> str:
    cleaned = _cleaner().clean(html)
    if "<img" in cleaned:
        cleaned = _IMG_TAG.sub(_drop_tracking_image, cleaned)
        cleaned = _EMPTY_FIGURE.sub("", cleaned)
    return cleaned


def render_blocks(blocks: list[Block]) -> str:
    """Sanitised HTML for the blocks: paragraphs, headings, lists, quotations, tables and images."""
    parts: list[str] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.kind in (LIST_ITEM, QUOTE, TABLE_ROW):
            end = index + 1
            while end < len(blocks) and blocks[end].kind == block.kind and blocks[end].group == block.group:
                end += 1
            parts.append(_render_group(blocks[index:end]))
            index = end
            continue
        if block.kind == IMAGE:
            parts.append(_render_image(block))
        else:
            tag = block.kind if block.kind in HEADING_KINDS else "p"
            parts.append(f"<{tag}>{_inline(block)}</{tag}>")
        index += 1
    return sanitize_html("\n".join(part for part in parts if part))


def _render_group(blocks: list[Block]) -> str:
    first = blocks[0]
    if first.kind == LIST_ITEM:
        tag = "ol" if first.ordered else "ul"
        items = "".join(f"<li>{_inline(block)}</li>" for block in blocks)
        return f"<{tag}>{items}</{tag}>"
    if first.kind == QUOTE:
        return "<blockquote>" + "".join(f"<p>{_inline(block)}</p>" for block in blocks) + "</blockquote>"
    rows = []
    for block in blocks:
        cell = "th" if block.header else "td"
        cells = block.cells or (block.text,)
        rows.append("<tr>" + "".join(f"<{cell}>{escape(text)}</{cell}>" for text in cells) + "</tr>")
    return "<table><tbody>" + "".join(rows) + "</tbody></table>"


def _render_image(block: Block) -> str:
    """A figure: the image and, when the block has text, its caption. Nothing for a pixel or a bad address."""
    if not block.src or not image_url_allowed(block.src):
        return ""
    image = f'<img src="{escape(block.src)}" alt="{escape(block.alt)}">'
    caption = f"<figcaption>{_inline(block)}</figcaption>" if block.text else ""
    return f"<figure>{image}{caption}</figure>"


def _inline(block: Block) -> str:
    return block.html if block.html is not None else escape(block.text)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if image_url_allowed(value) else None
    if attribute in ("width", "height", "colspan", "rowspan"):
        number = _dimension(value)
        return str(number) if number is not None and number <= _MAX_DIMENSION else None
    return value


def _drop_tracking_image(match: re.Match[str]) -> str:
    attributes = dict(_ATTRIBUTE.findall(match.group(0)))
    src = attributes.get("src")
    if not src or is_tracking_image(src, attributes.get("width"), attributes.get("height")):
        return ""
    return match.group(0)


def _dimension(value: str) -> int | None:
    match = _NUMBER.fullmatch(value)
    return int(match.group(1)) if match else None
