"""Sitemaps, checked against the published XML schemas, and robots.txt and the favicon."""

import datetime as dt
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree

from articles.models import Article
from articles.seo import sitemaps
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "schemas"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
SITE = "https://news.example.org"


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def valid_xml(response, schema_name: str) -> etree._Element:
    """The response parsed, after checking it is XML its schema accepts."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    document = etree.fromstring(response.content)
    validator = schema(schema_name)
    assert validator.validate(document), validator.error_log
    return document


def locations(document) -> list[str]:
    return document.xpath("//sm:loc/text()", namespaces=NS)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def story_url(article) -> str:
    return f"{SITE}/articles/{article.slug}/"


# --- The index and its pages -------------------------------------------------------------


def test_the_index_lists_one_sitemap_per_id_range_and_the_news_sitemap(client, settings):
    settings.SITEMAP_PAGE_SIZE = 2
    stories = ArticleFactory.create_batch(5)
    last_id = stories[-1].pk

    document = valid_xml(client.get("/sitemap.xml"), "siteindex.xsd")

    pages = -(-last_id // 2)
    assert locations(document) == [
        f"{SITE}/sitemaps/news.xml",
        *[f"{SITE}/sitemaps/articles-{n}.xml" for n in range(1, pages + 1)],
    ]


def test_the_index_needs_one_query_whatever_the_number_of_stories(client, settings):
    settings.SITEMAP_PAGE_SIZE = 2
    ArticleFactory.create_batch(7)

    with CaptureQueriesContext(connection) as queries:
        client.get("/sitemap.xml")

    article_queries = [q["sql"] for q in queries.captured_queries if "articles_article" in q["sql"]]
    assert len(article_queries) == 1
    assert "COUNT(" not in article_queries[0].upper()
    assert "OFFSET" not in article_queries[0].upper()


def test_each_page_lists_the_published_stories_of_its_id_range_with_lastmod(client, settings):
    settings.SITEMAP_PAGE_SIZE = 3
    stories = ArticleFactory.create_batch(7)
    published = {a.pk: a for a in Article.objects.filter(pk__in=[s.pk for s in stories])}
    pages = -(-stories[-1].pk // 3)

    listed = {}
    for page in range(-(-stories[0].pk // 3), pages + 1):
        document = valid_xml(client.get(f"/sitemaps/articles-{page}.xml"), "sitemap.xsd")
        urls = document.xpath("//sm:url", namespaces=NS)
        assert len(urls) <= 3
        for url in urls:
            loc = url.xpath("sm:loc/text()", namespaces=NS)[0]
            lastmod = url.xpath("sm:lastmod/text()", namespaces=NS)[0]
            listed[loc] = dt.datetime.fromisoformat(lastmod)

    assert listed == {story_url(a): a.updated_at.replace(microsecond=0) for a in published.values()}


def test_drafts_and_killed_or_withdrawn_stories_are_in_no_sitemap(client, settings):
    settings.SITEMAP_PAGE_SIZE = 50000
    kept = ArticleFactory()
    hidden = [
        ArticleFactory(status=status)
        for status in (
            Article.Status.DRAFT,
            Article.Status.NEEDS_REVIEW,
            Article.Status.SCHEDULED,
            Article.Status.KILLED,
            Article.Status.ARCHIVED,
        )
    ]
    page = -(-kept.pk // 50000)

    listed = locations(valid_xml(client.get(f"/sitemaps/articles-{page}.xml"), "sitemap.xsd"))
    news = locations(valid_xml(client.get("/sitemaps/news.xml"), "news-urlset.xsd"))

    assert story_url(kept) in listed and story_url(kept) in news
    for article in hidden:
        assert story_url(article) not in listed, article.status
        assert story_url(article) not in news, article.status


def test_pages_past_the_last_story_and_ranges_with_nothing_published_answer_404(client, settings):
    settings.SITEMAP_PAGE_SIZE = 2
    first = ArticleFactory(status=Article.Status.KILLED)
    ArticleFactory(status=Article.Status.DRAFT)
    last = ArticleFactory()
    pages = -(-last.pk // 2)

    assert client.get(f"/sitemaps/articles-{pages + 1}.xml").status_code == 404
    assert client.get("/sitemaps/articles-0.xml").status_code == 404
    if -(-first.pk // 2) != pages:  # the killed story's range holds nothing published
        assert client.get(f"/sitemaps/articles-{-(-first.pk // 2)}.xml").status_code == 404


def test_with_nothing_published_the_index_lists_only_the_news_sitemap(client):
    ArticleFactory(status=Article.Status.DRAFT)

    document = valid_xml(client.get("/sitemap.xml"), "siteindex.xsd")

    assert locations(document) == [f"{SITE}/sitemaps/news.xml"]
    assert client.get("/sitemaps/articles-1.xml").status_code == 404


def test_addresses_follow_the_request_host_without_site_url(client, settings):
    settings.SITE_URL = ""
    article = ArticleFactory(slug="local-story")
    page = -(-article.pk // settings.SITEMAP_PAGE_SIZE)

    assert "http://testserver/sitemaps/news.xml" in locations(
        etree.fromstring(client.get("/sitemap.xml").content)
    )
    page_xml = etree.fromstring(client.get(f"/sitemaps/articles-{page}.xml").content)
    assert locations(page_xml) == ["http://testserver/articles/local-story/"]


# --- Google News sitemap -----------------------------------------------------------------


def test_the_news_sitemap_holds_the_last_48_hours_newest_first(client, settings):
    settings.SITE_NAME = "The Gulf Desk"
    now = timezone.now()
    fresh = ArticleFactory(published_at=now - dt.timedelta(hours=1), headline="Fresh", language="en-gb")
    older = ArticleFactory(published_at=now - dt.timedelta(hours=47), headline="Older", language="ar")
    ArticleFactory(published_at=now - dt.timedelta(hours=49), headline="Too old")
    ArticleFactory(published_at=now + dt.timedelta(hours=2), headline="Dated ahead")
    ArticleFactory(published_at=None, headline="Undated")

    document = valid_xml(client.get("/sitemaps/news.xml"), "news-urlset.xsd")

    assert locations(document) == [story_url(fresh), story_url(older)]
    first = document.xpath("//sm:url", namespaces=NS)[0]
    assert first.xpath("news:news/news:publication/news:name/text()", namespaces=NS) == ["The Gulf Desk"]
    assert first.xpath("news:news/news:publication/news:language/text()", namespaces=NS) == ["en"]
    assert first.xpath("news:news/news:title/text()", namespaces=NS) == ["Fresh"]
    published = first.xpath("news:news/news:publication_date/text()", namespaces=NS)[0]
    assert dt.datetime.fromisoformat(published) == fresh.published_at.replace(microsecond=0)
    assert document.xpath("//news:language/text()", namespaces=NS) == ["en", "ar"]


def test_the_news_sitemap_stops_at_its_limit(client, monkeypatch):
    monkeypatch.setattr(sitemaps, "NEWS_LIMIT", 3)
    now = timezone.now()
    stories = [ArticleFactory(published_at=now - dt.timedelta(minutes=n)) for n in range(5)]

    document = valid_xml(client.get("/sitemaps/news.xml"), "news-urlset.xsd")

    assert locations(document) == [story_url(a) for a in stories[:3]]


def test_hostile_headlines_are_escaped_and_characters_xml_cannot_hold_dropped(client):
    article = ArticleFactory(
        headline='</news:title><loc>https://evil.example/</loc> & "quotes" \x0b\x1f end',
        language="zh-Hant-TW",
    )

    document = valid_xml(client.get("/sitemaps/news.xml"), "news-urlset.xsd")

    assert locations(document) == [story_url(article)]
    assert document.xpath("//news:title/text()", namespaces=NS) == [
        '</news:title><loc>https://evil.example/</loc> & "quotes"  end'
    ]
    assert document.xpath("//news:language/text()", namespaces=NS) == ["zh-tw"]


def test_an_empty_news_sitemap_is_an_empty_set(client):
    ArticleFactory(published_at=timezone.now() - dt.timedelta(days=3))

    response = client.get("/sitemaps/news.xml")

    assert response.status_code == 200
    assert locations(etree.fromstring(response.content)) == []


# --- robots.txt and the favicon ----------------------------------------------------------


def test_robots_txt_opens_the_site_closes_admin_and_api_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[:4] == ["User-agent: *", "Allow: /", "Disallow: /admin/", "Disallow: /api/"]
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    # The widget lives outside /api/, so partners' pages that frame it stay crawlable.
    assert not any(line.startswith("Disallow: /widgets") for line in lines)


def test_the_favicon_answers_an_icon_and_pages_link_to_it(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in page
    assert '<link rel="icon" href="/static/articles/favicon.svg" type="image/svg+xml">' in page
