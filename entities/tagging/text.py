"""Offset-preserving text helpers: case folding, word boundaries, all-caps lines, token counts."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

# Curly quotes and odd spaces fold to their plain forms, one character for one, so offsets hold.
_MARKS = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "\u00a0": " ", "\t": " ", "\n": " ", "\r": " "})
_WORD = re.compile(r"\w+")
# A line counts as shouting (an all-caps headline) from this many letters, nearly all upper case.
_SHOUT_MIN_LETTERS = 8
_SHOUT_MIN_RATIO = 0.9


def fold_marks(text: str) -> str:
    """``text`` with curly apostrophes and whitespace variants made plain; same length."""
    return text.translate(_MARKS)


def fold_case(text: str) -> str:
    """Lower-cased ``fold_marks(text)``, exactly as long as ``text`` (a character whose lower case
    is longer, such as "İ", is kept as it is)."""
    marked = fold_marks(text)
    lowered = marked.lower()
    if len(lowered) == len(marked):
        return lowered
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in marked)


def word_starts(text: str, word: str) -> Iterator[int]:
    """Where ``word`` stands in ``text`` as a whole word: no letter, digit, apostrophe or hyphen
    touches it on either side. Cheaper than a pattern compiled for each word."""
    position = text.find(word)
    while position >= 0:
        end = position + len(word)
        if not (position and _glued(text[position - 1])) and not (end < len(text) and _glued(text[end])):
            yield position
        position = text.find(word, position + 1)


def _glued(ch: str) -> bool:
    return ch.isalnum() or ch in "_'’-"


def letters(text: str) -> str:
    """The alphabetic characters of ``text``."""
    return "".join(ch for ch in text if ch.isalpha())


def is_short_caps(alias: str) -> bool:
    """True for short all-caps aliases ("IS", "UN", "AP", "U.S."), which match only as written."""
    only = letters(alias)
    return 0 < len(only) <= 4 and only.isupper()


def at_word_boundaries(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is not glued to a letter or digit on either side."""
    if start > 0 and text[start].isalnum() and text[start - 1].isalnum():
        return False
    return not (end < len(text) and text[end - 1].isalnum() and text[end].isalnum())


def prefix_at_break(text: str, limit: int) -> str:
    """The first ``limit`` characters of ``text`` at most, cut after a line break, else before a space.

    A prefix, so offsets into it are offsets into ``text``; a text within the limit comes back whole.
    """
    if len(text) <= limit:
        return text
    # A break in the last tenth of the window; a page with none there is cut at the limit itself.
    floor = limit - limit // 10
    for breaker in ("\n", " "):
        cut = text.rfind(breaker, floor, limit)
        if cut >= 0:
            return text[: cut + 1]
    return text[:limit]


def count_tokens(text: str) -> int:
    """Word tokens (``\\w+`` runs), the unit of the tokens-per-second figures."""
    return sum(1 for _ in _WORD.finditer(text))


_WORDS = re.compile(r"[^\W\d_][\w'’-]*")
_TITLE_MIN_WORDS, _TITLE_MAX_WORDS, _TITLE_MIN_SHARE = 4, 20, 0.7


class Lines:
    """The line structure of one text: which line an offset is on and whether that line shouts."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        self._shouting = []
        for i, start in enumerate(self.starts):
            end = self.starts[i + 1] - 1 if i + 1 < len(self.starts) else len(text)
            self._shouting.append(_is_shouting(text[start:end]))

    def index(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def shouting(self, offset: int) -> bool:
        """True when the line holding ``offset`` is written in capitals (a headline or a shout)."""
        return self._shouting[self.index(offset)]


def title_case(line: str) -> bool:
    """True for a headline in title case, "Appeals Court Strikes Down Georgia Map": nearly every
    word capitalised, so capitals say nothing of names there."""
    words = _WORDS.findall(line)
    if not _TITLE_MIN_WORDS <= len(words) <= _TITLE_MAX_WORDS:
        return False
    capitalised = sum(1 for word in words if word[0].isupper())
    return capitalised >= _TITLE_MIN_SHARE * len(words) and not _is_shouting(line)


def _is_shouting(line: str) -> bool:
    letters_count = sum(map(str.isalpha, line))  # map keeps the loop in C: every line is read
    if letters_count < _SHOUT_MIN_LETTERS:
        return False
    upper = sum(map(str.isupper, line))
    return upper / letters_count >= _SHOUT_MIN_RATIO
