"""Computing an article's related list from the stories around it."""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import cache
from importlib import resources

from django.conf import settings
from django.db import transaction

from articles.models import Article, RelatedLink

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


def article_related_refresh(*, article: Article) -> list[RelatedLink]:
    """Recompute one article's computed links and enter it into its neighbours' lists.

    Candidates are the most recent published articles (a bounded window), so
    the cost does not depend on the size of the archive. Only neighbours whose
    own top list the article enters are touched.
    """
    limit = settings.RELATED_LIMIT
    with transaction.atomic():
        RelatedLink.objects.filter(from_article=article, kind=RelatedLink.Kind.COMPUTED).delete()
        if article.status != Article.Status.PUBLISHED or not article.keywords:
            return []
        candidates = (
            Article.objects.published()
            .exclude(pk=article.pk)
            .order_by("-id")
            .values_list("id", "keywords")[: settings.RELATED_CANDIDATE_WINDOW]
        )
        scored = sorted(
            ((keyword_similarity(article.keywords, keywords), pk) for pk, keywords in candidates),
            reverse=True,
        )
        scored = [(score, pk) for score, pk in scored if score >= settings.RELATED_MIN_SCORE][:limit]
        links = RelatedLink.objects.bulk_create(
            RelatedLink(
                from_article=article,
                to_article_id=pk,
                kind=RelatedLink.Kind.COMPUTED,
                score=round(score, 4),
                position=position,
                reasons={"keywords": round(score, 4)},
            )
            for position, (score, pk) in enumerate(scored)
        )
        for score, pk in scored:
            _neighbour_offer(neighbour_id=pk, article=article, score=score, limit=limit)
    return links


def _neighbour_offer(*, neighbour_id: int, article: Article, score: float, limit: int) -> None:
    links = list(
        RelatedLink.objects.select_for_update()
        .filter(from_article_id=neighbour_id, kind=RelatedLink.Kind.COMPUTED)
        .order_by("-score", "id")
    )
    if any(link.to_article_id == article.pk for link in links):
        return
    if len(links) >= limit:
        weakest = links[-1]
        if weakest.score >= score:
            return
        weakest.delete()
        links.pop()
    links.append(
        RelatedLink(
            from_article_id=neighbour_id,
            to_article=article,
            kind=RelatedLink.Kind.COMPUTED,
            score=round(score, 4),
            reasons={"keywords": round(score, 4)},
        )
    )
    links.sort(key=lambda link: -link.score)
    for position, link in enumerate(links):
        link.position = position
        link.save()
