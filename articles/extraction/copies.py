"""Second copies of the story's text: passages a page shows twice, in whatever blocks.

Pages carry the story again in a print or text-only version, a "continue reading"
preview above the full text, a summary that repeats the lead, a pull quote: the
copy's paragraphs may be split, merged or punctuated differently from the story's.
A block is a copy when all of its word sequences occur elsewhere in the text, and
either it is one of several copies in a row (a second copy of the story, however its
paragraphs were cut) or it is a heading, list item or quotation whose words the
story's paragraphs hold (a summary, a pull quote). A single paragraph, list item or
line that repeats another of its kind stays: pages built from templates repeat
those ("Included: breakfast and a guide"), and repeats.py flags a repeated sentence
for an editor. Copies are removed one at a time, the least story-like first
(headings, list items and quotations before paragraphs, later blocks before earlier
ones), so one copy of every passage stays.
"""

from __future__ import annotations

import re
from collections import Counter

from .blocks import HEADING_KINDS, LIST_ITEM, PARAGRAPH, QUOTE, TABLE_ROW, Block
from .cleanup import Removal

# Shorter blocks repeat by design (labels, "he said."); a passage this long does not.
MIN_COPY_WORDS = 12
# Word sequences of this length are compared; a block is a copy when every one of them
# occurs elsewhere. Typography and paragraph splits aside, a copy has them all; text
# written from one template ("IVPN supports WireGuard", "Mullvad supports WireGuard")
# does not, and stays.
SHINGLE = 6
# Attributions and labels left of a quotation or list once most of its text went as a copy.
MAX_LEFTOVER_WORDS = 8
MOSTLY_GONE = 2 / 3
# Pages longer than this (in words) are not compared: the work would grow with them, and
# no story is that long.
MAX_WORDS = 200_000
_WORD = re.compile(r"\w+")
# Which copy goes first: a list item, quotation or heading before a paragraph.
_KEEP_RANK = {PARAGRAPH: 3, QUOTE: 2, LIST_ITEM: 1}


def drop_copies(blocks: list[Block], headline: str = "") -> Removal:
    """Remove blocks whose text the rest of the blocks already hold (see the module docstring).

    The heading or headline right above a removed copy goes with it.
    """
    words = [_WORD.findall(block.text.casefold()) for block in blocks]
    if sum(map(len, words)) > MAX_WORDS:
        return Removal(kept=list(blocks))
    # Every sequence of the text read straight through, across the blocks' edges, so a
    # paragraph that a copy split in two is still found whole.
    stream: list[str] = [word for w in words for word in w]
    total = Counter(_shingles(stream))
    if not _may_hold_copies(blocks, words, total):
        return Removal(kept=list(blocks))
    own = [
        Counter(_shingles(w)) if block.kind != TABLE_ROW else Counter()
        for block, w in zip(blocks, words, strict=True)
    ]
    candidates = sorted(
        (i for i, w in enumerate(words) if len(w) >= MIN_COPY_WORDS and own[i]),
        key=lambda i: (_KEEP_RANK.get(blocks[i].kind, 0), -i),
    )
    in_paragraphs: Counter[tuple[str, ...]] = Counter()
    for block, shingles in zip(blocks, own, strict=True):
        if block.kind == PARAGRAPH:
            in_paragraphs.update(shingles)
    gone = [False] * len(blocks)

    def copied(index: int) -> bool:
        shingles = own[index]
        return bool(shingles) and all(total[shingle] > count for shingle, count in shingles.items())

    for index in candidates:
        if not copied(index):
            continue
        block = blocks[index]
        framing = block.kind != PARAGRAPH and all(in_paragraphs[shingle] > 0 for shingle in own[index])
        in_a_row = any(
            0 <= other < len(blocks)
            and (gone[other] or (len(words[other]) >= MIN_COPY_WORDS and copied(other)))
            for other in (index - 1, index + 1)
        )
        if framing or in_a_row:
            gone[index] = True
            total.subtract(own[index])
            if block.kind == PARAGRAPH:
                in_paragraphs.subtract(own[index])
    _drop_leftovers(blocks, words, gone, _WORD.findall(headline.casefold()))
    result = Removal(kept=[])
    for block, removed in zip(blocks, gone, strict=True):
        (result.removed if removed else result.kept).append(block)
    return result


def _may_hold_copies(blocks: list[Block], words: list[list[str]], total: Counter[tuple[str, ...]]) -> bool:
    """Whether any block long enough to be a copy has all of its word sequences twice in the text.

    A copy's sequences all occur elsewhere too, and removals only lower the counts, so
    without such a block nothing is removed. Most pages have none, and the first sequence
    found once (usually the block's first) settles a block: the comparisons of every
    block's sequences are only made on the pages that may hold a copy.
    """
    return any(
        len(w) >= MIN_COPY_WORDS
        and block.kind != TABLE_ROW
        and all(total[shingle] > 1 for shingle in zip(*(w[i:] for i in range(SHINGLE)), strict=False))
        for block, w in zip(blocks, words, strict=True)
    )


def _drop_leftovers(
    blocks: list[Block], words: list[list[str]], gone: list[bool], headline: list[str]
) -> None:
    """Also remove what framed a removed copy: the heading or headline right above it ("Key
    points"), and the short lines left of its quotation or list (an attribution)."""
    removed_words: Counter[tuple[str, int]] = Counter()
    group_words: Counter[tuple[str, int]] = Counter()
    for index, block in enumerate(blocks):
        if block.group:
            group_words[block.kind, block.group] += len(words[index])
            if gone[index]:
                removed_words[block.kind, block.group] += len(words[index])
    emptied = {key for key, count in removed_words.items() if count >= MOSTLY_GONE * group_words[key]}
    for index, block in enumerate(blocks):
        if gone[index]:
            continue
        if (block.kind, block.group) in emptied and len(words[index]) <= MAX_LEFTOVER_WORDS:
            gone[index] = True
        elif index + 1 < len(blocks) and gone[index + 1]:
            gone[index] = (block.kind in HEADING_KINDS and len(words[index]) <= MAX_LEFTOVER_WORDS) or (
                bool(headline) and words[index] == headline
            )


def _shingles(words: list[str]) -> list[tuple[str, ...]]:
    return list(zip(*(words[i:] for i in range(SHINGLE)), strict=False))
