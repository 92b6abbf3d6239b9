"""The article admin as an editor uses it, in a real browser: what entities adds through the hooks,
publishing from the list, and the change log the action writes."""

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article
from tests.factories import ArticleFactory, EntityFactory, MentionFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-desk-password"


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("desk", "desk@example.test", PASSWORD)


def log_in(page):
    page.goto("/admin/login/?next=/admin/articles/article/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/articles/article/")


def test_an_editor_publishes_from_the_list_and_the_history_says_who(page, editor):
    draft = ArticleFactory(headline="Kuwait oil output steady", status=Article.Status.DRAFT)
    MentionFactory(article=draft, entity=EntityFactory(name="Kuwait Petroleum Corporation"), count=2)

    log_in(page)
    # Three actions: tick the story, choose the action, Go.
    page.check(f"input[name=_selected_action][value='{draft.pk}']")
    page.select_option("select[name=action]", "publish_articles")
    page.click("button[name=index]")
    page.wait_for_selector("text=Published: 1 article(s).")
    page.screenshot(path=page.screenshots / "article-list.png", full_page=True)

    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED

    page.goto(f"/admin/articles/article/{draft.pk}/history/")
    history = page.inner_text("#change-history")
    assert "desk" in history and "Published." in history


def test_the_article_page_shows_what_entities_plugs_in(page, editor):
    article = ArticleFactory(headline="Kuwait oil output steady")
    MentionFactory(article=article, entity=EntityFactory(name="Kuwait Petroleum Corporation"), count=2)

    log_in(page)
    actions = page.locator("select[name=action] option").all_inner_texts()
    assert "Re-tag the selected articles" in actions

    page.goto(f"/admin/articles/article/{article.pk}/change/")
    entities = page.locator("fieldset", has_text="Entities")
    assert "Kuwait Petroleum Corporation" in entities.inner_text()
    page.screenshot(path=page.screenshots / "article-change.png", full_page=True)

    # The entity's link leads back to the article list filtered by it (the filter entities adds).
    page.goto(f"/admin/articles/article/?entity={article.mentions.get().entity_id}")
    assert "Kuwait oil output steady" in page.inner_text("#result_list")
    assert "Kuwait Petroleum Corporation" in page.inner_text("#changelist-filter")


def test_an_editor_adds_a_suggested_name_as_an_alias_picking_the_entity_by_what_it_is_called(page, editor):
    from entities.models import Alias, Entity
    from tests.factories import EntitySuggestionFactory

    state = EntityFactory(name="Islamic State", type="organization", status=Entity.Status.APPROVED)
    Alias.objects.create(entity=state, text="ISIS")
    EntityFactory(name="Islamabad", type="place")
    suggestion = EntitySuggestionFactory(name="Daesh", type="organization")

    log_in(page)
    page.goto("/admin/entities/entitysuggestion/")
    page.check(f"input[name=_selected_action][value='{suggestion.pk}']")
    page.select_option("select[name=action]", "alias_suggestions")
    page.click("button[name=index]")
    page.click(".select2-selection")  # the entity picker
    page.keyboard.type("isis")
    # (Each letter asks again; "is" still matches names, "isis" only the alias.)
    option = page.locator(".select2-results__option", has_text="matches alias")
    option.wait_for()
    assert option.inner_text() == "Islamic State (organization) \u2014 matches alias \u201cISIS\u201d"
    page.screenshot(path=page.screenshots / "alias-picker.png", full_page=True)
    option.click()
    page.click("input[type=submit][value='Add as alias']")
    page.wait_for_selector("text=as alias(es) of Islamic State")

    assert Alias.objects.filter(entity=state, text="Daesh").exists()
