"""How related two stories are, in numbers an editor can read; pure Python, no Django.

A pair's score is ``relevance × recency``:

- relevance = ``entity_weight × entity score + text_weight × text score``;
- entity score: the shared entities, each weighted by its rarity (IDF over the articles that
  mention it, scaled to 0–1) and by how much both stories say about it (``1 + ln count``, the
  smaller of the two), summed and saturated to 0–1 (``1 − e^(−sum / entity_scale)``);
- text score: cosine of the two keyword lists as TF-IDF vectors (term weight by rank in the list,
  IDF from a sample of recent stories);
- recency: ``floor + (1 − floor) × 0.5^(days apart / half-life)``.

Every part is symmetric in the two stories, so one computation serves both lists.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ScoringParams:
    entity_weight: float = 0.4
    text_weight: float = 0.6
    # The summed entity evidence at which the entity score reaches 1 − 1/e (0.63).
    entity_scale: float = 4.0
    half_life_days: float = 14.0
    recency_floor: float = 0.7
    min_score: float = 0.1


@dataclass(frozen=True)
class Profile:
    """What scoring needs to know of one story."""

    article_id: int
    entities: Mapping[int, int]
    keywords: Sequence[str]
    published_at: dt.datetime | None = None
    cluster_id: int | None = None
    agency: str = ""


@dataclass(frozen=True)
class Score:
    """A pair's score and what it is made of."""

    total: float
    relevance: float
    entity: float
    text: float
    recency: float
    days_apart: float | None
    # (entity id, weight) and (term, weight), strongest first.
    entities: list[tuple[int, float]] = field(default_factory=list)
    terms: list[tuple[str, float]] = field(default_factory=list)


def entity_rarity(document_frequency: int, corpus_size: int) -> float:
    """IDF of an entity scaled to 0–1: 1 for an entity only one story names, 0 for one all name."""
    corpus_size = max(corpus_size, document_frequency, 1)
    if corpus_size <= 1:
        return 1.0
    value = math.log((corpus_size + 1) / (document_frequency + 1)) / math.log(corpus_size + 1)
    return min(1.0, max(0.0, value))


def salience(count: int) -> float:
    """How much a story says about an entity it names ``count`` times."""
    return 1.0 + math.log(max(count, 1))


def term_idf(document_frequency: int, sample_size: int) -> float:
    """Smoothed IDF of a keyword among ``sample_size`` stories (never below 1)."""
    return math.log((1 + sample_size) / (1 + document_frequency)) + 1.0


def text_vector(keywords: Sequence[str], idf: Mapping[str, float], default_idf: float) -> dict[str, float]:
    """The keyword list as a unit TF-IDF vector: rank weight ``1/log2(rank + 2)`` times IDF."""
    vector = {}
    for rank, term in enumerate(keywords):
        if term not in vector:
            vector[term] = idf.get(term, default_idf) / math.log2(rank + 2)
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {term: w / norm for term, w in vector.items()} if norm else {}


def text_similarity(a: Mapping[str, float], b: Mapping[str, float]) -> tuple[float, list[tuple[str, float]]]:
    """Cosine of two unit vectors, with the shared terms' contributions, largest first."""
    if len(b) < len(a):
        a, b = b, a
    shared = [(term, w * b[term]) for term, w in a.items() if term in b]
    shared.sort(key=lambda item: (-item[1], item[0]))
    return min(1.0, sum(w for _, w in shared)), shared


def entity_evidence(
    a: Mapping[int, int], b: Mapping[int, int], rarity: Mapping[int, float]
) -> list[tuple[int, float]]:
    """The entities both stories name, each with its weight, strongest first."""
    if len(b) < len(a):
        a, b = b, a
    weights = [
        (entity, rarity.get(entity, 0.0) * min(salience(count), salience(b[entity])))
        for entity, count in a.items()
        if entity in b
    ]
    weights.sort(key=lambda item: (-item[1], item[0]))
    return weights


def entity_score(evidence: Sequence[tuple[int, float]], scale: float) -> float:
    return 1.0 - math.exp(-sum(w for _, w in evidence) / scale) if evidence else 0.0


def recency(
    a: dt.datetime | None, b: dt.datetime | None, *, half_life_days: float, floor: float
) -> tuple[float, float | None]:
    """The recency factor of two stories and the days between them (None when a date is unknown)."""
    if a is None or b is None:
        return floor, None
    days = abs((a - b).total_seconds()) / 86400
    return floor + (1 - floor) * 0.5 ** (days / half_life_days), days


def score_pair(
    a: Profile,
    b: Profile,
    *,
    rarity: Mapping[int, float],
    vectors: Mapping[int, Mapping[str, float]],
    params: ScoringParams,
) -> Score:
    """Score ``a`` against ``b``; ``vectors`` holds both stories' text vectors by article id."""
    evidence = entity_evidence(a.entities, b.entities, rarity)
    entities = entity_score(evidence, params.entity_scale)
    text, terms = text_similarity(vectors[a.article_id], vectors[b.article_id])
    relevance = params.entity_weight * entities + params.text_weight * text
    factor, days = recency(
        a.published_at, b.published_at, half_life_days=params.half_life_days, floor=params.recency_floor
    )
    return Score(
        total=relevance * factor,
        relevance=relevance,
        entity=entities,
        text=text,
        recency=factor,
        days_apart=days,
        entities=evidence,
        terms=terms,
    )
