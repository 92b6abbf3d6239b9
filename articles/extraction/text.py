"""Plain text to blocks: paragraphs are separated by blank lines."""

from __future__ import annotations

import re
from itertools import pairwise

from .blocks import Block
from .normalize import fold

_BLANK_LINES = re.compile(r"\n[ \t\u00a0\u3000]*\n\s*")
# Lines of a hard-wrapped paragraph are long and of similar width; shorter lines in
# a block are separate items (a list, furniture) and stay apart. Text is wrapped at 60
# to 100 characters (mail and wire copy at 64 to 80).
_WRAPPED_MIN = 40
_WRAPPED_WIDTH_MIN = 60
_WRAPPED_MAX = 100
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
# A banner's button may end with an exclamation mark ("Got it!"): a wrapped sentence's last
# words seldom stand this few after a full stop.
_BUTTON_WORDS = 3


def text_blocks(text: str) -> list[Block]:
    """Blocks of a plain-text page; the first non-empty line is always a block of its own."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    first, _, rest = text.partition("\n")
    chunks = [first, *_BLANK_LINES.split(rest.strip())] if rest.strip() else [first]
    blocks: list[Block] = []
    for chunk in chunks:
        for paragraph in _paragraphs(chunk):
            folded = fold(paragraph)
            if folded:
                blocks.append(Block(folded, position=len(blocks)))
    return blocks


def _paragraphs(chunk: str) -> list[str]:
    lines = [line for line in (line.strip() for line in chunk.split("\n")) if line]
    if len(lines) <= 1 or _hard_wrapped(lines):
        return [" ".join(lines)]
    return lines


def _hard_wrapped(lines: list[str]) -> bool:
    # A paragraph ends a sentence; a short item under a finished sentence is a line of its
    # own: a banner and its button ("... our cookie policy." / "OK", "Got it!").
    if _SENTENCE_END.search(lines[-2]) and (not _SENTENCE_END.search(lines[-1]) or _button(lines[-1])):
        return False
    width = max(map(len, lines))
    if not _WRAPPED_WIDTH_MIN <= width <= _WRAPPED_MAX or any(
        len(line) < _WRAPPED_MIN for line in lines[:-1]
    ):
        return False
    # A wrapped line broke where the next word would not fit: lines of a list or of a footer
    # ("Download our app", "All rights reserved") break earlier.
    return all(len(line) + 1 + len(after.split()[0]) > width for line, after in pairwise(lines))


def _button(line: str) -> bool:
    return line.endswith("!") and len(line.split()) <= _BUTTON_WORDS
