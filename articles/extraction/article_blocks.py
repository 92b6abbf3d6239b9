"""The text blocks chosen as the article, turned into pipeline Blocks: headings, lists, quotes, rows, links."""

from __future__ import annotations

import itertools
from html import escape

from .blocks import LIST_ITEM, PARAGRAPH, QUOTE, TABLE_ROW, Block
from .html import HEADING_LEVELS, absolute_url
from .normalize import fold
from .segment import CELL_TAGS, HEADING_TAGS, Segmentation, TextBlock


def article_blocks(segmentation: Segmentation, chosen: list[int], base_url: str | None = None) -> list[Block]:
    """Blocks for the chosen text blocks, in page order; the cells of one table row become one row."""
    containers = segmentation.containers
    blocks: list[Block] = []
    groups: dict[int, int] = {}
    counter = itertools.count(1)

    def group_of(container: int) -> int:
        if container not in groups:
            groups[container] = next(counter)
        return groups[container]

    row_of_block: int | None = None
    for index in chosen:
        block = segmentation.blocks[index]
        container = containers[block.container]
        tag = container.tag
        if tag in CELL_TAGS:
            row = _ancestor(segmentation, block.container, "tr")
            cell = block.text
            if blocks and row_of_block == row and row is not None and blocks[-1].kind == TABLE_ROW:
                last = blocks[-1]
                last.cells = (*last.cells, cell)
                last.text = " | ".join(last.cells)
                last.header = last.header or tag == "th"
            else:
                table = _ancestor(segmentation, block.container, "table")
                blocks.append(
                    Block(cell, kind=TABLE_ROW, group=group_of(table if table is not None else -1), cells=(cell,),
                          header=tag == "th")
                )  # fmt: skip
                row_of_block = row
            continue
        row_of_block = None
        html = _inline_html(block, base_url)
        if tag in HEADING_TAGS:
            blocks.append(Block(block.text, kind=HEADING_LEVELS[tag], html=html))
        elif block.quote:
            quote = _ancestor(segmentation, block.container, "blockquote")
            blocks.append(
                Block(block.text, kind=QUOTE, html=html, group=group_of(-2 if quote is None else quote))
            )
        elif tag == "li":
            parent = containers[container.parent] if container.parent >= 0 else container
            blocks.append(
                Block(
                    block.text,
                    kind=LIST_ITEM,
                    html=html,
                    group=group_of(container.parent),
                    ordered=parent.tag == "ol",
                )
            )
        else:
            blocks.append(Block(block.text, kind=PARAGRAPH, html=html))
    for position, block in enumerate(blocks):
        block.position = position
    return blocks


def _ancestor(segmentation: Segmentation, index: int, tag: str) -> int | None:
    containers = segmentation.containers
    while index >= 0:
        if containers[index].tag == tag:
            return index
        index = containers[index].parent
    return None


def _inline_html(block: TextBlock, base_url: str | None) -> str | None:
    if not block.links:
        return None
    pieces = []
    for text, href in block.links:
        url = absolute_url(href, base_url) if href else None
        if url and text.strip():
            pieces.append(f'<a href="{escape(url)}">{escape(text)}</a>')
        else:
            pieces.append(escape(text))
    return fold("".join(pieces))
