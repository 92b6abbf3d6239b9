"""Block: one paragraph-like unit of a page, as the cleanup steps see it."""

from __future__ import annotations

from dataclasses import dataclass, field

PARAGRAPH = "p"
HEADING_KINDS = ("h2", "h3", "h4")
LIST_ITEM = "li"
QUOTE = "quote"
TABLE_ROW = "row"
# A picture in the body: ``src`` is its absolute address, ``alt`` its alternative text and
# ``text`` its caption (often empty). Rendered as a <figure>; its caption is not body text.
IMAGE = "image"


@dataclass
class Block:
    """A paragraph, heading, list item, quotation paragraph, table row or image.

    ``text`` is folded plain text. ``html`` is its inline markup (links) when the
    source had any; it is dropped as soon as a step rewrites ``text``. ``group``
    ties consecutive list items, rows or quotation paragraphs together, and
    ``position`` is the block's place in the source, which keeps ``removed`` in
    document order whatever step removed a block.
    """

    text: str
    kind: str = PARAGRAPH
    html: str | None = None
    group: int = 0
    ordered: bool = False
    cells: tuple[str, ...] = field(default_factory=tuple)
    header: bool = False
    position: int = 0
    src: str | None = None
    alt: str = ""

    def with_text(self, text: str) -> Block:
        """The same block holding other text; its inline markup no longer applies."""
        return Block(
            text=text,
            kind=self.kind,
            html=None,
            group=self.group,
            ordered=self.ordered,
            cells=(),
            header=self.header,
            position=self.position,
            src=self.src,
            alt=self.alt,
        )
