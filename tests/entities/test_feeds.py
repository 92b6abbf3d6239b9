"""RSS and Atom feeds of the stories that mention an entity, and their place in the entity's page."""

import feedparser
import pytest

from articles.models import Article
from entities.models import Entity, EntityRedirect
from tests.factories import ArticleFactory, EntityFactory, MentionFactory

pytestmark = [pytest.mark.django_db]


@pytest.mark.parametrize(("suffix", "version"), [("feed/", "rss20"), ("atom/", "atom10")])
def test_an_entity_feed_lists_the_published_stories_that_mention_it(client, suffix, version):
    kuwait = EntityFactory(name="Kuwait", type="place", slug="kuwait")
    MentionFactory(entity=kuwait, article=ArticleFactory(headline="About Kuwait & <Syria>"))
    MentionFactory(entity=kuwait, article=ArticleFactory(headline="Draft", status=Article.Status.DRAFT))
    ArticleFactory(headline="Not about it")

    response = client.get(f"/entities/kuwait/{suffix}")

    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert feed.version == version
    assert feed.feed.title.endswith("stories about Kuwait")
    assert [e.title for e in feed.entries] == ["About Kuwait & <Syria>"]


def test_a_blocked_or_unknown_entity_has_no_feed(client):
    EntityFactory(name="Hidden", slug="hidden", status=Entity.Status.BLOCKED)

    assert client.get("/entities/hidden/feed/").status_code == 404
    assert client.get("/entities/nobody/atom/").status_code == 404


def test_an_old_slug_keeps_its_subscribers(client):
    kuwait = EntityFactory(name="Kuwait", slug="kuwait")
    EntityRedirect.objects.create(
        old_slug="state-of-kuwait", old_name="State of Kuwait", entity=kuwait, reason="renamed"
    )
    MentionFactory(entity=kuwait, article=ArticleFactory(headline="Still followed"))

    feed = feedparser.parse(client.get("/entities/state-of-kuwait/feed/").content)

    assert [e.title for e in feed.entries] == ["Still followed"]


def test_the_entity_page_announces_its_feeds(client):
    EntityFactory(name="Kuwait", slug="kuwait")

    html = client.get("/entities/kuwait/").content.decode()

    head = html[: html.index("</head>")]
    assert 'type="application/rss+xml"' in head and 'href="/entities/kuwait/feed/"' in head
    assert 'type="application/atom+xml"' in head and 'href="/entities/kuwait/atom/"' in head
