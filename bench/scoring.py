"""Token-shingle scoring of extracted article text against a ground truth.

The metric, which is the project's acceptance metric for body extraction:

- word tokens are ``re.findall(r"\\w+", text.lower())``: lowercased, punctuation dropped;
- a text becomes the multiset of its 4-word shingles (consecutive 4-token tuples); a text of
  1 to 3 tokens is one shingle of all its tokens, an empty text has none;
- on one page ``tp`` is the size of the multiset intersection of predicted and true shingles,
  ``fp = |predicted| - tp`` and ``fn = |truth| - tp``;
- precision is ``tp / (tp + fp)`` averaged over the pages where the prediction has shingles,
  recall is ``tp / (tp + fn)`` averaged over the pages where the truth has shingles, and F1 is
  the harmonic mean of those two averages.

An empty prediction therefore costs recall only. Spread is estimated by resampling pages
with replacement (:func:`bootstrap_f1`); the same draws serve every system, so differences
between systems can be read as paired.
"""

from __future__ import annotations

import random
import re
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

SHINGLE_SIZE = 4
_WORD = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    """The lowercased word tokens of ``text``."""
    return _WORD.findall(text.lower())


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """The multiset of ``size``-token shingles of ``text`` (one shingle if it is shorter)."""
    words = tokens(text)
    if len(words) < size:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


@dataclass(frozen=True, slots=True)
class PageScore:
    """Shingle counts for one page."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float | None:
        """``tp / (tp + fp)``, or None when the prediction is empty."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """``tp / (tp + fn)``, or None when the truth is empty."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float:
        """The page's own F1: 0 when nothing matches, 1 when both texts are empty."""
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else 1.0


def score_page(prediction: str, truth: str) -> PageScore:
    """Compare the shingles of a predicted text with those of the true text."""
    predicted, expected = shingles(prediction), shingles(truth)
    tp = sum((predicted & expected).values())
    return PageScore(tp=tp, fp=predicted.total() - tp, fn=expected.total() - tp)


@dataclass(frozen=True, slots=True)
class Summary:
    """Scores over a set of pages; precision or recall is None when no page defines it."""

    pages: int
    precision: float | None
    recall: float | None
    f1: float


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def summarise(scores: Sequence[PageScore]) -> Summary:
    """Average per-page precision and recall over the pages that define them; F1 of the averages."""
    precision = _mean([s.precision for s in scores if s.precision is not None])
    recall = _mean([s.recall for s in scores if s.recall is not None])
    if precision is None or recall is None or precision + recall == 0:
        f1 = 0.0
    else:
        f1 = 2 * precision * recall / (precision + recall)
    return Summary(pages=len(scores), precision=precision, recall=recall, f1=f1)


@dataclass(frozen=True, slots=True)
class Interval:
    """Spread of a bootstrap distribution: standard error and 95% percentile interval."""

    se: float
    low: float
    high: float


def interval(samples: Sequence[float]) -> Interval:
    """Standard deviation and 2.5th/97.5th percentiles of bootstrap ``samples`` (at least 2)."""
    cuts = statistics.quantiles(samples, n=40, method="inclusive")
    return Interval(se=statistics.stdev(samples), low=cuts[0], high=cuts[-1])


def bootstrap_f1(
    scores: Mapping[str, Sequence[PageScore]], resamples: int = 2000, seed: int = 0
) -> dict[str, list[float]]:
    """F1 of each system on ``resamples`` resamples of its pages, drawn with replacement.

    Every system's sequence must list the same pages in the same order: each resample uses
    the same page indices for all systems, so per-resample differences are paired.
    """
    sizes = {len(page_scores) for page_scores in scores.values()}
    if len(sizes) > 1:
        raise ValueError(f"systems were scored on different numbers of pages: {sorted(sizes)}")
    count = sizes.pop() if sizes else 0
    rng = random.Random(seed)
    samples: dict[str, list[float]] = {system: [] for system in scores}
    for _ in range(resamples):
        picks = [rng.randrange(count) for _ in range(count)]
        for system, page_scores in scores.items():
            samples[system].append(summarise([page_scores[i] for i in picks]).f1)
    return samples
