"""The text blocks chosen as the article, turned into pipeline Blocks: headings, lists, quotes, rows, links, images."""

from __future__ import annotations

import itertools
from html import escape

from .blocks import IMAGE, LIST_ITEM, PARAGRAPH, QUOTE, TABLE_ROW, Block
from .html import HEADING_LEVELS, absolute_url
from .normalize import fold
from .sanitize import is_tracking_image
from .segment import CELL_TAGS, HEADING_TAGS, Segmentation, TextBlock


def article_blocks(segmentation: Segmentation, chosen: list[int], base_url: str | None = None) -> list[Block]:
    """Blocks for the chosen text blocks, in page order; the cells of one table row become one row.

    A block's ``position`` is its first text block's place among the chosen ones.
    """
    containers = segmentation.containers
    blocks: list[Block] = []
    groups: dict[int, int] = {}
    counter = itertools.count(1)

    def group_of(container: int) -> int:
        if container not in groups:
            groups[container] = next(counter)
        return groups[container]

    row_of_block: int | None = None
    for position, index in enumerate(chosen):
        block = segmentation.blocks[index]
        container = containers[block.container]
        tag = container.tag
        if tag in CELL_TAGS:
            row = segmentation.ancestor(block.container, "tr")
            cell = block.text
            if blocks and row_of_block == row and row is not None and blocks[-1].kind == TABLE_ROW:
                last = blocks[-1]
                last.cells = (*last.cells, cell)
                last.text = " | ".join(last.cells)
                last.header = last.header or tag == "th"
            else:
                table = segmentation.ancestor(block.container, "table")
                blocks.append(
                    Block(cell, kind=TABLE_ROW, group=group_of(table if table is not None else -1), cells=(cell,),
                          header=tag == "th", position=position)
                )  # fmt: skip
                row_of_block = row
            continue
        row_of_block = None
        html = _inline_html(block, base_url)
        if tag in HEADING_TAGS:
            blocks.append(Block(block.text, kind=HEADING_LEVELS[tag], html=html))
        elif block.quote:
            quote = segmentation.ancestor(block.container, "blockquote")
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


def article_images(segmentation: Segmentation, chosen: list[int], base_url: str | None = None) -> list[Block]:
    """Image blocks for the pictures that stand among the chosen text, each anchored to its text.

    A picture counts when the text right before or right after it was chosen and it lies
    within the chosen span. Its ``position`` is the index, among the chosen blocks, of the
    block it precedes, so it stays in place whatever cleanup removes. Tracking pixels and
    addresses that are not http(s) are left out.
    """
    if not chosen:
        return []
    order = {index: position for position, index in enumerate(chosen)}
    first, last = chosen[0], chosen[-1]
    images: list[Block] = []
    seen: set[str] = set()
    for picture in segmentation.pictures:
        if not first < picture.before <= last:
            continue
        if picture.before not in order and picture.before - 1 not in order:
            continue
        src = absolute_url(picture.src, base_url)
        if not src or not src.startswith(("http://", "https://")) or src in seen:
            continue
        if is_tracking_image(src, picture.width, picture.height):
            continue
        seen.add(src)
        following = next(i for i in range(picture.before, last + 1) if i in order)
        images.append(Block("", kind=IMAGE, position=order[following], src=src, alt=fold(picture.alt)))
    return images


def with_images(blocks: list[Block], images: list[Block]) -> list[Block]:
    """The blocks with each image put before the first remaining block at or after its anchor."""
    if not images:
        return blocks
    merged: list[Block] = []
    pending = sorted(images, key=lambda image: image.position)
    at = 0
    for block in blocks:
        while at < len(pending) and pending[at].position <= block.position:
            merged.append(pending[at])
            at += 1
        merged.append(block)
    return merged


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
