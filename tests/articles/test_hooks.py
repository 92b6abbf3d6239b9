"""Other apps plug into articles through articles.hooks: what they register is all articles shows of them."""

import pytest
from rest_framework.test import APIClient

from articles import hooks
from articles.models import Article, RelatedLink
from articles.related.entities import NoEntities, entity_index
from articles.related.refresh import article_related_refresh
from newsroom import page_cache
from tests.factories import ArticleFactory, EntityFactory, MentionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def without(monkeypatch):
    """Run as if no app had registered anything at ``hook``."""

    def clear(hook):
        monkeypatch.setitem(hooks._registry, hook, [])

    return clear


def test_an_unknown_hook_is_refused():
    with pytest.raises(ValueError, match="No article hook"):
        hooks.register("article_sidebar", object())


def test_registering_the_same_thing_twice_adds_it_once(monkeypatch):
    monkeypatch.setitem(hooks._registry, hooks.PAGE_PANELS, [])
    hooks.register(hooks.PAGE_PANELS, "x.html")
    hooks.register(hooks.PAGE_PANELS, "x.html")
    assert hooks.registered(hooks.PAGE_PANELS) == ["x.html"]


def test_the_article_page_shows_the_panels_other_apps_register(client, without):
    article = ArticleFactory(status=Article.Status.PUBLISHED)
    MentionFactory(article=article, entity=EntityFactory(name="Kuwait Petroleum Corporation"))
    assert ">Kuwait Petroleum Corporation</a>" in client.get(article.get_absolute_url()).text

    without(hooks.PAGE_PANELS)
    page_cache.site_changed()  # as a deploy of the changed code would start afresh
    assert ">Kuwait Petroleum Corporation</a>" not in client.get(article.get_absolute_url()).text


def test_the_article_json_ld_carries_what_other_apps_register(client, without):
    article = ArticleFactory(status=Article.Status.PUBLISHED)
    MentionFactory(article=article, entity=EntityFactory(name="Kuwait Petroleum Corporation"))
    assert (
        '"mentions":[{"@type":"Person","name":"Kuwait Petroleum Corporation"'
        in client.get(article.get_absolute_url()).text
    )

    without(hooks.STRUCTURED_DATA)
    page_cache.site_changed()
    assert '"mentions"' not in client.get(article.get_absolute_url()).text


def test_the_api_serves_the_fields_other_apps_register(without):
    article = ArticleFactory(status=Article.Status.PUBLISHED)
    api = APIClient()
    assert "entities" in api.get(f"/api/articles/{article.pk}/").json()

    without(hooks.API_FIELDS)
    without(hooks.API_PREFETCH)
    assert "entities" not in api.get(f"/api/articles/{article.pk}/").json()
    assert "entities" not in api.get("/api/articles/").json()["results"][0]


def test_without_an_entity_index_stories_are_related_by_their_text(without):
    without(hooks.RELATED_ENTITIES)
    assert isinstance(entity_index(), NoEntities)
    words = ["opec", "output", "brent", "crude", "barrel"]
    article = ArticleFactory(status=Article.Status.PUBLISHED, keywords=words, body_text=" ".join(words))
    neighbour = ArticleFactory(status=Article.Status.PUBLISHED, keywords=words, body_text=" ".join(words))
    MentionFactory(article=article, entity=EntityFactory(name="OPEC"))

    article_related_refresh(article=article)

    link = RelatedLink.objects.get(from_article=article, kind=RelatedLink.Kind.COMPUTED)
    assert link.to_article == neighbour
    assert link.reasons["entities"] == [] and link.reasons["text_score"] > 0
