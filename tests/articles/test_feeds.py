"""RSS and Atom feeds of the latest stories and of each agency, read back with feedparser."""

import datetime as dt

import feedparser
import pytest
from django.utils import timezone

from articles.feeds import FEED_SIZE
from articles.models import Article
from tests.factories import AgencyFactory, ArticleFactory

pytestmark = [pytest.mark.django_db]

FEEDS = [
    ("/feeds/latest/", "application/rss+xml", "rss20"),
    ("/feeds/latest/atom/", "application/atom+xml", "atom10"),
]


def parsed(client, path, content_type):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith(content_type)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


@pytest.mark.parametrize(("path", "content_type", "version"), FEEDS)
def test_the_latest_feeds_list_published_stories_newest_first(client, path, content_type, version):
    old = ArticleFactory(headline="Older", published_at=timezone.now() - dt.timedelta(days=1))
    new = ArticleFactory(
        headline="Newer",
        standfirst="What happened, in a sentence.",
        authors=["Ann Lee"],
        section="World",
        tags=["Oil", "OPEC"],
    )
    ArticleFactory(headline="Draft", status=Article.Status.DRAFT)
    ArticleFactory(headline="Killed", status=Article.Status.KILLED)

    feed = parsed(client, path, content_type)

    assert feed.version == version
    assert [e.title for e in feed.entries] == ["Newer", "Older"]
    first = feed.entries[0]
    assert first.link.endswith(new.get_absolute_url())
    assert first.summary == "What happened, in a sentence."
    assert first.author == "Ann Lee"
    assert [t.term for t in first.tags] == ["World", "Oil", "OPEC"]
    assert feed.entries[1].author == old.agency.name  # no byline: the agency


@pytest.mark.parametrize(("path", "content_type", "version"), FEEDS)
def test_feed_text_is_escaped_and_reads_back_as_the_text(client, path, content_type, version):
    ArticleFactory(headline="Tom & Jerry <live>", standfirst="A <b>bold</b> claim & more.")

    response = client.get(path)
    feed = feedparser.parse(response.content)

    entry = feed.entries[0]
    assert entry.title == "Tom & Jerry <live>"
    # Readers treat the summary as HTML: it carries the text, escaped, never markup.
    assert entry.summary == "A &lt;b&gt;bold&lt;/b&gt; claim &amp; more."
    assert b"<b>bold" not in response.content


@pytest.mark.parametrize(("path", "content_type", "version"), FEEDS)
def test_feeds_are_bounded(client, path, content_type, version):
    now = timezone.now()
    for n in range(FEED_SIZE + 4):
        ArticleFactory(published_at=now - dt.timedelta(minutes=n))

    feed = parsed(client, path, content_type)

    assert len(feed.entries) == FEED_SIZE


@pytest.mark.parametrize(
    ("suffix", "content_type"), [("feed/", "application/rss+xml"), ("atom/", "application/atom+xml")]
)
def test_an_agency_feed_holds_only_its_published_stories(client, suffix, content_type):
    kuna = AgencyFactory(name="KUNA", slug="kuna")
    ArticleFactory(agency=kuna, headline="From KUNA")
    ArticleFactory(agency=kuna, headline="KUNA draft", status=Article.Status.DRAFT)
    ArticleFactory(headline="From someone else")

    feed = parsed(client, f"/agencies/kuna/{suffix}", content_type)

    assert feed.feed.title.endswith("stories from KUNA")
    assert [e.title for e in feed.entries] == ["From KUNA"]
    assert client.get(f"/agencies/nobody/{suffix}").status_code == 404


def test_pages_announce_their_feeds_in_the_head(client):
    story = ArticleFactory(agency=AgencyFactory(name="KUNA", slug="kuna"))

    home = client.get("/").content.decode()
    agency = client.get("/agencies/kuna/").content.decode()
    article = client.get(story.get_absolute_url()).content.decode()

    head = home[: home.index("</head>")]
    assert 'rel="alternate" type="application/rss+xml"' in head and 'href="/feeds/latest/"' in head
    assert 'type="application/atom+xml"' in head and 'href="/feeds/latest/atom/"' in head
    agency_head = agency[: agency.index("</head>")]
    assert 'href="/agencies/kuna/feed/"' in agency_head
    assert 'href="/agencies/kuna/atom/"' in agency_head
    assert 'href="/agencies/kuna/feed/"' in article[: article.index("</head>")]
