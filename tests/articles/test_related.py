"""Related lists: scores and their reasons, rarity, recency, story clusters, editors' links, incremental upkeep."""

import datetime as dt

import pytest
from django.utils import timezone

from articles import services
from articles.models import Article, RelatedLink, StoryCluster, StoryFingerprint
from articles.related import scoring
from articles.related.cache import related_list, related_list_cached
from articles.related.candidates import scoring_params
from articles.related.display import related_items
from articles.related.lists import Entry, diverse_top
from articles.related.refresh import article_related_refresh
from tests.factories import AgencyFactory, ArticleFactory, EntityFactory, MentionFactory, RelatedLinkFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
SYRIA = ["syria", "assad", "strikes", "latakia", "damascus", "rebels", "moscow", "kremlin"]
OIL = ["oil", "opec", "barrel", "prices", "brent", "output", "kuwait", "crude"]


def story(keywords=(), entities=(), *, days_ago=0, agency=None, status=Article.Status.PUBLISHED, **kwargs):
    """A story with these keywords and (entity, count) mentions, published ``days_ago`` days ago."""
    # The body says what the keywords say, so the full-text index (PostgreSQL) finds it too.
    kwargs.setdefault("body_text", "The story of " + ", ".join(keywords) + ".")
    article = ArticleFactory(
        keywords=list(keywords),
        published_at=NOW - dt.timedelta(days=days_ago),
        status=status,
        **({"agency": agency} if agency else {}),
        **kwargs,
    )
    for entity, count in entities:
        MentionFactory(article=article, entity=entity, count=count)
    return article


def computed(article):
    return list(
        RelatedLink.objects.filter(from_article=article, kind=RelatedLink.Kind.COMPUTED)
        .order_by("position")
        .values_list("to_article_id", flat=True)
    )


def refresh_all(*articles):
    for article in articles:
        article_related_refresh(article=article)


def cluster(*articles):
    group = StoryCluster.objects.create()
    for article in articles:
        StoryFingerprint.objects.create(article=article, signature=b"\0" * 8, shingles=20, cluster=group)
    return group


# --- Scoring (pure) -------------------------------------------------------------------------


def test_rarity_is_one_for_an_entity_only_one_story_names_and_falls_as_more_do():
    assert scoring.entity_rarity(1, 1000) == pytest.approx(1 - (0.6931 / 6.9088), abs=1e-3)
    values = [scoring.entity_rarity(df, 1000) for df in (1, 10, 100, 1000)]
    assert values == sorted(values, reverse=True)
    assert values[-1] == 0.0


def test_recency_halves_the_decaying_part_at_each_half_life():
    a = NOW
    factor, days = scoring.recency(a, a - dt.timedelta(days=14), half_life_days=14, floor=0.2)
    assert days == pytest.approx(14)
    assert factor == pytest.approx(0.2 + 0.8 * 0.5)
    assert scoring.recency(a, a, half_life_days=14, floor=0.2)[0] == pytest.approx(1.0)
    assert scoring.recency(a, None, half_life_days=14, floor=0.2) == (0.2, None)


def test_a_pair_scores_the_same_from_either_side():
    a = scoring.Profile(1, {10: 3, 11: 1}, SYRIA, NOW)
    b = scoring.Profile(2, {10: 1, 12: 2}, SYRIA[::-1], NOW - dt.timedelta(days=3))
    vectors = {p.article_id: scoring.text_vector(p.keywords, {"assad": 3.0}, default_idf=1.5) for p in (a, b)}
    rarity = {10: 0.8, 11: 0.5, 12: 0.5}
    params = scoring.ScoringParams()
    ab = scoring.score_pair(a, b, rarity=rarity, vectors=vectors, params=params)
    ba = scoring.score_pair(b, a, rarity=rarity, vectors=vectors, params=params)
    assert ab.total == pytest.approx(ba.total)
    assert ab.entities == [(10, pytest.approx(0.8))]


def test_a_cluster_takes_one_place_and_keeps_its_other_takes_for_also_from():
    entries = [Entry(1, 0.9, 7), Entry(2, 0.8, 7), Entry(3, 0.7, None), Entry(4, 0.6, 7), Entry(5, 0.5, None)]
    chosen = diverse_top(entries, limit=2, per_cluster=1)
    assert [e.target_id for e in chosen] == [1, 2, 3]


# --- Scores and reasons ---------------------------------------------------------------------


def test_a_computed_link_stores_its_score_and_the_reasons_for_it(settings):
    assad, syria = EntityFactory(name="Bashar al-Assad"), EntityFactory(name="Syria", type="place")
    article = story(SYRIA, [(assad, 3), (syria, 2)])
    neighbour = story(SYRIA[:6], [(assad, 1), (syria, 4)], days_ago=2)
    story(OIL)  # unrelated: shares nothing

    article_related_refresh(article=article)

    link = RelatedLink.objects.get(from_article=article, kind=RelatedLink.Kind.COMPUTED)
    assert link.to_article == neighbour
    reasons = link.reasons
    assert link.score == pytest.approx(reasons["score"]) and link.score > 0
    assert {e["name"] for e in reasons["entities"]} == {"Bashar al-Assad", "Syria"}
    assert all(e["weight"] > 0 for e in reasons["entities"])
    assert reasons["entity_score"] > 0 and reasons["text_score"] > 0
    assert {t["term"] for t in reasons["terms"]} <= set(SYRIA[:6])
    assert reasons["days_apart"] == pytest.approx(2, abs=0.1)
    assert 0 < reasons["recency"] < 1
    params = scoring_params()
    weights = params.entity_weight, params.text_weight
    expected = (weights[0] * reasons["entity_score"] + weights[1] * reasons["text_score"]) * reasons[
        "recency"
    ]
    assert reasons["score"] == pytest.approx(expected, abs=1e-3)


def test_a_rare_shared_entity_outweighs_a_common_one():
    common, rare = EntityFactory(name="United States"), EntityFactory(name="Latakia")
    for _ in range(12):
        story(["filler"], [(common, 1)])
    # Both neighbours say the same words: only what their shared entity is worth differs.
    words = ["talks", "ceasefire", "geneva", "envoy"]
    article = story(words, [(common, 1), (rare, 1)])
    shares_rare = story(words, [(rare, 1)])
    shares_common = story(words, [(common, 1)])

    article_related_refresh(article=article)

    links = {link.to_article_id: link for link in RelatedLink.objects.filter(from_article=article)}
    assert shares_rare.pk in links
    weight = {
        pk: link.reasons["entities"][0]["weight"]
        for pk, link in links.items()
        if pk in (shares_rare.pk, shares_common.pk)
    }
    assert weight[shares_rare.pk] > 3 * weight[shares_common.pk]
    assert computed(article) == [shares_rare.pk, shares_common.pk]


def test_recency_decay_ranks_the_story_nearer_in_time_first(settings):
    settings.RELATED_SCORING = {"half_life_days": 7, "recency_floor": 0.3}
    entity = EntityFactory(name="Hassan Rouhani")
    article = story(SYRIA, [(entity, 2)])
    old = story(SYRIA, [(entity, 2)], days_ago=30)
    recent = story(SYRIA, [(entity, 2)], days_ago=1)

    article_related_refresh(article=article)

    assert computed(article) == [recent.pk, old.pk]
    factors = {
        link.to_article_id: link.reasons["recency"]
        for link in RelatedLink.objects.filter(from_article=article)
    }
    assert factors[old.pk] == pytest.approx(0.3 + 0.7 * 0.5 ** (30 / 7), abs=1e-3)


def test_stories_below_the_minimum_score_are_not_linked(settings):
    settings.RELATED_SCORING = {"min_score": 0.99}
    article = story(SYRIA)
    story(SYRIA[:3])
    article_related_refresh(article=article)
    assert computed(article) == []


# --- Story clusters ---------------------------------------------------------------------------


def test_takes_of_one_story_are_shown_once_with_the_other_agencies_as_also_from():
    entity = EntityFactory(name="Vladimir Putin")
    article = story(SYRIA, [(entity, 2)])
    takes = [
        story(SYRIA, [(entity, 2)], days_ago=1, agency=AgencyFactory(name=name))
        for name in ("Reuters", "AFP", "AP")
    ]
    other = story(SYRIA[:5], [(entity, 1)], days_ago=1)
    cluster(*takes)

    article_related_refresh(article=article)
    items = related_items(article=article, limit=5)

    assert [item.article_id for item in items] == [takes[2].pk, other.pk]
    assert items[0].also_from == ["AFP", "Reuters"]
    assert items[1].also_from == []
    # All takes are stored (the cluster holds one place), so a withdrawn take is replaced by another.
    assert set(computed(article)) == {*(t.pk for t in takes), other.pk}


def test_when_the_shown_take_is_withdrawn_another_take_of_the_story_takes_its_place(
    django_capture_on_commit_callbacks,
):
    entity = EntityFactory(name="Vladimir Putin")
    article = story(SYRIA, [(entity, 2)])
    first = story(SYRIA, [(entity, 2)], agency=AgencyFactory(name="Reuters"))
    second = story(SYRIA, [(entity, 2)], days_ago=1, agency=AgencyFactory(name="AFP"))
    cluster(first, second)
    article_related_refresh(article=article)

    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(article=first, by=None)

    items = related_items(article=article)
    assert [item.article_id for item in items] == [second.pk]
    assert items[0].also_from == []


# --- Editors rule -------------------------------------------------------------------------------


def test_pinned_links_come_first_in_the_editors_order_and_are_not_repeated_as_computed():
    entity = EntityFactory(name="Angela Merkel")
    article = story(SYRIA, [(entity, 2)])
    best = story(SYRIA, [(entity, 2)])
    second = story(SYRIA[:6], [(entity, 1)])
    pinned_late = story(OIL)
    RelatedLinkFactory(from_article=article, to_article=pinned_late, kind=RelatedLink.Kind.PINNED, position=0)
    RelatedLinkFactory(from_article=article, to_article=best, kind=RelatedLink.Kind.PINNED, position=1)

    article_related_refresh(article=article)

    items = related_items(article=article)
    assert [item.article_id for item in items] == [pinned_late.pk, best.pk, second.pk]
    assert [item.kind for item in items] == ["editor", "editor", "computed"]
    assert best.pk not in computed(article)


def test_a_blocked_story_never_appears_and_recomputation_never_adds_it_back(
    django_capture_on_commit_callbacks,
):
    entity = EntityFactory(name="Recep Tayyip Erdogan")
    article = story(SYRIA, [(entity, 2)])
    blocked = story(SYRIA, [(entity, 2)])
    kept = story(SYRIA[:6], [(entity, 1)])
    RelatedLink.objects.create(
        from_article=article, to_article=blocked, kind=RelatedLink.Kind.FOUND_ON_PAGE, url="https://x.test/a"
    )
    RelatedLink.objects.create(from_article=article, to_article=blocked, kind=RelatedLink.Kind.BLOCKED)

    with django_capture_on_commit_callbacks(execute=True):
        refresh_all(article, blocked, kept)
        services.article_publish(article=blocked, by=None)  # its refresh offers it to its neighbours again

    assert blocked.pk not in computed(article)
    assert [item.article_id for item in related_items(article=article)] == [kept.pk]
    # The block is one-way: the blocked story still lists the article.
    assert article.pk in computed(blocked)


def test_a_blocked_url_hides_the_link_found_on_the_page():
    article = story(SYRIA)
    RelatedLink.objects.create(
        from_article=article, kind=RelatedLink.Kind.FOUND_ON_PAGE, url="https://spam.test/x", title="Spam"
    )
    RelatedLink.objects.create(from_article=article, kind=RelatedLink.Kind.BLOCKED, url="https://spam.test/x")
    assert related_items(article=article) == []


def test_links_found_on_the_page_are_kept_as_their_own_kind_by_a_refresh():
    article = story(SYRIA)
    RelatedLink.objects.create(
        from_article=article, kind=RelatedLink.Kind.FOUND_ON_PAGE, url="https://elsewhere.test/a", title="A"
    )
    story(SYRIA)
    article_related_refresh(article=article)
    kinds = [item.kind for item in related_items(article=article)]
    assert kinds == ["found", "computed"]


# --- Incremental upkeep ---------------------------------------------------------------------------


def test_a_new_story_enters_only_the_lists_it_beats(settings, django_capture_on_commit_callbacks):
    settings.RELATED_LIMIT = 2
    putin, opec = EntityFactory(name="Vladimir Putin"), EntityFactory(name="OPEC", type="organization")
    # A list of weak neighbours, which the new story beats...
    weak = story(SYRIA, [(putin, 1)])
    story(SYRIA[4:], [(putin, 1)])
    story(SYRIA[5:])
    # ... a list of strong neighbours that it does not beat ...
    strong = story(OIL, [(opec, 3)])
    story(OIL, [(opec, 3)])
    story(OIL, [(opec, 3)])
    # ... and a story it is not related to at all.
    unrelated = story(["football", "league", "goal"])
    everything = list(Article.objects.all())
    refresh_all(*everything)
    before = {a.pk: computed(a) for a in everything}
    rows_before = {
        a.pk: list(RelatedLink.objects.filter(from_article=a).values_list("id", flat=True))
        for a in everything
    }

    new = story(SYRIA, [(putin, 2)], status=Article.Status.DRAFT, headline="New")
    new.keywords = SYRIA + OIL[:2]
    new.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=new, by=None)

    assert new.pk in computed(weak)
    assert computed(new)[0] == weak.pk
    changed = {a.pk for a in everything if computed(a) != before[a.pk]}
    assert strong.pk not in changed and unrelated.pk not in changed
    assert new.pk not in computed(strong)
    # Lists it did not enter were not even rewritten.
    for article in (strong, unrelated):
        assert (
            list(RelatedLink.objects.filter(from_article=article).values_list("id", flat=True))
            == rows_before[article.pk]
        )


def test_refreshing_twice_writes_the_same_lists():
    entity = EntityFactory(name="Ban Ki-moon")
    stories = [story(SYRIA[: 8 - n], [(entity, 1 + n % 2)], days_ago=n) for n in range(5)]
    refresh_all(*stories)
    first = {a.pk: computed(a) for a in stories}
    refresh_all(*stories)
    assert {a.pk: computed(a) for a in stories} == first


def test_an_edit_that_makes_a_story_unrelated_takes_it_out_of_the_lists_and_refills_them(
    django_capture_on_commit_callbacks,
):
    entity = EntityFactory(name="John Kerry")
    article = story(SYRIA, [(entity, 2)])
    edited = story(SYRIA, [(entity, 2)])
    refresh_all(article, edited)
    assert edited.pk in computed(article)

    edited.keywords = ["football", "league"]
    edited.save()
    edited.mentions.all().delete()
    other = story(SYRIA[:6], [(entity, 1)])
    with django_capture_on_commit_callbacks(execute=True):
        article_related_refresh(article=edited)

    assert edited.pk not in computed(article)
    # The list it left was refilled (a refresh of that list alone).
    assert other.pk in computed(article)


def test_unpublishing_removes_a_story_from_every_list_and_drops_their_cached_copies(
    django_capture_on_commit_callbacks,
):
    entity = EntityFactory(name="Francois Hollande")
    gone = story(SYRIA, [(entity, 2)])
    holders = [story(SYRIA, [(entity, 2)]) for _ in range(3)]
    pinned_by = story(OIL)
    RelatedLinkFactory(from_article=pinned_by, to_article=gone, kind=RelatedLink.Kind.PINNED)
    refresh_all(gone, *holders)
    for article in [*holders, pinned_by]:
        assert gone.pk in [item["article_id"] for item in related_list(article=article).items]
        assert related_list_cached(article_id=article.pk) is not None

    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(article=gone, by=None)

    assert not RelatedLink.objects.filter(to_article=gone, kind=RelatedLink.Kind.COMPUTED).exists()
    assert not RelatedLink.objects.filter(from_article=gone, kind=RelatedLink.Kind.COMPUTED).exists()
    for article in [*holders, pinned_by]:
        assert related_list_cached(article_id=article.pk) is None
        assert gone.pk not in [item["article_id"] for item in related_list(article=article).items]
    assert related_list_cached(article_id=gone.pk) is None
    # The editor's pin is kept (hidden while the story is down), so republishing restores it.
    assert RelatedLink.objects.filter(from_article=pinned_by, to_article=gone, kind="editor").exists()


def test_a_refresh_of_a_story_off_the_site_takes_it_out_of_other_lists_but_keeps_its_own():
    entity = EntityFactory(name="Sergei Lavrov")
    article, other = story(SYRIA, [(entity, 1)]), story(SYRIA, [(entity, 1)])
    refresh_all(article, other)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    article_related_refresh(article=article)
    assert not RelatedLink.objects.filter(to_article=article, kind="computed").exists()
    # Its own list stays, so editors can pin and block before it goes live.
    assert computed(article) == [other.pk]


def test_a_killed_story_loses_its_own_list_too():
    entity = EntityFactory(name="Sergei Lavrov")
    article, other = story(SYRIA, [(entity, 1)]), story(SYRIA, [(entity, 1)])
    refresh_all(article, other)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.KILLED)
    article_related_refresh(article=article)
    assert not RelatedLink.objects.filter(to_article=article, kind="computed").exists()
    assert computed(article) == []


def test_publishing_runs_the_refresh_as_a_task_after_commit(django_capture_on_commit_callbacks):
    entity = EntityFactory(name="Hassan Rouhani")
    neighbour = story(SYRIA, [(entity, 1)])
    draft = story(SYRIA, [(entity, 1)], status=Article.Status.DRAFT)

    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.article_publish(article=draft, by=None)
    assert queued and computed(draft) == []
    for callback in queued:
        callback()

    assert computed(draft) == [neighbour.pk]
    assert computed(neighbour) == [draft.pk]


def test_candidates_come_from_the_indexes_not_from_every_stored_story(
    settings, django_assert_max_num_queries
):
    settings.RELATED_CANDIDATE_WINDOW = 5
    settings.RELATED_TEXT_CANDIDATES = 5
    entity = EntityFactory(name="Bashar al-Assad")
    far = story(SYRIA, [(entity, 2)])
    for _ in range(20):
        story(["unrelated", "words"])
    article = story(SYRIA, [(entity, 2)])
    # The old story sharing a named entity is found through the entity index, however far back.
    with django_assert_max_num_queries(30):
        article_related_refresh(article=article, propagate=False)
    assert computed(article) == [far.pk]


# --- On the real services ------------------------------------------------------------------------


@pytest.mark.services
def test_a_worker_relates_a_published_story_and_unpublishing_empties_the_cached_lists(celery_worker_process):
    from tests.conftest import wait_for

    entity = EntityFactory(name="Ashton Carter")
    neighbour = story(SYRIA, [(entity, 2)])
    draft = story(SYRIA, [(entity, 2)], status=Article.Status.DRAFT)
    assert related_list(article=neighbour).items == []  # cached, in Redis

    services.article_publish(article=draft, by=None)

    # The refresh ran on the worker: both lists hold the other, and the cached copy was dropped.
    assert wait_for(lambda: computed(neighbour) == [draft.pk] and computed(draft) == [neighbour.pk])
    assert wait_for(lambda: related_list_cached(article_id=neighbour.pk) is None)
    assert [item["article_id"] for item in related_list(article=neighbour).items] == [draft.pk]

    services.article_unpublish(article=draft, by=None)
    assert related_list_cached(article_id=neighbour.pk) is None
    assert related_list(article=neighbour).items == []
    log = celery_worker_process.log_path.read_text(errors="replace")
    assert "Task articles.tasks.article_related_refresh_task[" in log
