"""Repeated sentences: near-identical sentences in two paragraphs, flagged for an editor."""

from __future__ import annotations

import math
import re

from .rules import abbreviations
from .types import Flag

REPEATED_SENTENCE = "repeated_sentence"
# Short sentences ("he said.") repeat legitimately; only long ones are compared.
MIN_WORDS = 8
SHINGLE = 2
# Jaccard similarity of word-pair sets. One word changed in a 30-word sentence scores
# about 0.88, in an 18-word one about 0.79; two different sentences on the same
# subject stay far below.
MIN_SIMILARITY = 0.7
# Cost caps: no sentence is compared with more than this many earlier ones, and no page makes
# more than this many comparisons in all (a long story makes a few thousand; a page of 20,000
# paragraphs in one small vocabulary would make four million, minutes of work).
MAX_CANDIDATES = 200
MAX_PAGE_COMPARISONS = 50_000
# Longer "sentences" are lists, tables or junk run together (the longest real ones have a few
# hundred words); their word-pair sets would cost memory in proportion to their length.
MAX_SENTENCE_CHARS = 5_000

_OPENING_QUOTES = "“«‘„‹"
# Quotation marks, or a sentence stop with the closing quotes and brackets after it.
_MARKS = re.compile(r"([.!?…]+[”»’›\"')\]]*)|[“«‘„‹”»’›\"]")
_WORD = re.compile(r"\w+")
_LAST_WORD = re.compile(r"([\w.]+)$")
_NEXT_CHARACTER = re.compile(r"\s*+(\S)")
# Longer than any abbreviation: a token cut at this length is no abbreviation either way.
_MAX_TOKEN_CHARS = 40


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of a paragraph; a quotation that runs over several sentences stays in one.

    ``“We have proposed... We are trying...,” Putin said.`` is one sentence: the
    full stop inside the open quotation does not end it.
    """
    sentences: list[str] = []
    quotes = _Quotes()
    start = 0
    for match in _MARKS.finditer(paragraph):
        if match.group(1) is None:
            quotes.see(paragraph, match.start())
            continue
        stop, end = match.start(), match.end()
        for index in range(stop, end):
            quotes.see(paragraph, index)
        if quotes.closed() and _ends_sentence(paragraph, stop, end):
            sentences.append(paragraph[start:end].strip())
            start = end
    tail = paragraph[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


class _Quotes:
    """Which quotations are open at a point of a paragraph."""

    def __init__(self) -> None:
        self.double = 0
        self.single = 0
        self.straight = False

    def closed(self) -> bool:
        return not (self.double or self.single or self.straight)

    def see(self, text: str, index: int) -> None:
        char = text[index]
        if char in "“«„":
            self.double += 1
        elif char in "”»":
            self.double = max(0, self.double - 1)
        elif char in "‘‹":
            self.single += 1
        elif char == "›":
            self.single = max(0, self.single - 1)
        elif char == "’":
            # Also the apostrophe of "Russia’s": it closes a quotation only when one is
            # open and no letter follows.
            after = text[index + 1 : index + 2]
            if self.single and not after.isalnum():
                self.single -= 1
        elif char == '"':
            self.straight = not self.straight


def flag_repeated_sentences(paragraphs: list[str]) -> list[Flag]:
    """A flag for each long sentence that nearly repeats one of an earlier paragraph.

    Once the page has made MAX_PAGE_COMPARISONS comparisons, the sentences left are not checked.
    """
    seen: list[tuple[int, str, frozenset[tuple[str, ...]]]] = []
    by_shingle: dict[tuple[str, ...], list[int]] = {}
    flags: list[Flag] = []
    budget = [MAX_PAGE_COMPARISONS]
    for paragraph_number, paragraph in enumerate(paragraphs, start=1):
        if budget[0] <= 0:
            break
        new: list[tuple[int, str, frozenset[tuple[str, ...]]]] = []
        for sentence in split_sentences(paragraph):
            shingles = _shingles(sentence)
            if not shingles:
                continue
            earlier = _most_similar_earlier(shingles, seen, by_shingle, paragraph_number, budget)
            if earlier is not None:
                first_paragraph, first = earlier
                flags.append(
                    Flag(
                        kind=REPEATED_SENTENCE,
                        text=sentence,
                        detail={
                            "first": first,
                            "again": sentence,
                            "first_paragraph": first_paragraph,
                            "again_paragraph": paragraph_number,
                        },
                    )
                )
            new.append((paragraph_number, sentence, shingles))
        # Indexed after the paragraph: sentences are only compared across paragraphs.
        for item in new:
            for shingle in item[2]:
                by_shingle.setdefault(shingle, []).append(len(seen))
            seen.append(item)
    return flags


def _most_similar_earlier(shingles, seen, by_shingle, paragraph_number, budget) -> tuple[int, str] | None:
    # Prefix filtering: a sentence B with Jaccard(A, B) >= t shares at least t*|A| of A's
    # word pairs, so it misses at most |A| - ceil(t*|A|) of them and holds one of any
    # |A| - ceil(t*|A|) + 1 pairs of A. Only the sentences holding one of A's rarest
    # pairs that many are candidates: none is missed, and pairs that occur everywhere
    # ("of the") are not needed, which keeps long repetitive pages linear, not quadratic.
    postings = [posting for shingle in shingles if (posting := by_shingle.get(shingle))]
    needed = len(shingles) - math.ceil(MIN_SIMILARITY * len(shingles) - 1e-9) + 1
    # Pairs no earlier sentence has are the rarest of all and come first in the prefix:
    # when they fill it, no earlier sentence can be similar enough.
    needed -= len(shingles) - len(postings)
    if needed <= 0:
        return None
    postings.sort(key=len)
    # Postings list sentences in page order, so the earliest candidates are in their heads.
    earliest = {i for posting in postings[:needed] for i in posting[:MAX_CANDIDATES]}
    candidates = sorted(earliest)[: min(MAX_CANDIDATES, max(budget[0], 0))]
    budget[0] -= len(candidates)
    for index in candidates:
        other_paragraph, other, other_shingles = seen[index]
        if other_paragraph == paragraph_number:
            continue
        if len(shingles & other_shingles) / len(shingles | other_shingles) >= MIN_SIMILARITY:
            return other_paragraph, other
    return None


def _shingles(sentence: str) -> frozenset[tuple[str, ...]]:
    if len(sentence) > MAX_SENTENCE_CHARS:
        return frozenset()
    words = _WORD.findall(sentence.casefold())
    if len(words) < MIN_WORDS or len(words) - sum(map(str.isdigit, words)) < MIN_WORDS:
        return frozenset()
    return frozenset(zip(*(words[i:] for i in range(SHINGLE)), strict=False))


def _ends_sentence(text: str, stop: int, end: int) -> bool:
    if end < len(text) and not text[end].isspace():
        return False
    # The next character, found without copying the rest of the paragraph at every stop.
    following = _NEXT_CHARACTER.match(text, end)
    if following is None:
        return True
    first = following.group(1)
    if not (first.isupper() or first.isdigit() or first in _OPENING_QUOTES + "\"'(["):
        return False
    if text[stop] != ".":
        return True
    # The word before the stop; the search starts close to it, so a long paragraph is not
    # read from its start at every full stop.
    word = _LAST_WORD.search(text, max(0, stop - _MAX_TOKEN_CHARS), stop)
    if word is None:
        return True
    token = word.group(1).casefold()
    # Initials ("John F. Kennedy") and abbreviations ("Mr.", "U.S.") do not end a sentence.
    return not (len(token) == 1 and token.isalpha()) and token not in abbreviations()
