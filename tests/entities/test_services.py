"""Entity services: tagging articles, merging, renaming, blocking, the suggestion queue, knowledge."""

import pytest

from articles import pipeline
from articles.models import Article, RelatedLink
from entities import services
from entities.models import Alias, ArticleTagging, Entity, EntityRedirect, EntitySuggestion, Mention
from entities.selectors import aliases_version, entity_lookup
from entities.services import engine, mentions
from tests.entities.conftest import SEED, model_installed
from tests.factories import (
    AliasFactory,
    ArticleFactory,
    EntityFactory,
    EntitySuggestionFactory,
    MentionFactory,
)

pytestmark = pytest.mark.django_db

needs_model = pytest.mark.skipif(not model_installed(), reason="the spaCy model is not installed")


def mentions_of(article) -> dict[str, Mention]:
    return {m.entity.name: m for m in Mention.objects.filter(article=article).select_related("entity")}


def tag(article, capture):
    with capture(execute=True):
        return services.article_tag(article=article)


# --- Tagging ---------------------------------------------------------------------------------


def test_the_seed_story_is_tagged_with_each_person_organisation_and_place_once(
    seed_article, knowledge, seed_people, django_capture_on_commit_callbacks
):
    tagging = tag(seed_article, django_capture_on_commit_callbacks)

    found = mentions_of(seed_article)
    minimum = SEED["entities_minimum"]
    for kind in ("person", "organization"):
        for name in minimum[kind]:
            assert name in found, f"{name} not tagged"
            assert found[name].entity.type == kind
    places = {name for name, m in found.items() if m.entity.type == "place"}
    missing = {p for p in minimum["place"] if p not in places and p != "Deir Ezzor"}
    assert not missing
    # Deir Ezzor is stored under its geonames spelling, with the story's spelling as an alias.
    assert Alias.objects.filter(text="Deir Ezzor", entity__in=[found[p].entity for p in places]).exists()
    # One row per entity, however many aliases the story used for it.
    assert len(found) == Mention.objects.filter(article=seed_article).count()
    putin = found["Vladimir Putin"]
    assert putin.count >= 5  # "President Vladimir Putin", "Russian President Vladimir Putin", "Putin" x3
    assert found["Francois Hollande"].count == 2  # "President Francois Hollande", "Hollande"
    assert found["Islamic State"].count >= 8  # "Islamic State group", "IS", "ISIL"
    assert tagging.mentions == len(found)
    assert tagging.error == ""
    assert tagging.tagged_at is not None


def test_mention_spans_point_at_the_names_in_the_headline_and_body(
    seed_article, knowledge, seed_people, django_capture_on_commit_callbacks
):
    tag(seed_article, django_capture_on_commit_callbacks)

    text = services.article_tagging_text(seed_article)
    putin = Mention.objects.get(article=seed_article, entity__name="Vladimir Putin")
    surfaces = {text[start:end] for start, end in putin.spans}
    assert "Putin" in surfaces
    assert any("Vladimir Putin" in surface for surface in surfaces)
    assert len(putin.spans) == putin.count
    # The headline's "Putin" comes first: spans count from the start of the headline.
    assert putin.spans[0][0] < len(seed_article.headline)


def test_tagging_twice_writes_the_same_rows(
    seed_article, knowledge, seed_people, django_capture_on_commit_callbacks
):
    def snapshot():
        mentions = Mention.objects.filter(article=seed_article).order_by("entity_id")
        suggestions = EntitySuggestion.objects.filter(article=seed_article).order_by("name")
        return (
            [(m.entity_id, m.count, m.spans, m.confidence, m.method) for m in mentions],
            [(s.name, s.type, s.count, s.examples) for s in suggestions],
        )

    tag(seed_article, django_capture_on_commit_callbacks)
    first = snapshot()
    tag(seed_article, django_capture_on_commit_callbacks)

    assert snapshot() == first
    assert first[0]
    assert ArticleTagging.objects.filter(article=seed_article).count() == 1


def test_tagging_replaces_mentions_the_new_text_no_longer_has(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        paris = EntityFactory(name="Paris", type="place")
        london = EntityFactory(name="London", type="place")
    article = ArticleFactory(headline="Talks in Paris", body_text="Ministers met in Paris on Monday.")
    tag(article, django_capture_on_commit_callbacks)
    assert set(mentions_of(article)) == {"Paris"}

    article.body_text = "Ministers met in London on Monday."
    article.headline = "Talks in London"
    article.save()
    tag(article, django_capture_on_commit_callbacks)

    assert set(mentions_of(article)) == {"London"}
    assert not Mention.objects.filter(entity=paris).exists()
    assert Mention.objects.get(entity=london).count == 2


@needs_model
def test_names_the_model_finds_that_match_no_entity_become_suggestions_per_article(
    knowledge, django_capture_on_commit_callbacks
):
    first = ArticleFactory(
        headline="Minister visits Paris",
        body_text="Foreign Minister Helmut Brandauer arrived in Paris on Monday. Brandauer met officials.",
    )
    second = ArticleFactory(
        headline="Talks in Berlin",
        body_text="Helmut Brandauer said on Tuesday in Berlin that talks would continue.",
    )

    tag(first, django_capture_on_commit_callbacks)
    tag(second, django_capture_on_commit_callbacks)

    suggested = EntitySuggestion.objects.filter(name="Helmut Brandauer", type="person")
    assert {s.article_id for s in suggested} == {first.pk, second.pk}
    assert all(s.status == EntitySuggestion.Status.OPEN and s.examples for s in suggested)
    # Never merged across articles, never made an entity on its own.
    assert not Entity.objects.filter(name="Helmut Brandauer").exists()
    assert "Helmut Brandauer" not in mentions_of(first)


def test_an_alias_added_after_a_tagging_is_used_by_the_next_one(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        islamic_state = EntityFactory(name="Islamic State", type="organization")
    article = ArticleFactory(headline="Strikes on Daesh", body_text="Jets struck Daesh positions overnight.")
    tag(article, django_capture_on_commit_callbacks)
    assert "Islamic State" not in mentions_of(article)
    version = aliases_version()

    with django_capture_on_commit_callbacks(execute=True):
        AliasFactory(entity=islamic_state, text="Daesh")
    assert aliases_version() != version
    tag(article, django_capture_on_commit_callbacks)

    assert mentions_of(article)["Islamic State"].count == 2


def test_the_alias_version_changes_only_once_the_change_is_committed(django_capture_on_commit_callbacks):
    version = aliases_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        EntityFactory(name="Angela Merkel")
        assert aliases_version() == version
    assert callbacks
    for callback in callbacks:
        callback()
    assert aliases_version() != version


def test_a_crash_while_tagging_is_recorded_and_the_related_refresh_still_runs(
    monkeypatch, django_capture_on_commit_callbacks
):
    article = ArticleFactory(headline="Story one", body_text="Talks on oil prices continued.")
    ArticleFactory(headline="Story two", body_text="Talks on oil prices continued.")
    article.keywords = ["talks", "oil", "prices"]
    article.save()
    Article.objects.exclude(pk=article.pk).update(keywords=["talks", "oil", "prices"])

    def broken(*args, **kwargs):
        raise RuntimeError("matcher exploded")

    monkeypatch.setattr(mentions, "tagger_get", broken)
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.article_edited(article_id=article.pk, published=True, text=True, body=False)

    tagging = ArticleTagging.objects.get(article=article)
    assert "matcher exploded" in tagging.error
    assert RelatedLink.objects.filter(from_article=article, kind=RelatedLink.Kind.COMPUTED).exists()


# --- The pipeline ----------------------------------------------------------------------------


def test_extraction_is_followed_by_tagging_and_then_the_related_refresh(
    knowledge, seed_people, monkeypatch, django_capture_on_commit_callbacks
):
    from articles import services as article_services
    from articles.related import refresh as related
    from tests.conftest import REPO_ROOT

    seen_at_refresh = []
    original = related.article_related_refresh

    def spy(*, article):
        seen_at_refresh.append(Mention.objects.filter(article=article).count())
        return original(article=article)

    monkeypatch.setattr(related, "article_related_refresh", spy)
    # A page extraction flags nothing, so it is published as it is extracted (the seed waits for review).
    content = (
        REPO_ROOT / "fixtures" / "demo" / "stories" / "36-eu-leaders-back-migration-plan-with-turkey.html"
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = article_services.raw_document_ingest(
            content=content.read_bytes(), source="eu.html", content_type="text/html", publish=True
        )

    article = Article.objects.get(raw_document=result.raw_document)
    assert article.status == Article.Status.PUBLISHED
    found = mentions_of(article)
    assert {"Turkey", "European Union"} <= set(found)
    # The refresh ran once, after the tags were written.
    assert seen_at_refresh and seen_at_refresh[0] == len(found)


def test_a_story_in_review_is_tagged_after_extraction(knowledge, django_capture_on_commit_callbacks):
    from articles import services as article_services
    from tests.conftest import REPO_ROOT

    content = (REPO_ROOT / "fixtures" / "seed" / "page.txt").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        result = article_services.raw_document_ingest(content=content, source="seed/page.txt")

    article = Article.objects.get(raw_document=result.raw_document)
    assert article.status == Article.Status.NEEDS_REVIEW
    assert "Syria" in mentions_of(article)


# --- Merge -------------------------------------------------------------------------------------


def test_merge_moves_mentions_and_aliases_and_sums_counts_where_both_are_mentioned():
    target = EntityFactory(name="Islamic State", type="organization")
    source = EntityFactory(name="ISIL", type="organization", wikidata_id="Q2429253")
    AliasFactory(entity=source, text="Islamic State of Iraq and the Levant")
    AliasFactory(entity=source, text="IS")
    AliasFactory(entity=target, text="IS")
    both = ArticleFactory()
    only_source = ArticleFactory()
    MentionFactory(article=both, entity=target, count=3, spans=[[0, 2], [10, 12], [20, 22]], confidence=0.9)
    MentionFactory(
        article=both, entity=source, count=2, spans=[[30, 34], [40, 44]], confidence=0.95, method="link"
    )
    MentionFactory(article=only_source, entity=source, count=1, spans=[[5, 9]])
    source_id, source_slug = source.pk, source.slug

    services.entity_merge(source=source, target=target, by=None)

    assert not Entity.objects.filter(pk=source_id).exists()
    merged = Mention.objects.get(article=both)
    assert merged.entity_id == target.pk
    assert merged.count == 5
    assert merged.spans == [[0, 2], [10, 12], [20, 22], [30, 34], [40, 44]]
    assert (merged.confidence, merged.method) == (0.95, "link")
    assert Mention.objects.get(article=only_source).entity_id == target.pk
    assert sorted(target.aliases.values_list("text", flat=True)) == [
        "IS",
        "ISIL",
        "Islamic State of Iraq and the Levant",
    ]
    target.refresh_from_db()
    assert target.wikidata_id == "Q2429253"
    redirect = EntityRedirect.objects.get(old_slug=source_slug)
    assert (redirect.entity, redirect.old_id, redirect.old_name, redirect.reason) == (
        target,
        source_id,
        "ISIL",
        "merged",
    )


def test_an_old_slug_and_an_old_id_resolve_after_merges_in_a_chain():
    first = EntityFactory(name="Daesh", type="organization")
    second = EntityFactory(name="ISIL", type="organization")
    final = EntityFactory(name="Islamic State", type="organization")
    first_id = first.pk

    services.entity_merge(source=first, target=second, by=None)
    services.entity_merge(source=second, target=final, by=None)

    for old in ("daesh", "isil", str(first_id)):
        lookup = entity_lookup(slug=old)
        assert lookup is not None and lookup.entity == final and lookup.moved, old
    assert entity_lookup(slug="islamic-state").moved is False
    assert entity_lookup(slug="no-such-thing") is None


def test_text_using_a_merged_name_is_tagged_as_the_entity_it_was_merged_into(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        target = EntityFactory(name="Francois Hollande")
        source = EntityFactory(name="François Hollande")
        services.entity_merge(source=source, target=target, by=None)
    article = ArticleFactory(headline="Visit", body_text="François Hollande visited Berlin.")

    tag(article, django_capture_on_commit_callbacks)

    assert mentions_of(article)["Francois Hollande"].count == 1


def test_merging_into_itself_or_into_a_blocked_entity_is_refused():
    entity = EntityFactory()
    blocked = EntityFactory(status=Entity.Status.BLOCKED)

    with pytest.raises(services.EntityError):
        services.entity_merge(source=entity, target=entity, by=None)
    with pytest.raises(services.EntityError):
        services.entity_merge(source=entity, target=blocked, by=None)
    assert Entity.objects.filter(pk=entity.pk).exists()


# --- Rename ------------------------------------------------------------------------------------


def test_rename_changes_name_and_slug_keeps_the_old_name_as_an_alias_and_redirects_the_old_slug(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        entity = EntityFactory(name="Burma", type="place")
        services.entity_rename(entity=entity, name="Myanmar", by=None)

    entity.refresh_from_db()
    assert (entity.name, entity.slug) == ("Myanmar", "myanmar")
    assert list(entity.aliases.values_list("text", flat=True)) == ["Burma"]
    assert entity_lookup(slug="burma").entity == entity
    assert EntityRedirect.objects.get(old_slug="burma").reason == "renamed"
    article = ArticleFactory(headline="Elections", body_text="Voters in Burma went to the polls.")
    tag(article, django_capture_on_commit_callbacks)
    assert mentions_of(article)["Myanmar"].count == 1


def test_renaming_back_takes_the_old_slug_back():
    entity = EntityFactory(name="Burma", type="place")
    services.entity_rename(entity=entity, name="Myanmar", by=None)
    services.entity_rename(entity=entity, name="Burma", by=None)

    entity.refresh_from_db()
    assert entity.slug == "burma"
    assert not EntityRedirect.objects.filter(old_slug="burma").exists()
    assert entity_lookup(slug="myanmar").entity == entity


def test_renaming_to_the_name_of_another_entity_of_that_type_is_refused():
    EntityFactory(name="John Kerry")
    entity = EntityFactory(name="J. Kerry")

    with pytest.raises(services.EntityError, match="merge"):
        services.entity_rename(entity=entity, name="John Kerry", by=None)


# --- Block -------------------------------------------------------------------------------------


def test_blocking_removes_mentions_everywhere_and_the_entity_is_never_tagged_again(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        will = EntityFactory(name="Will", type="person")
        EntityFactory(name="Syria", type="place")
    articles = [
        ArticleFactory(headline=f"Story {n}", body_text="Will Syria talks succeed? Observers doubt it.")
        for n in range(2)
    ]
    for article in articles:
        tag(article, django_capture_on_commit_callbacks)
    assert Mention.objects.filter(entity=will).count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        removed = services.entity_block(entity=will, by=None)
    for article in articles:
        tag(article, django_capture_on_commit_callbacks)

    assert removed == 2
    assert not Mention.objects.filter(entity=will).exists()
    assert all(set(mentions_of(a)) == {"Syria"} for a in articles)
    assert not EntitySuggestion.objects.filter(name="Will").exists()
    will.refresh_from_db()
    assert will.status == Entity.Status.BLOCKED


def test_blocking_settles_open_suggestions_of_its_names():
    entity = EntityFactory(name="Will")
    suggestion = EntitySuggestionFactory(name="Will")

    services.entity_block(entity=entity, by=None)

    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.entity) == (EntitySuggestion.Status.BLOCKED, entity)


def test_approving_a_blocked_entity_lets_it_be_tagged_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        entity = EntityFactory(name="Sergei Lavrov", status=Entity.Status.BLOCKED)
    article = ArticleFactory(headline="Talks", body_text="Sergei Lavrov met Kerry.")
    tag(article, django_capture_on_commit_callbacks)
    assert "Sergei Lavrov" not in mentions_of(article)

    with django_capture_on_commit_callbacks(execute=True):
        services.entity_approve(entity=entity, by=None)
    tag(article, django_capture_on_commit_callbacks)

    assert "Sergei Lavrov" in mentions_of(article)


# --- The suggestion queue ----------------------------------------------------------------------


def test_approving_a_suggestion_makes_an_entity_settles_the_same_name_elsewhere_and_retags(
    django_capture_on_commit_callbacks,
):
    first = ArticleFactory(headline="Visit", body_text="Helmut Brandauer arrived in the capital.")
    second = ArticleFactory(headline="Talks", body_text="Talks with Helmut Brandauer went on.")
    suggestion = EntitySuggestionFactory(article=first, name="Helmut Brandauer")
    sibling = EntitySuggestionFactory(article=second, name="Helmut Brandauer")

    with django_capture_on_commit_callbacks(execute=True):
        entity = services.suggestion_approve(suggestion=suggestion, by=None)

    assert (entity.name, entity.type, entity.status) == ("Helmut Brandauer", "person", "approved")
    for row in (suggestion, sibling):
        row.refresh_from_db()
        assert (row.status, row.entity) == (EntitySuggestion.Status.APPROVED, entity)
    # Both articles were tagged again with the new entity.
    assert mentions_of(first)["Helmut Brandauer"].count == 1
    assert mentions_of(second)["Helmut Brandauer"].count == 1
    # An editor's ruling survives the re-tag.
    assert EntitySuggestion.objects.filter(pk=suggestion.pk, status="approved").exists()


def test_a_suggestion_added_as_an_alias_tags_its_articles_with_the_existing_entity(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        islamic_state = EntityFactory(name="Islamic State", type="organization")
    article = ArticleFactory(headline="Strikes", body_text="Jets struck Daesh positions overnight.")
    suggestion = EntitySuggestionFactory(article=article, name="Daesh", type="organization")

    with django_capture_on_commit_callbacks(execute=True):
        alias = services.suggestion_add_as_alias(suggestion=suggestion, entity=islamic_state, by=None)

    assert (alias.entity, alias.text) == (islamic_state, "Daesh")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.entity) == (EntitySuggestion.Status.ALIASED, islamic_state)
    assert mentions_of(article)["Islamic State"].count == 1


def test_a_blocked_suggestion_becomes_a_blocked_entity_and_is_not_suggested_again(
    django_capture_on_commit_callbacks,
):
    suggestion = EntitySuggestionFactory(name="Breaking News", type="organization")

    entity = services.suggestion_block(suggestion=suggestion, by=None)

    assert (entity.name, entity.status) == ("Breaking News", Entity.Status.BLOCKED)
    suggestion.refresh_from_db()
    assert suggestion.status == EntitySuggestion.Status.BLOCKED
    article = ArticleFactory(headline="Breaking News", body_text="Breaking News: markets fell sharply.")
    tag(article, django_capture_on_commit_callbacks)
    assert not EntitySuggestion.objects.filter(article=article, status="open").exists()
    assert not Mention.objects.filter(entity=entity).exists()


def test_blocking_a_suggestion_named_like_an_entity_in_use_is_refused():
    EntityFactory(name="Paris", type="place")
    suggestion = EntitySuggestionFactory(name="Paris", type="place")

    with pytest.raises(services.EntityError):
        services.suggestion_block(suggestion=suggestion, by=None)


# --- Knowledge ---------------------------------------------------------------------------------


def test_knowledge_loads_once_and_keeps_editors_changes(django_capture_on_commit_callbacks):
    records = [
        ("france", "France", "place", "France", False, False),
        ("france", "France", "place", "French Republic", False, False),
        ("un", "United Nations", "organization", "United Nations", False, False),
        ("un", "United Nations", "organization", "UN", True, False),
        ("georgia", "Georgia", "place", "Georgia", False, True),
    ]

    first = services.knowledge_load(records=records)
    un = Entity.objects.get(name="United Nations")
    services.entity_block(entity=Entity.objects.get(name="France"), by=None)
    services.entity_rename(entity=un, name="UN Organisation", by=None)
    second = services.knowledge_load(records=records)

    assert (first.entities_created, first.aliases_created) == (3, 3)
    assert (second.entities_created, second.aliases_created) == (0, 0)
    assert Entity.objects.get(name="France").status == Entity.Status.BLOCKED
    assert not Entity.objects.filter(name="United Nations").exists()
    assert Alias.objects.get(text="UN").case_sensitive
    assert Alias.objects.get(text="Georgia").ambiguous
    assert not Alias.objects.filter(text="France").exists()  # the canonical name is matched as it is


def test_load_knowledge_command_loads_the_starter_set_idempotently(django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("load_knowledge", stdout=out)
    entities, aliases = Entity.objects.count(), Alias.objects.count()
    call_command("load_knowledge", stdout=out)

    assert entities > 500
    assert Entity.objects.filter(name="France", type="place").exists()
    assert Entity.objects.filter(name="United Nations", type="organization").exists()
    assert (Entity.objects.count(), Alias.objects.count()) == (entities, aliases)
    assert "0 new entities, 0 new alias(es)" in out.getvalue()


def test_a_suggested_entity_is_not_tagged_until_approved(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        entity = EntityFactory(name="Sergei Lavrov", status=Entity.Status.SUGGESTED)
    article = ArticleFactory(headline="Talks", body_text="Sergei Lavrov met Kerry.")
    tag(article, django_capture_on_commit_callbacks)
    assert "Sergei Lavrov" not in mentions_of(article)

    with django_capture_on_commit_callbacks(execute=True):
        services.entity_approve(entity=entity, by=None)
    tag(article, django_capture_on_commit_callbacks)

    assert "Sergei Lavrov" in mentions_of(article)


def test_the_ner_model_can_be_switched_off_and_the_alias_table_still_tags(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.ENTITIES_NER_MODEL = ""
    monkeypatch.setattr(engine, "_tagger", None)
    with django_capture_on_commit_callbacks(execute=True):
        EntityFactory(name="Syria", type="place")
    article = ArticleFactory(headline="Talks", body_text="Helmut Brandauer flew to Syria.")

    tag(article, django_capture_on_commit_callbacks)

    assert services.tagger_get().engine.capabilities.model is False
    assert set(mentions_of(article)) == {"Syria"}
