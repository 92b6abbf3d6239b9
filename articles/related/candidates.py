"""Where related candidates come from and the corpus statistics that weigh them.

Candidates are never all stories: they come from the entity → articles index (the registered
``EntityIndex``: the stories nearest in id for each of the article's entities, at most
``RELATED_ENTITY_CANDIDATES`` each) and from text: on PostgreSQL the full-text index
over headline and body (stories matching the article's most distinctive keywords), on the
embedded SQLite default the ``RELATED_CANDIDATE_WINDOW`` stories nearest in id (PostgreSQL adds
the ``RELATED_RECENT_CANDIDATES`` nearest to its text matches). Statistics
are cached: entity document frequencies (exact when the entity's index range is shorter than
the candidate cap, else a capped indexed count), keyword document frequencies over a sample of
recent stories, and the corpus size (PostgreSQL's row estimate).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.core.cache import cache
from django.db import connection
from django.db.models import Q

from articles.filters import SEARCH_CONFIG, SearchDocument
from articles.models import Article, RelatedLink, StoryFingerprint
from articles.related import scoring
from articles.related.entities import entity_index, nearest_ids

ENTITY_DF_KEY = "related:entity-df:{}"
TERM_DF_KEY = "related:term-df"
# Below this many stories the corpus size is counted, not estimated.
SMALL_CORPUS = 50_000


def scoring_params(**overrides) -> scoring.ScoringParams:
    """``ScoringParams`` with the deployment's overrides (``settings.RELATED_SCORING``), then ``overrides``."""
    return scoring.ScoringParams(**{**settings.RELATED_SCORING, **overrides})


@dataclass
class Neighbourhood:
    """An article, its scored candidates (best first) and the names of its entities."""

    profile: scoring.Profile
    ranked: list[tuple[scoring.Profile, scoring.Score]]
    entity_names: dict[int, str] = field(default_factory=dict)


# --- Statistics ---------------------------------------------------------------------------


def corpus_size() -> int:
    """How many stories are stored: PostgreSQL's planner estimate for a big table, else a count."""
    size = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [Article._meta.db_table],
            )
            row = cursor.fetchone()
            size = row[0] if row else 0
    if size < SMALL_CORPUS:
        # Small, or never analysed: counting is cheap (and capped, for a big unanalysed table).
        size = Article.objects.order_by()[: SMALL_CORPUS * 10].count()
    return size


def entity_frequencies(entity_ids, *, exact: dict[int, int]) -> dict[int, int]:
    """How many stories name each entity; ``exact`` holds those already counted in full."""
    frequencies = dict(exact)
    wanted = [e for e in entity_ids if e not in frequencies]
    if not wanted:
        return frequencies
    keys = {ENTITY_DF_KEY.format(e): e for e in wanted}
    for key, value in cache.get_many(list(keys)).items():
        frequencies[keys[key]] = value
    missing = {e: 0 for e in wanted if e not in frequencies}
    index = entity_index()
    for entity_id in missing:
        # An index range count, capped: past the cap an entity is simply "very common".
        missing[entity_id] = index.frequency(entity_id, cap=settings.RELATED_DF_COUNT_CAP)
    if missing:
        cache.set_many({ENTITY_DF_KEY.format(e): n for e, n in missing.items()}, settings.RELATED_STATS_TTL)
    frequencies.update(missing)
    return frequencies


def term_frequencies(size: int | None = None) -> tuple[int, dict[str, int]]:
    """(sample size, keyword → stories of the sample that list it), over recent published stories; cached.

    While the whole corpus fits in the sample, the statistics are kept per corpus size, so a
    young site's first stories are not weighed by the figures of its first day.
    """
    size = corpus_size() if size is None else size
    key = TERM_DF_KEY if size > settings.RELATED_DF_SAMPLE else f"{TERM_DF_KEY}:{size}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    rows = (
        Article.objects.published()
        .order_by("-id")
        .values_list("keywords", flat=True)[: settings.RELATED_DF_SAMPLE]
    )
    frequencies: dict[str, int] = defaultdict(int)
    sample = 0
    for keywords in rows:
        sample += 1
        for term in set(keywords or ()):
            frequencies[term] += 1
    value = (sample, dict(frequencies))
    cache.set(key, value, settings.RELATED_STATS_TTL)
    return value


def term_idf(terms, statistics: tuple[int, dict[str, int]] | None = None) -> tuple[dict[str, float], float]:
    """IDF of ``terms`` from the sample, and the IDF of a term the sample has not seen."""
    size, frequencies = statistics or term_frequencies()
    return (
        {term: scoring.term_idf(frequencies.get(term, 0), size) for term in terms},
        scoring.term_idf(0, size),
    )


# --- Profiles --------------------------------------------------------------------------------


def article_profile(article: Article) -> tuple[scoring.Profile, dict[int, str]]:
    """The article's profile and its entities' names."""
    mentions = entity_index().article_entities(article.pk)
    cluster_id = (
        StoryFingerprint.objects.filter(article_id=article.pk).values_list("cluster_id", flat=True).first()
    )
    profile = scoring.Profile(
        article_id=article.pk,
        entities={entity_id: count for entity_id, _, count in mentions},
        keywords=list(article.keywords or ()),
        published_at=article.published_at,
        cluster_id=cluster_id,
    )
    return profile, {entity_id: name for entity_id, name, _ in mentions}


def candidate_profiles(ids, *, entity_ids) -> dict[int, scoring.Profile]:
    """Published stories among ``ids``, with their mentions of ``entity_ids`` (the shared ones)."""
    ids = list(ids)
    if not ids:
        return {}
    rows = (
        Article.objects.published()
        .filter(pk__in=ids)
        .values_list("id", "keywords", "published_at", "agency__name", "fingerprint__cluster_id")
    )
    entities: dict[int, dict[int, int]] = defaultdict(dict)
    if entity_ids:
        for article_id, entity_id, count in entity_index().shared(ids, list(entity_ids)):
            entities[article_id][entity_id] = count
    return {
        pk: scoring.Profile(
            article_id=pk,
            entities=entities.get(pk, {}),
            keywords=list(keywords or ()),
            published_at=published_at,
            cluster_id=cluster_id,
            agency=agency or "",
        )
        for pk, keywords, published_at, agency, cluster_id in rows
    }


# --- Candidates -------------------------------------------------------------------------------


def entity_candidates(profile: scoring.Profile) -> tuple[dict[int, list[int]], dict[int, int]]:
    """Stories naming the article's entities (candidate → its entities), and the exact frequencies seen.

    One range of the (entity, article) index per entity, for the article's most-named entities.
    """
    cap = settings.RELATED_ENTITY_CANDIDATES
    lookups = sorted(profile.entities, key=lambda e: (-profile.entities[e], e))[
        : settings.RELATED_ENTITY_LOOKUPS
    ]
    found: dict[int, list[int]] = defaultdict(list)
    exact: dict[int, int] = {}
    index = entity_index()
    for entity_id in lookups:
        ids, complete = index.nearest_articles(entity_id, pivot=profile.article_id, limit=cap)
        if complete:
            # The whole range was read: its length is the entity's frequency (the article included).
            exact[entity_id] = len(ids) + 1
        for article_id in ids:
            found[article_id].append(entity_id)
    return found, exact


def text_candidates(profile: scoring.Profile, vector: dict[str, float]) -> list[int]:
    """Stories sharing the article's most distinctive keywords and those nearest it (PostgreSQL), or the
    ``RELATED_CANDIDATE_WINDOW`` nearest (SQLite)."""
    limit = settings.RELATED_TEXT_CANDIDATES
    nearest = Article.objects.published().values_list("id", flat=True)
    if connection.vendor != "postgresql":
        return nearest_ids(nearest, "id", profile.article_id, settings.RELATED_CANDIDATE_WINDOW)[0]
    # The stories published around it too: a bounded range of the primary key, whatever words they use.
    around = nearest_ids(nearest, "id", profile.article_id, settings.RELATED_RECENT_CANDIDATES)[0]
    terms = sorted(vector, key=lambda t: (-vector[t], t))[: settings.RELATED_TEXT_QUERY_TERMS]
    if not terms:
        return around
    query = SearchQuery(terms[0], search_type="plain", config=SEARCH_CONFIG)
    for term in terms[1:]:
        query |= SearchQuery(term, search_type="plain", config=SEARCH_CONFIG)
    matches = (
        Article.objects.published()
        .alias(search=SearchDocument())
        .filter(search=query)
        .exclude(pk=profile.article_id)
        .order_by()
        .values_list("id", flat=True)
    )
    sql, params = matches.query.sql_with_params()
    # Materialised, so the planner takes the index's matches and never walks the table in id order.
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH matches AS MATERIALIZED ({sql}) SELECT id FROM matches ORDER BY abs(id - %s) LIMIT %s",  # noqa: S608
            [*params, profile.article_id, limit],
        )
        return [row[0] for row in cursor.fetchall()] + around


def excluded_targets(article: Article) -> set[int]:
    """Stories that must not be computed links of ``article``: itself and those its editors' links name."""
    excluded = {article.pk}
    excluded.update(
        RelatedLink.objects.filter(from_article=article, to_article__isnull=False)
        .exclude(kind=RelatedLink.Kind.COMPUTED)
        .values_list("to_article_id", flat=True)
    )
    return excluded


def article_neighbourhood(article: Article, *, params: scoring.ScoringParams | None = None) -> Neighbourhood:
    """The article's candidates, scored against it, best first (those under the minimum dropped)."""
    params = params or scoring_params()
    profile, names = article_profile(article)
    excluded = excluded_targets(article)
    by_entity, exact = entity_candidates(profile)
    frequencies = entity_frequencies(profile.entities, exact=exact)
    size = corpus_size()
    rarity = {e: scoring.entity_rarity(n, size) for e, n in frequencies.items()}
    statistics = term_frequencies(size)

    # The entity candidates most likely to score: the most (and rarest) shared entities.
    pre_scores = {pk: sum(rarity.get(e, 0.0) for e in entities) for pk, entities in by_entity.items()}
    ids = [pk for pk in pre_scores if pk not in excluded]
    ids.sort(key=lambda pk: (-pre_scores[pk], -pk))
    ids = ids[: settings.RELATED_MAX_CANDIDATES]

    idf, default_idf = term_idf(profile.keywords, statistics)
    own_vector = scoring.text_vector(profile.keywords, idf, default_idf)
    ids.extend(pk for pk in text_candidates(profile, own_vector) if pk not in excluded)
    candidates = candidate_profiles(dict.fromkeys(ids), entity_ids=profile.entities)

    terms = {t for c in candidates.values() for t in c.keywords} - set(idf)
    more_idf, _ = term_idf(terms, statistics)
    idf.update(more_idf)
    vectors = {profile.article_id: own_vector}
    ranked = []
    for candidate in candidates.values():
        vectors[candidate.article_id] = scoring.text_vector(candidate.keywords, idf, default_idf)
        score = scoring.score_pair(profile, candidate, rarity=rarity, vectors=vectors, params=params)
        if score.total >= params.min_score:
            ranked.append((candidate, score))
    ranked.sort(key=lambda item: (-item[1].total, -item[0].article_id))
    return Neighbourhood(profile=profile, ranked=ranked, entity_names=names)


def blocked_or_linked(from_ids, *, target: Article) -> set[int]:
    """Which of ``from_ids`` already list ``target`` by hand (pinned, found) or block it."""
    return set(
        RelatedLink.objects.filter(Q(from_article_id__in=list(from_ids)), to_article=target)
        .exclude(kind=RelatedLink.Kind.COMPUTED)
        .values_list("from_article_id", flat=True)
    )
