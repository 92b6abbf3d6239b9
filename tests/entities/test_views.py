"""Public pages: an entity's page, its old addresses, and "In this story" on the article page."""

import datetime as dt

import pytest
from django.utils import timezone

from articles.models import Article
from articles.paging import PAGE_SIZE
from entities import services
from entities.models import Entity
from tests.factories import ArticleFactory, EntityFactory, MentionFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _count_in_the_database(settings):
    settings.VIEW_COUNTER_BACKEND = "database"


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_entity_page_lists_the_published_stories_that_mention_it(client):
    putin = EntityFactory(name="Vladimir Putin", description="President of Russia", wikidata_id="Q7747")
    story = ArticleFactory(headline="Putin seeks coordinated framework")
    draft = ArticleFactory(headline="Unpublished Putin draft", status=Article.Status.DRAFT)
    ArticleFactory(headline="A story about something else")
    MentionFactory(article=story, entity=putin)
    MentionFactory(article=draft, entity=putin)

    html = page_text(client.get("/entities/vladimir-putin/"))

    assert "<h1>Vladimir Putin</h1>" in html
    assert "President of Russia" in html
    assert "https://www.wikidata.org/wiki/Q7747" in html
    assert story.get_absolute_url() in html
    assert "Unpublished Putin draft" not in html
    assert "something else" not in html


def test_entity_page_is_paged_without_counting_everything(client):
    syria = EntityFactory(name="Syria", type="place")
    now = timezone.now()
    for n in range(PAGE_SIZE + 1):
        MentionFactory(
            article=ArticleFactory(headline=f"Syria story {n:02d}", published_at=now - dt.timedelta(hours=n)),
            entity=syria,
        )

    first = page_text(client.get("/entities/syria/"))
    second = page_text(client.get("/entities/syria/", {"page": 2}))

    assert "Syria story 00" in first and f"Syria story {PAGE_SIZE:02d}" not in first
    assert 'rel="next"' in first
    assert f"Syria story {PAGE_SIZE:02d}" in second
    assert client.get("/entities/syria/", {"page": 3}).status_code == 404
    assert client.get("/entities/syria/", {"page": "x"}).status_code == 404


def test_old_entity_addresses_redirect_permanently_to_the_merged_or_renamed_entity(client):
    target = EntityFactory(name="Islamic State", type="organization")
    source = EntityFactory(name="ISIL", type="organization")
    source_id = source.pk
    services.entity_merge(source=source, target=target, by=None)
    burma = EntityFactory(name="Burma", type="place")
    services.entity_rename(entity=burma, name="Myanmar", by=None)

    assert client.get("/entities/isil/").headers["Location"] == "/entities/islamic-state/"
    assert client.get("/entities/isil/").status_code == 301
    assert client.get(f"/entities/{source_id}/").headers["Location"] == "/entities/islamic-state/"
    assert client.get("/entities/burma/", {"page": 2}).headers["Location"] == "/entities/myanmar/?page=2"


def test_blocked_and_unknown_entities_have_no_page(client):
    EntityFactory(name="Will", status=Entity.Status.BLOCKED)

    assert client.get("/entities/will/").status_code == 404
    assert client.get("/entities/nobody/").status_code == 404


def test_article_page_links_the_entities_in_the_story(client):
    article = ArticleFactory(headline="France in first air strike on IS in Syria")
    MentionFactory(article=article, entity=EntityFactory(name="Syria", type="place"), count=9)
    MentionFactory(article=article, entity=EntityFactory(name="Vladimir Putin"), count=5)

    html = page_text(client.get(article.get_absolute_url()))

    assert "In this story" in html
    syria = html.index('<a href="/entities/syria/">Syria</a>')
    putin = html.index('<a href="/entities/vladimir-putin/">Vladimir Putin</a>')
    assert syria < putin  # the most mentioned first


def test_article_page_shows_new_tags_after_a_retag(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        EntityFactory(name="Syria", type="place")
    article = ArticleFactory(headline="Talks", body_text="Ministers met on Monday.")
    assert "In this story" not in page_text(client.get(article.get_absolute_url()))

    article.body_text = "Ministers met in Syria on Monday."
    article.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.article_tag(article=article)

    assert '<a href="/entities/syria/">Syria</a>' in page_text(client.get(article.get_absolute_url()))


def test_an_article_without_entities_has_no_in_this_story_list(client):
    article = ArticleFactory()

    assert "In this story" not in page_text(client.get(article.get_absolute_url()))


def test_in_this_story_names_only_the_main_entities_on_one_compact_line(client):
    article = ArticleFactory()
    for number in range(29):
        MentionFactory(article=article, entity=EntityFactory(name=f"Name {number:02}"), count=number + 1)

    html = page_text(client.get(article.get_absolute_url()))

    panel = html[
        html.index('<aside class="in-this-story"') : html.index("</aside>", html.index("in-this-story"))
    ]
    assert '<ul class="inline-list">' in panel
    assert panel.count("<li") == 8
    # The most mentioned, most mentioned first.
    names = [f"Name {n:02}" for n in range(28, 20, -1)]
    assert [panel.index(name) for name in names] == sorted(panel.index(name) for name in names)
    assert "Name 20" not in panel
