"""Keeping related lists current: an article's own list, and its place in its neighbours' lists.

A refresh scores the article against its candidates (``candidates``), replaces its own computed
links, then offers it to each neighbour it scored against and to each list that already holds
it: a neighbour's list changes only where the article enters it (beating its weakest item, or
joining the takes of a story cluster it shows) or leaves it. A list left short is refilled by a
refresh of that list alone. Editors' links rule: a target an editor blocked, pinned or kept as
found on the page is never a computed link of that list. Cached lists that show the article
are dropped once the change commits.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from articles import pipeline
from articles.models import Article, RelatedLink
from articles.related import candidates, scoring
from articles.related.cache import related_cache_forget
from articles.related.lists import Entry, diverse_top, group_count

SCORER = "entities+text/v2"
REASON_ENTITIES = 8
REASON_TERMS = 8


def _reasons(score: scoring.Score, *, names: dict[int, str], cluster_id: int | None) -> dict:
    """What an editor reads beside a link: why it is there, number by number."""
    return {
        "scorer": SCORER,
        "score": round(score.total, 4),
        "relevance": round(score.relevance, 4),
        "entity_score": round(score.entity, 4),
        "entities": [
            {"id": entity_id, "name": names.get(entity_id, ""), "weight": round(weight, 4)}
            for entity_id, weight in score.entities[:REASON_ENTITIES]
        ],
        "text_score": round(score.text, 4),
        "terms": [{"term": term, "weight": round(weight, 4)} for term, weight in score.terms[:REASON_TERMS]],
        "recency": round(score.recency, 4),
        "days_apart": round(score.days_apart, 1) if score.days_apart is not None else None,
        "cluster": cluster_id,
    }


def _list_limit() -> int:
    return settings.RELATED_LIMIT


def article_related_refresh(*, article: Article, propagate: bool = True) -> list[RelatedLink]:
    """Recompute ``article``'s computed links and, with ``propagate``, its place in its neighbours' lists.

    A story still on the desk (draft, in review, ready, scheduled) gets its own list, so editors
    can pin and block before it goes live, but enters no other list; a killed or archived one
    leaves them all. Running it again on unchanged data writes the same rows.
    """
    article = Article.objects.filter(pk=article.pk).first()
    if article is None:
        return []
    if article.status in (Article.Status.KILLED, Article.Status.ARCHIVED):
        article_related_withdraw(article=article)
        return []
    if article.status != Article.Status.PUBLISHED:
        article_related_withdraw(article=article, keep_own=True)
        propagate = False
    hood = candidates.article_neighbourhood(article)
    limit, per_cluster = _list_limit(), settings.RELATED_ALSO_FROM_MAX
    by_id = {candidate.article_id: (candidate, score) for candidate, score in hood.ranked}
    chosen = diverse_top(
        (Entry(pk, score.total, candidate.cluster_id) for pk, (candidate, score) in by_id.items()),
        limit=limit,
        per_cluster=per_cluster,
    )
    touched = {article.pk}
    backfill: set[int] = set()
    with transaction.atomic():
        neighbours = [pk for pk, _ in by_id.items()][: settings.RELATED_OFFER_LIMIT] if propagate else []
        holders = (
            set(
                RelatedLink.objects.filter(to_article=article, kind=RelatedLink.Kind.COMPUTED).values_list(
                    "from_article_id", flat=True
                )
            )
            if propagate
            else set()
        )
        # Every list this refresh may write is locked, in id order, so concurrent refreshes queue.
        list(
            Article.objects.select_for_update(no_key=True)
            .filter(pk__in=[article.pk, *neighbours, *holders])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        RelatedLink.objects.filter(from_article=article, kind=RelatedLink.Kind.COMPUTED).delete()
        links = RelatedLink.objects.bulk_create(
            RelatedLink(
                from_article=article,
                to_article_id=entry.target_id,
                kind=RelatedLink.Kind.COMPUTED,
                score=round(entry.score, 4),
                position=position,
                reasons=_reasons(
                    by_id[entry.target_id][1], names=hood.entity_names, cluster_id=entry.cluster_id
                ),
            )
            for position, entry in enumerate(chosen)
        )
        if propagate:
            offers = {pk: by_id[pk][1] for pk in neighbours}
            changed, backfill = _neighbours_offer(
                article=article,
                hood=hood,
                offers=offers,
                holders=holders,
                limit=limit,
                per_cluster=per_cluster,
            )
            touched |= changed
    # Lists that show the article by any kind of link show its new headline and status too.
    touched.update(RelatedLink.objects.filter(to_article=article).values_list("from_article_id", flat=True))
    _after_commit(forget=touched, backfill=backfill - {article.pk})
    return links


def _neighbours_offer(
    *,
    article: Article,
    hood: candidates.Neighbourhood,
    offers: dict[int, scoring.Score],
    holders: set[int],
    limit: int,
    per_cluster: int,
) -> tuple[set[int], set[int]]:
    """Put ``article`` into the neighbours' lists it now belongs in and out of the others.

    Returns the lists that changed and those left with fewer items than the limit.
    """
    lists = set(offers) | holders
    if not lists:
        return set(), set()
    refused = candidates.blocked_or_linked(lists, target=article)
    rows = defaultdict(list)
    for row in RelatedLink.objects.filter(
        from_article_id__in=lists, kind=RelatedLink.Kind.COMPUTED
    ).values_list("id", "from_article_id", "to_article_id", "score", "position", "reasons__cluster"):
        rows[row[1]].append(row)

    cluster_id = hood.profile.cluster_id
    changed, short = set(), set()
    creates, deletes, moves = [], [], []
    for list_id in sorted(lists):
        current = [row for row in rows[list_id] if row[2] != article.pk]
        mine = next((row for row in rows[list_id] if row[2] == article.pk), None)
        entries = [Entry(row[2], row[3], row[5]) for row in current]
        score = offers.get(list_id)
        if score is not None and list_id not in refused:
            entries.append(Entry(article.pk, round(score.total, 4), cluster_id))
        final = diverse_top(entries, limit=limit, per_cluster=per_cluster)
        kept = {entry.target_id: position for position, entry in enumerate(final)}
        if mine is None and article.pk not in kept and len(final) == len(current):
            continue  # the article does not enter this list: nothing to write
        changed.add(list_id)
        deletes.extend(row[0] for row in current if row[2] not in kept)
        if mine is not None and (article.pk not in kept):
            deletes.append(mine[0])
        for row in current:
            if row[2] in kept and row[4] != kept[row[2]]:
                moves.append(RelatedLink(pk=row[0], position=kept[row[2]]))
        if article.pk in kept:
            if mine is not None:
                deletes.append(mine[0])
            creates.append(
                RelatedLink(
                    from_article_id=list_id,
                    to_article=article,
                    kind=RelatedLink.Kind.COMPUTED,
                    score=round(score.total, 4),
                    position=kept[article.pk],
                    reasons=_reasons(score, names=hood.entity_names, cluster_id=cluster_id),
                )
            )
        if group_count(final) < limit and mine is not None and article.pk not in kept:
            short.add(list_id)
    RelatedLink.objects.filter(pk__in=deletes).delete()
    RelatedLink.objects.bulk_update(moves, ["position"])
    RelatedLink.objects.bulk_create(creates)
    return changed, short


def article_related_withdraw(*, article: Article, keep_own: bool = False) -> None:
    """Take ``article`` out of every computed list and (unless ``keep_own``) drop its own list.

    Lists that showed it forget their cache, and those it left are refilled.
    """
    with transaction.atomic():
        shown_in = set(
            RelatedLink.objects.filter(to_article=article).values_list("from_article_id", flat=True)
        )
        computed_in = set(
            RelatedLink.objects.filter(to_article=article, kind=RelatedLink.Kind.COMPUTED).values_list(
                "from_article_id", flat=True
            )
        )
        own = Q() if keep_own else Q(from_article=article)
        RelatedLink.objects.filter(Q(to_article=article) | own, kind=RelatedLink.Kind.COMPUTED).delete()
    _after_commit(forget={article.pk, *shown_in}, backfill=computed_in - {article.pk})


def article_related_links_edited(*, article: Article) -> None:
    """After an editor pinned, blocked or removed links: honour them now, refill the list after."""
    with transaction.atomic():
        by_hand = (
            RelatedLink.objects.filter(from_article=article, to_article__isnull=False)
            .exclude(kind=RelatedLink.Kind.COMPUTED)
            .values_list("to_article_id", flat=True)
        )
        RelatedLink.objects.filter(
            from_article=article, kind=RelatedLink.Kind.COMPUTED, to_article_id__in=list(by_hand)
        ).delete()
    backfill = {article.pk} if article.status == Article.Status.PUBLISHED else set()
    _after_commit(forget={article.pk}, backfill=backfill)


def _after_commit(*, forget: set[int], backfill: set[int]) -> None:
    """Once the change commits: cached lists that showed it are dropped, lists left short refilled."""
    forget = sorted(forget)
    transaction.on_commit(lambda: related_cache_forget(forget))
    pipeline.related_lists_short(article_ids=backfill)
