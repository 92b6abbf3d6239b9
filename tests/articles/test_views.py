"""Public pages: front page, article page, agency page, feed and the view pixel."""

import datetime as dt

import pytest
from django.template import Context, Template

from articles.models import Article, RelatedLink
from articles.paging import PAGE_SIZE
from tests.factories import CHROME, AgencyFactory, ArticleFactory, RelatedLinkFactory, user_with_permissions

pytestmark = [pytest.mark.django_db]

DRAFT = Article.Status.DRAFT


@pytest.fixture(autouse=True)
def _count_in_the_database(settings):
    settings.VIEW_COUNTER_BACKEND = "database"


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    """These are tests of the views; the page cache in front of them: tests/test_page_cache.py."""
    settings.PAGE_CACHE_SECONDS = 0


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- Article page ------------------------------------------------------------------------


def test_article_page_shows_headline_dateline_agency_date_and_body(client):
    agency = AgencyFactory(name="Agencies", slug="agencies")
    article = ArticleFactory(
        headline="France in first air strike on IS in Syria",
        dateline_text="PARIS, Sept 27, (Agencies):",
        agency=agency,
        published_at=dt.datetime(2015, 9, 27, 12, tzinfo=dt.UTC),
        published_precision="day",
        body_html="<p>France carried out its first air strikes.</p>",
    )

    html = page_text(client.get(article.get_absolute_url()))

    assert "<h1>France in first air strike on IS in Syria</h1>" in html
    # The dateline as place · agency · date, without its raw punctuation.
    assert (
        '<p class="meta dateline"><span class="place">Paris</span>'
        '<a href="/agencies/agencies/">Agencies</a>'
        '<time datetime="2015-09-27T12:00:00+00:00">27 September 2015</time></p>'
    ) in html
    assert "PARIS, Sept 27, (Agencies):" not in html
    assert html.index('class="place">Paris') < html.index("France carried out its first air strikes.")


@pytest.mark.parametrize(
    ("precision", "shown", "not_shown"),
    [
        ("minute", "27 September 2015, 14:05", None),
        ("day", "27 September 2015", "14:05"),
        ("month", "September 2015", "27 September"),
        ("year", "2015", "September"),
        ("unknown", None, "2015"),
    ],
)
def test_published_date_is_shown_only_as_precisely_as_known(precision, shown, not_shown):
    article = ArticleFactory.build(
        published_at=dt.datetime(2015, 9, 27, 14, 5, tzinfo=dt.UTC), published_precision=precision
    )

    text = Template("{% load article_tags %}[{{ article|published_display }}]").render(
        Context({"article": article})
    )

    if shown:
        assert text == f"[{shown}]"
    else:
        assert text == "[]"
    if not_shown:
        assert not_shown not in text


def test_page_says_how_many_times_the_news_was_read_counting_legacy_views(client):
    article = ArticleFactory(legacy_view_count=7484, view_count=16)

    assert '<p class="views">Read 7,500 times</p>' in page_text(client.get(article.get_absolute_url()))


def test_rendering_the_page_never_counts_a_view(client):
    article = ArticleFactory(view_count=3)

    for _ in range(3):
        page_text(client.get(article.get_absolute_url()))

    assert Article.objects.get(pk=article.pk).view_count == 3


def test_page_carries_the_beacon_endpoint_and_a_noscript_pixel(client):
    article = ArticleFactory()

    html = page_text(client.get(article.get_absolute_url()))

    assert f'data-view-beacon="/api/articles/{article.pk}/views/"' in html
    assert f'<noscript><img src="/articles/{article.pk}/pixel.gif"' in html
    assert "articles/beacon.js" in html


def test_count_is_fresh_while_the_body_is_served_from_cache(client):
    article = ArticleFactory(view_count=1, body_html="<p>Cached body.</p>")
    page_text(client.get(article.get_absolute_url()))
    Article.objects.filter(pk=article.pk).update(view_count=41, body_html="<p>Changed quietly.</p>")

    html = page_text(client.get(article.get_absolute_url()))

    assert "Read 41 times" in html
    assert "Cached body." in html  # same updated_at: the cached fragment is still valid


def test_editing_an_article_invalidates_its_cached_body(client):
    article = ArticleFactory(body_html="<p>First version.</p>")
    page_text(client.get(article.get_absolute_url()))

    article.body_html = "<p>Corrected version.</p>"
    article.save()
    html = page_text(client.get(article.get_absolute_url()))

    assert "Corrected version." in html
    assert "First version." not in html


def test_hostile_body_html_is_not_rendered(client):
    article = ArticleFactory(
        body_html=(
            "<p>Safe paragraph.</p><script>alert('x')</script>"
            '<p><img src="x" onerror="alert(1)"><a href="javascript:alert(2)">click</a></p>'
            '<p onmouseover="alert(3)"><a href="https://ok.test/">fine link</a></p>'
            "<iframe src='https://evil.test'></iframe><style>body{display:none}</style>"
        )
    )

    html = page_text(client.get(article.get_absolute_url()))

    assert "Safe paragraph." in html
    assert "alert(" not in html
    assert "onerror" not in html
    assert "onmouseover" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html
    assert "display:none" not in html
    assert 'href="https://ok.test/"' in html


def test_without_body_html_the_paragraphs_are_escaped(client):
    article = ArticleFactory(
        headline="<b>Bold</b> claim",
        body_html="",
        body_text="First <script>alert(1)</script> para.\n\nSecond para.",
    )

    html = page_text(client.get(article.get_absolute_url()))

    assert "<p>First &lt;script&gt;alert(1)&lt;/script&gt; para.</p>" in html
    assert "<p>Second para.</p>" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; claim" in html
    assert "<script>alert(1)" not in html


def test_related_articles_are_listed_without_unpublished_ones(client):
    article = ArticleFactory()
    shown = RelatedLinkFactory(
        from_article=article, to_article=ArticleFactory(headline="Shown story")
    ).to_article
    RelatedLinkFactory(from_article=article, to_article=ArticleFactory(headline="Hidden draft", status=DRAFT))
    RelatedLink.objects.create(
        from_article=article,
        kind=RelatedLink.Kind.FOUND_ON_PAGE,
        url="https://elsewhere.test/x",
        title="Away",
    )

    html = page_text(client.get(article.get_absolute_url()))

    assert "Related Articles" in html
    assert f'<a href="{shown.get_absolute_url()}">Shown story</a>' in html
    assert '<a href="https://elsewhere.test/x" rel="nofollow noopener">Away</a>' in html
    assert "Hidden draft" not in html


def test_draft_is_404_for_readers_but_previewable_by_editors(client):
    draft = ArticleFactory(status=DRAFT, headline="Not yet out")

    assert client.get(draft.get_absolute_url()).status_code == 404

    client.force_login(user_with_permissions("articles.view_article", is_staff=True))
    html = page_text(client.get(draft.get_absolute_url()))
    assert "Not yet out" in html
    assert "Draft preview" in html
    assert "data-view-beacon" not in html


# --- View pixel -----------------------------------------------------------------------------


def test_pixel_counts_a_view_and_serves_an_uncacheable_gif(client):
    article = ArticleFactory(view_count=2)

    response = client.get(f"/articles/{article.pk}/pixel.gif", HTTP_USER_AGENT=CHROME)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert response.content.startswith(b"GIF89a")
    assert "no-store" in response["Cache-Control"]
    assert Article.objects.get(pk=article.pk).view_count == 3


def test_pixel_for_a_draft_is_404_and_counts_nothing(client):
    draft = ArticleFactory(status=DRAFT)

    assert client.get(f"/articles/{draft.pk}/pixel.gif").status_code == 404
    assert Article.objects.get(pk=draft.pk).view_count == 0


# --- Front page, agency page, feed --------------------------------------------------------


def test_front_page_lists_published_stories_newest_first(client):
    old = ArticleFactory(headline="Older story", published_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    new = ArticleFactory(
        headline="Newer story",
        dateline_text="LONDON, Jan 2:",
        published_at=dt.datetime(2024, 1, 2, tzinfo=dt.UTC),
    )
    ArticleFactory(headline="Draft story", status=DRAFT)

    html = page_text(client.get("/"))

    assert html.index(new.headline) < html.index(old.headline)
    assert f'<a href="{new.get_absolute_url()}">Newer story</a>' in html
    assert '<span class="place">London</span>' in html
    assert "LONDON, Jan 2:" not in html
    assert "Draft story" not in html
    assert 'href="/feeds/latest/"' in html


def test_front_page_is_paginated(client):
    articles = [
        ArticleFactory(published_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC)) for _ in range(PAGE_SIZE + 3)
    ]
    newest_first = sorted(articles, key=lambda a: a.pk, reverse=True)

    first = page_text(client.get("/"))
    second = page_text(client.get("/", {"page": 2}))

    assert newest_first[0].headline in first
    assert newest_first[PAGE_SIZE].headline not in first
    assert 'href="?page=2"' in first
    assert [a.headline in second for a in newest_first[PAGE_SIZE:]] == [True, True, True]
    assert newest_first[0].headline not in second
    assert client.get("/", {"page": 3}).status_code == 404
    assert client.get("/", {"page": "x"}).status_code == 404


def test_front_page_search(client):
    ArticleFactory(headline="Parliament votes on budget")
    ArticleFactory(headline="Football results")

    html = page_text(client.get("/", {"q": "parliament"}, follow=True))

    assert "<mark>Parliament</mark> votes on budget" in html
    assert "Football results" not in html


def test_agency_page_lists_its_published_stories(client):
    agency = AgencyFactory(name="Reuters", slug="reuters")
    ArticleFactory(agency=agency, headline="Reuters story")
    ArticleFactory(agency=agency, headline="Reuters draft", status=DRAFT)
    ArticleFactory(headline="Someone else's story")

    html = page_text(client.get("/agencies/reuters/"))

    assert "Stories from Reuters" in html
    assert "Reuters story" in html
    assert "Reuters draft" not in html
    assert "Someone else" not in html
    assert client.get("/agencies/nobody/").status_code == 404


def test_feed_lists_published_stories_with_escaped_descriptions(client):
    ArticleFactory(headline="Feed story", body_text="A <b>bold</b> start.\n\nMore.")
    ArticleFactory(headline="Draft in feed", status=DRAFT)

    response = client.get("/feeds/latest/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    xml = response.content.decode()
    assert "<title>Feed story</title>" in xml
    assert "&amp;lt;b&amp;gt;bold" in xml  # escaped text, escaped again for XML
    assert "Draft in feed" not in xml


def test_a_readers_page_with_its_body_cached_asks_nothing_of_notes_or_withdrawn_stories(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = ArticleFactory(body_html="<p>Cached body.</p>")
    page_text(client.get(article.get_absolute_url()))

    with CaptureQueriesContext(connection) as queries:
        html = page_text(client.get(article.get_absolute_url()))

    assert "Cached body." in html
    sql = [query["sql"] for query in queries]
    assert not [q for q in sql if "articles_articlenote" in q]
    assert not [q for q in sql if "killed" in q]  # the withdrawn check runs only on a miss
    assert len([q for q in sql if 'FROM "articles_article"' in q and "slug" in q]) == 1
