"""Body HTML: blocks rendered to markup, then passed through an allow-list sanitiser."""

from __future__ import annotations

from functools import cache
from html import escape

import nh3

from .blocks import HEADING_KINDS, LIST_ITEM, QUOTE, TABLE_ROW, Block

ALLOWED_TAGS = frozenset(
    {
        "p",
        "h2",
        "h3",
        "h4",
        "ul",
        "ol",
        "li",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "a",
        "img",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener nofollow"


@cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags={
            "script",
            "style",
            "noscript",
            "iframe",
            "object",
            "embed",
            "template",
            "svg",
            "math",
        },
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        # A relative URL means nothing once the body is shown on another site.
        url_relative="deny",
    )


def sanitize_html(html: str) -> str:
    """Untrusted HTML reduced to the body allow-list: no scripts, handlers or javascript: links."""
    return _cleaner().clean(html)


def render_blocks(blocks: list[Block]) -> str:
    """Sanitised HTML for the blocks: paragraphs, headings, lists, quotations and tables."""
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
        tag = block.kind if block.kind in HEADING_KINDS else "p"
        parts.append(f"<{tag}>{_inline(block)}</{tag}>")
        index += 1
    return sanitize_html("\n".join(parts))


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


def _inline(block: Block) -> str:
    return block.html if block.html is not None else escape(block.text)
