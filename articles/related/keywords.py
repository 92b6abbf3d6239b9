"""Keywords: the distinctive terms of a story, and the v1 rank-overlap similarity kept as a baseline."""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import cache
from importlib import resources

WORD_RE = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]", re.UNICODE)
KEYWORD_COUNT = 30


@cache
def _stopwords() -> frozenset[str]:
    text = resources.files("articles").joinpath("data/stopwords.txt").read_text(encoding="utf-8")
    words = (w for line in text.splitlines() if not line.startswith("#") for w in line.split())
    return frozenset(words)


def article_keywords(headline: str, body: str) -> list[str]:
    """The terms that best say what a story is about, most telling first.

    Capitalised words (names of people, places and organisations) and headline
    words count double: they are what readers follow from story to story.
    """
    stop = _stopwords()
    weights: Counter[str] = Counter()
    for text, factor in ((headline, 2.0), (body, 1.0)):
        for match in WORD_RE.finditer(text):
            word = match.group()
            term = word.lower().replace("’", "'").removesuffix("'s")
            if len(term) < 3 or term in stop:
                continue
            weights[term] += factor * (2.0 if word[0].isupper() else 1.0)
    return [term for term, _ in weights.most_common(KEYWORD_COUNT)]


def keyword_similarity(a: list[str], b: list[str]) -> float:
    """Rank-weighted overlap of two keyword lists, between 0 and 1."""
    if not a or not b:
        return 0.0
    weight_a = {term: 1.0 / math.log2(rank + 2) for rank, term in enumerate(a)}
    weight_b = {term: 1.0 / math.log2(rank + 2) for rank, term in enumerate(b)}
    shared = sum(min(weight_a[t], weight_b[t]) for t in weight_a.keys() & weight_b.keys())
    total = min(sum(weight_a.values()), sum(weight_b.values()))
    return shared / total if total else 0.0
