"""Glued words such as "Iraqiannounced": flagged for an editor, never rewritten."""

from __future__ import annotations

import re

from .rules import common_words
from .types import Flag

GLUED_WORD = "glued_word"
# A glued pair is a name and a common word, neither long; a longer run of letters is no such
# pair (and splitting it would cost time in proportion to its length squared). Bounded in the
# pattern itself, so a megabyte-long word costs one linear search.
MAX_TOKEN_CHARS = 48
_TOKEN = re.compile(rf"(?<![\w'’-])[^\W\d_]{{8,{MAX_TOKEN_CHARS}}}(?![\w'’-])")
_MIN_NAME = 4
_MIN_WORD = 5
# A capital inside the token marks the seam, so a shorter common word is enough there.
_MIN_WORD_BEFORE_CAPITAL = 4
# Capitalised after another word (not opening a sentence), so most likely a name.
_NAME = re.compile(rf"(?<=[\w,;:] )([A-Z][a-z]{{{_MIN_NAME - 1},}})\b")


def flag_glued_words(paragraphs: list[str]) -> list[Flag]:
    """Flag tokens made of a name this text capitalises plus a common word, e.g. Iraqi+announced.

    The name must appear on its own, capitalised mid-sentence, elsewhere in the text
    and must not be a common word itself ("Book" + "stores"); the token must appear
    only once. Real compounds and brand names in CamelCase mostly fall outside these
    rules, and a flag only asks an editor to look.
    """
    names = _proper_names(paragraphs)
    if not names:
        return []
    words = common_words()
    tokens = [_TOKEN.findall(paragraph) for paragraph in paragraphs]
    counts: dict[str, int] = {}
    for found in tokens:
        for token in found:
            counts[token.casefold()] = counts.get(token.casefold(), 0) + 1
    flags: list[Flag] = []
    for number, found in enumerate(tokens, start=1):
        for token in found:
            folded = token.casefold()
            if counts[folded] > 1 or folded in words:
                continue
            split = _split(token, names, words)
            if split is not None:
                flags.append(
                    Flag(kind=GLUED_WORD, text=token, detail={"paragraph": number, "parts": list(split)})
                )
    return flags


def _split(token: str, names: set[str], words: frozenset[str]) -> tuple[str, str] | None:
    folded = token.casefold()
    if token[0].isupper() and token[1:].islower():
        # "Iraqiannounced": the name keeps its capital, the glued word follows in lower case.
        for cut in range(_MIN_NAME, len(token) - _MIN_WORD + 1):
            head, tail = folded[:cut], folded[cut:]
            if head in names and head not in words and tail in words:
                return token[:cut], token[cut:]
    elif token[0].islower():
        # "saidTuesday": a capital inside a lower-case token marks the seam.
        for cut in range(_MIN_WORD_BEFORE_CAPITAL, len(token) - _MIN_NAME + 1):
            head, tail = folded[:cut], folded[cut:]
            seam = token[cut].isupper() and token[cut + 1 :].islower()
            if seam and head in words and tail in names and tail not in words:
                return token[:cut], token[cut:]
    return None


def _proper_names(paragraphs: list[str]) -> set[str]:
    """Case-folded words that appear capitalised after another word, not opening a sentence."""
    names: set[str] = set()
    for paragraph in paragraphs:
        names.update(name.casefold() for name in _NAME.findall(paragraph))
    return names
