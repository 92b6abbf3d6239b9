"""The editors' tools: the suggestion queue, merge, rename, block, each entity's articles, re-tagging."""

import pytest
from django.urls import reverse

from articles.models import Article
from entities.models import Alias, Entity, EntityRedirect, EntitySuggestion, Mention, RetagJob
from tests.factories import (
    ArticleFactory,
    EntityFactory,
    EntitySuggestionFactory,
    MentionFactory,
    user_with_permissions,
)

pytestmark = pytest.mark.django_db

ENTITIES = reverse("admin:entities_entity_changelist")
SUGGESTIONS = reverse("admin:entities_entitysuggestion_changelist")


def ok(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- The suggestion queue ----------------------------------------------------------------------


def test_the_queue_lists_suggestions_with_their_article_and_examples(admin_client):
    suggestion = EntitySuggestionFactory(name="Helmut Brandauer", examples=["Helmut Brandauer arrived."])

    html = ok(admin_client.get(SUGGESTIONS, {"status__exact": "open"}))

    assert "Helmut Brandauer" in html
    assert "Helmut Brandauer arrived." in html
    assert reverse("admin:articles_article_change", args=[suggestion.article_id]) in html


def test_approving_suggestions_makes_entities_and_retags_their_articles(
    admin_client, django_capture_on_commit_callbacks
):
    article = ArticleFactory(headline="Visit", body_text="Helmut Brandauer arrived in the capital.")
    suggestion = EntitySuggestionFactory(article=article, name="Helmut Brandauer")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            SUGGESTIONS, {"action": "approve_suggestions", "_selected_action": [suggestion.pk]}
        )

    assert response.status_code == 302
    entity = Entity.objects.get(name="Helmut Brandauer", type="person")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.entity) == ("approved", entity)
    assert suggestion.resolved_by is not None
    assert Mention.objects.filter(article=article, entity=entity).exists()


@pytest.mark.django_db(transaction=True)
def test_approving_several_suggestions_of_one_article_approves_each(admin_client):
    # Committed as it goes, as in production: approving the first re-tags the article, which
    # replaces its other open suggestions while the action is still going through the selection.
    article = ArticleFactory(headline="Talks", body_text="Helmut Brandauer met Ilse Korvacs in the capital.")
    first = EntitySuggestionFactory(article=article, name="Helmut Brandauer")
    second = EntitySuggestionFactory(article=article, name="Ilse Korvacs")
    other = EntitySuggestionFactory(name="Ilse Korvacs")  # the same name in another story

    response = admin_client.post(
        SUGGESTIONS, {"action": "approve_suggestions", "_selected_action": [first.pk, second.pk, other.pk]}
    )

    assert response.status_code == 302
    assert set(Entity.objects.filter(type="person").values_list("name", flat=True)) == {
        "Helmut Brandauer",
        "Ilse Korvacs",
    }
    assert not EntitySuggestion.objects.filter(
        status="open", name__in=["Helmut Brandauer", "Ilse Korvacs"]
    ).exists()


def test_adding_a_suggestion_as_an_alias_asks_which_entity_then_adds_it(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        islamic_state = EntityFactory(name="Islamic State", type="organization")
    article = ArticleFactory(headline="Strikes", body_text="Jets struck Daesh positions overnight.")
    suggestion = EntitySuggestionFactory(article=article, name="Daesh", type="organization")
    action = {"action": "alias_suggestions", "_selected_action": [suggestion.pk]}

    page = ok(admin_client.post(SUGGESTIONS, action))
    assert "Add as an alias of an existing entity" in page
    assert 'name="confirm"' in page
    assert "Daesh" in page
    # The chooser searches entities as the editor types.
    assert "admin-autocomplete" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(SUGGESTIONS, {**action, "confirm": "yes", "entity": islamic_state.pk})

    assert response.status_code == 302
    assert Alias.objects.filter(entity=islamic_state, text="Daesh").exists()
    suggestion.refresh_from_db()
    assert suggestion.status == "aliased"
    assert Mention.objects.filter(article=article, entity=islamic_state).exists()


def test_the_alias_chooser_rejects_a_blocked_entity(admin_client):
    blocked = EntityFactory(name="Will", status=Entity.Status.BLOCKED)
    suggestion = EntitySuggestionFactory(name="Wil")

    page = ok(
        admin_client.post(
            SUGGESTIONS,
            {
                "action": "alias_suggestions",
                "_selected_action": [suggestion.pk],
                "confirm": "yes",
                "entity": blocked.pk,
            },
        )
    )

    assert "Select a valid choice" in page
    assert not Alias.objects.filter(text="Wil").exists()


def test_the_entity_picker_says_each_entitys_type_and_why_it_matches(admin_client):
    state = EntityFactory(name="Islamic State", type="organization", status=Entity.Status.APPROVED)
    Alias.objects.create(entity=state, text="Daesh")
    EntityFactory(name="Daesh Watch", type="organization", status=Entity.Status.BLOCKED)
    EntityFactory(name="Dae-su Kim", type="person")
    picker = reverse("admin:entities_entity_autocomplete")
    where = {"app_label": "entities", "model_name": "entitysuggestion", "field_name": "entity"}

    answer = admin_client.get(picker, {**where, "term": "daesh"}).json()
    by_name = admin_client.get(picker, {**where, "term": "islamic"}).json()

    assert [(r["text"], r["type"], r["match"]) for r in answer["results"]] == [
        ("Islamic State (organization) — matches alias “Daesh”", "Organization", "alias “Daesh”")
    ]
    assert answer["results"][0]["id"] == str(state.pk)
    assert [(r["text"], r["match"]) for r in by_name["results"]] == [("Islamic State (organization)", "name")]


def test_the_entity_picker_needs_permission_to_view_entities(client):
    client.force_login(user_with_permissions(is_staff=True))
    picker = reverse("admin:entities_entity_autocomplete")

    response = client.get(
        picker,
        {"app_label": "entities", "model_name": "entitysuggestion", "field_name": "entity", "term": "a"},
    )

    assert response.status_code == 403


def test_blocking_suggestions_blocks_their_names(admin_client):
    suggestion = EntitySuggestionFactory(name="Breaking News", type="organization")

    admin_client.post(SUGGESTIONS, {"action": "block_suggestions", "_selected_action": [suggestion.pk]})

    assert Entity.objects.get(name="Breaking News").status == Entity.Status.BLOCKED
    suggestion.refresh_from_db()
    assert suggestion.status == "blocked"


def test_suggestions_are_not_added_by_hand(admin_client):
    assert admin_client.get(reverse("admin:entities_entitysuggestion_add")).status_code == 403


# --- Entities ----------------------------------------------------------------------------------


def test_merging_asks_which_entity_to_keep_then_merges_the_others_into_it(admin_client):
    keep = EntityFactory(name="Islamic State", type="organization")
    fold = EntityFactory(name="ISIL", type="organization")
    article = ArticleFactory()
    MentionFactory(article=article, entity=keep, count=2, spans=[[0, 2], [5, 7]])
    MentionFactory(article=article, entity=fold, count=1, spans=[[9, 13]])
    action = {"action": "merge_entities", "_selected_action": [keep.pk, fold.pk]}

    page = ok(admin_client.post(ENTITIES, action))
    assert "Keep which entity?" in page
    assert 'name="target"' in page
    response = admin_client.post(ENTITIES, {**action, "confirm": "yes", "target": keep.pk})

    assert response.status_code == 302
    assert not Entity.objects.filter(pk=fold.pk).exists()
    assert Mention.objects.get(article=article).count == 3
    assert EntityRedirect.objects.get(old_slug="isil").entity == keep
    assert Alias.objects.filter(entity=keep, text="ISIL").exists()


def test_merging_needs_two_entities(admin_client):
    entity = EntityFactory()

    response = admin_client.post(
        ENTITIES, {"action": "merge_entities", "_selected_action": [entity.pk]}, follow=True
    )

    assert "Select at least two entities to merge." in ok(response)
    assert Entity.objects.filter(pk=entity.pk).exists()


def test_renaming_in_the_change_form_records_the_old_slug_and_keeps_the_old_name(admin_client):
    entity = EntityFactory(name="Burma", type="place")
    url = reverse("admin:entities_entity_change", args=[entity.pk])
    form = {
        "name": "Myanmar",
        "slug": "burma",
        "type": "place",
        "description": "",
        "wikidata_id": "Q836",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }

    response = admin_client.post(url, form)

    assert response.status_code == 302, response.content.decode()
    entity.refresh_from_db()
    assert (entity.name, entity.slug, entity.wikidata_id) == ("Myanmar", "myanmar", "Q836")
    assert list(entity.aliases.values_list("text", flat=True)) == ["Burma"]
    redirect = EntityRedirect.objects.get(old_slug="burma")
    assert (redirect.entity, redirect.reason, redirect.created_by.is_superuser) == (entity, "renamed", True)
    assert "Renamed" in ok(admin_client.get(url))


def test_blocking_from_the_list_removes_mentions_everywhere(admin_client):
    entity = EntityFactory(name="Will")
    MentionFactory(entity=entity)
    MentionFactory(entity=entity)

    response = admin_client.post(
        ENTITIES, {"action": "block_entities", "_selected_action": [entity.pk]}, follow=True
    )

    assert "removed 2 mention(s)" in ok(response)
    entity.refresh_from_db()
    assert entity.status == Entity.Status.BLOCKED
    assert not Mention.objects.filter(entity=entity).exists()


def test_each_entity_links_to_the_articles_that_mention_it(admin_client):
    putin = EntityFactory(name="Vladimir Putin")
    mentioned = ArticleFactory(headline="Putin seeks framework")
    ArticleFactory(headline="Oil prices steady")
    MentionFactory(article=mentioned, entity=putin)

    change_page = ok(admin_client.get(reverse("admin:entities_entity_change", args=[putin.pk])))
    link = f"{reverse('admin:articles_article_changelist')}?entity={putin.pk}"
    assert link in change_page
    articles = ok(admin_client.get(link))

    assert "Putin seeks framework" in articles
    assert "Oil prices steady" not in articles


def test_the_article_page_shows_its_mentions_and_tagging_state(
    admin_client, django_capture_on_commit_callbacks
):
    from entities import services

    with django_capture_on_commit_callbacks(execute=True):
        EntityFactory(name="Syria", type="place")
    article = ArticleFactory(headline="Talks", body_text="Ministers met in Syria. Syria said little.")
    with django_capture_on_commit_callbacks(execute=True):
        services.article_tag(article=article)
    EntitySuggestionFactory(article=article, name="Helmut Brandauer")

    html = ok(admin_client.get(reverse("admin:articles_article_change", args=[article.pk])))

    assert "Entities mentioned" in html
    assert "Syria</a>" in html
    assert "×2" in html
    assert "Tagged " in html
    assert "1 name(s) waiting in the suggestion queue" in html


def test_saving_new_text_in_the_article_admin_tags_it_again(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        EntityFactory(name="Syria", type="place")
    article = ArticleFactory(headline="Talks", body_text="Ministers met on Monday.")
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = {
        "headline": "Talks",
        "slug": article.slug,
        "agency": article.agency_id,
        "published_precision": "unknown",
        "body_text": "Ministers met in Syria on Monday.",
        "related_links-TOTAL_FORMS": "0",
        "related_links-INITIAL_FORMS": "0",
        "related_links-MIN_NUM_FORMS": "0",
        "related_links-MAX_NUM_FORMS": "1000",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, form)

    assert response.status_code == 302, response.content.decode()
    assert Mention.objects.filter(article=article, entity__name="Syria").exists()


# --- Re-tagging ----------------------------------------------------------------------------------


def test_retag_all_button_starts_a_job_whose_page_shows_progress(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        EntityFactory(name="Syria", type="place")
    for n in range(3):
        ArticleFactory(headline=f"Story {n}", body_text="Ministers met in Syria.")
    assert "Re-tag all articles" in ok(admin_client.get(ENTITIES))
    assert admin_client.get(reverse("admin:entities_retagjob_retag_all")).status_code == 405

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:entities_retagjob_retag_all"))

    job = RetagJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:entities_retagjob_change", args=[job.pk])
    assert (job.status, job.done, job.total) == ("done", 3, 3)
    assert Mention.objects.filter(entity__name="Syria").count() == 3
    listing = ok(admin_client.get(reverse("admin:entities_retagjob_changelist")))
    assert '<progress max="3" value="3"></progress> 3 / 3 (100%)' in listing


def test_a_running_job_page_refreshes_itself(admin_client):
    job = RetagJob.objects.create(total=10, done=4, status=RetagJob.Status.RUNNING)

    html = ok(admin_client.get(reverse("admin:entities_retagjob_change", args=[job.pk])))

    assert '<meta http-equiv="refresh" content="5">' in html
    assert "4 / 10 (40%)" in html


def test_starting_a_retag_needs_permission(client):
    user = user_with_permissions("entities.view_retagjob", "entities.view_entity", is_staff=True)
    client.force_login(user)

    assert "Re-tag all articles" not in ok(client.get(ENTITIES))
    assert client.post(reverse("admin:entities_retagjob_retag_all")).status_code == 403
    assert not RetagJob.objects.exists()


def test_the_article_list_can_retag_selected_articles(admin_client, django_capture_on_commit_callbacks):
    chosen, other = ArticleFactory(), ArticleFactory()

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "retag_articles", "_selected_action": [chosen.pk]},
        )

    job = RetagJob.objects.get()
    assert (job.article_ids, job.total, job.done, job.status) == ([chosen.pk], 1, 1, "done")
    assert Article.objects.get(pk=chosen.pk).tagging.tagged_at is not None
    assert not hasattr(Article.objects.get(pk=other.pk), "tagging")


def test_a_suggestions_type_is_corrected_in_the_queue_before_approving(admin_client):
    suggestion = EntitySuggestionFactory(name="Kuwait Petroleum Corporation", type="person")

    response = admin_client.post(
        f"{SUGGESTIONS}?status__exact=open",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(suggestion.pk),
            "form-0-type": "organization",
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    suggestion.refresh_from_db()
    assert suggestion.type == "organization"

    admin_client.post(SUGGESTIONS, {"action": "approve_suggestions", "_selected_action": [suggestion.pk]})
    assert Entity.objects.filter(name="Kuwait Petroleum Corporation", type="organization").exists()
    assert not Entity.objects.filter(name="Kuwait Petroleum Corporation", type="person").exists()
