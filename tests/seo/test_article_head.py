"""The article page's <head>: description, canonical address, Open Graph, Twitter card and NewsArticle JSON-LD."""

import datetime as dt
import json

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import hooks
from articles.models import Article
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    EntityFactory,
    MentionFactory,
    user_with_permissions,
)
from tests.seo.schemaorg import node_errors

pytestmark = pytest.mark.django_db

HOSTILE = '</script><script>alert(1)</script> "><img src=x onerror=alert(2)> & <!-- \u2028'


@pytest.fixture(autouse=True)
def _count_in_the_database(settings):
    settings.VIEW_COUNTER_BACKEND = "database"


def head_of(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200, response.status_code
    return lxml.html.document_fromstring(response.content).head


def meta(head, key: str) -> list[str]:
    """The content of every <meta> named (``name=``) or with property (``property=``) ``key``."""
    return [
        element.get("content")
        for element in head.iter("meta")
        if key in (element.get("name"), element.get("property"))
    ]


def json_ld(head) -> dict:
    scripts = [s for s in head.iter("script") if s.get("type") == "application/ld+json"]
    assert len(scripts) == 1
    return json.loads(scripts[0].text)


@pytest.fixture
def full_story():
    agency = AgencyFactory(name="Kuwait News Agency", slug="kuna", website="https://www.kuna.net.kw/")
    article = ArticleFactory(
        headline="Kuwait oil output steady as OPEC meets",
        slug="kuwait-oil-output",
        standfirst="Production held at 2.8 million barrels a day.",
        authors=["Ann Lee", "Bo Ma"],
        agency=agency,
        section="Business",
        tags=["Oil", "OPEC"],
        dateline_text="KUWAIT CITY, Oct 5 (KUNA) --",
        dateline_place="Kuwait City",
        language="en",
        lead_image_url="https://images.example.org/oil.jpg",
        lead_image_alt="An oil platform at dusk",
        published_at=dt.datetime(2015, 10, 5, 9, 30, tzinfo=dt.UTC),
    )
    MentionFactory(
        article=article,
        count=3,
        entity=EntityFactory(name="OPEC", type="organization", slug="opec", wikidata_id="Q7795"),
    )
    MentionFactory(
        article=article, count=1, entity=EntityFactory(name="Kuwait City", type="place", slug="kuwait-city")
    )
    return article


def test_the_json_ld_is_a_valid_news_article_with_every_field_search_engines_read(
    client, settings, full_story
):
    settings.SITE_URL = "https://news.example.org"
    data = json_ld(head_of(client, full_story))

    assert node_errors(data) == []
    canonical = "https://news.example.org/articles/kuwait-oil-output/"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Kuwait oil output steady as OPEC meets"
    assert data["description"] == "Production held at 2.8 million barrels a day."
    assert data["url"] == data["mainEntityOfPage"] == canonical
    assert data["inLanguage"] == "en"
    assert data["datePublished"] == "2015-10-05T09:30:00+00:00"
    full_story.refresh_from_db()
    assert dt.datetime.fromisoformat(data["dateModified"]) == full_story.updated_at
    assert data["author"] == [{"@type": "Person", "name": "Ann Lee"}, {"@type": "Person", "name": "Bo Ma"}]
    assert data["sourceOrganization"] == {
        "@type": "Organization",
        "name": "Kuwait News Agency",
        "url": "https://www.kuna.net.kw/",
    }
    assert data["dateline"] == "KUWAIT CITY, Oct 5 (KUNA)"
    assert data["locationCreated"] == {"@type": "Place", "name": "Kuwait City"}
    assert data["articleSection"] == "Business"
    assert data["keywords"] == ["Oil", "OPEC"]
    assert data["image"] == [{"@type": "ImageObject", "url": "https://images.example.org/oil.jpg"}]
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == settings.SITE_NAME
    assert data["publisher"]["logo"]["url"] == "https://news.example.org/static/articles/logo.png"
    assert data["mentions"] == [
        {
            "@type": "Organization",
            "name": "OPEC",
            "url": "https://news.example.org/entities/opec/",
            "sameAs": "https://www.wikidata.org/wiki/Q7795",
        },
        {"@type": "Place", "name": "Kuwait City", "url": "https://news.example.org/entities/kuwait-city/"},
    ]


def test_the_validator_refuses_what_schema_org_does_not_define():
    # The check must be able to fail: a property of another type, a wrong kind of value, a bad type.
    assert node_errors({"@type": "NewsArticle", "headline": "x", "dateline": "PARIS"}) == []
    assert node_errors({"@type": "NewsArticle", "logo": "https://example.org/logo.png"})
    assert node_errors({"@type": "NewsArticle", "author": "Ann Lee"})
    assert node_errors({"@type": "NewsArticle", "datePublished": "5 October 2015"})
    assert node_errors({"@type": "NewsArticle", "mentions": [{"@type": "Planet", "name": "Mars"}]})
    assert node_errors({"@type": "NewsArticle", "locationCreated": {"@type": "Person", "name": "x"}})
    assert node_errors({"@type": "Person", "dateline": "PARIS"})
    assert node_errors({"@type": "NewsArticle", "sameAs": "not a url"})


def test_a_story_without_a_byline_is_credited_to_its_agency(client):
    article = ArticleFactory(authors=[], agency=AgencyFactory(name="Reuters", slug="reuters"))
    data = json_ld(head_of(client, article))

    assert node_errors(data) == []
    assert data["author"] == [
        {"@type": "Organization", "name": "Reuters", "url": "http://testserver/agencies/reuters/"}
    ]
    assert data["sourceOrganization"] == data["author"][0]


def test_a_catch_all_credit_is_no_organization(client):
    article = ArticleFactory(
        authors=[], agency=AgencyFactory(name="Agencies", slug="agencies", is_generic=True)
    )
    data = json_ld(head_of(client, article))

    assert node_errors(data) == []
    assert "author" not in data
    assert "sourceOrganization" not in data


def test_a_bare_story_still_gives_valid_json_ld(client):
    article = ArticleFactory(agency=None, published_at=None, body_text="", body_html="", language="")
    data = json_ld(head_of(client, article))

    assert node_errors(data) == []
    assert "datePublished" not in data
    assert "description" not in data
    assert data["inLanguage"] == "en-us"


def test_meta_description_canonical_open_graph_and_twitter_card(client, settings, full_story):
    settings.SITE_URL = "https://news.example.org"
    head = head_of(client, full_story)
    canonical = "https://news.example.org/articles/kuwait-oil-output/"

    assert meta(head, "description") == ["Production held at 2.8 million barrels a day."]
    assert [link.get("href") for link in head.iter("link") if link.get("rel") == "canonical"] == [canonical]
    assert meta(head, "og:type") == ["article"]
    assert meta(head, "og:title") == ["Kuwait oil output steady as OPEC meets"]
    assert meta(head, "og:description") == ["Production held at 2.8 million barrels a day."]
    assert meta(head, "og:url") == [canonical]
    assert meta(head, "og:site_name") == [settings.SITE_NAME]
    assert meta(head, "og:image") == ["https://images.example.org/oil.jpg"]
    assert meta(head, "og:image:alt") == ["An oil platform at dusk"]
    assert meta(head, "article:published_time") == ["2015-10-05T09:30:00+00:00"]
    assert meta(head, "article:modified_time") == [json_ld(head)["dateModified"]]
    assert meta(head, "article:section") == ["Business"]
    assert meta(head, "article:tag") == ["Oil", "OPEC"]
    assert meta(head, "twitter:card") == ["summary_large_image"]
    assert meta(head, "twitter:title") == ["Kuwait oil output steady as OPEC meets"]
    assert meta(head, "twitter:image") == ["https://images.example.org/oil.jpg"]
    assert meta(head, "robots") == []


def test_without_a_picture_the_card_is_a_summary_and_the_description_is_the_lead(client):
    article = ArticleFactory(lead_image_url="", standfirst="", body_text="The lead paragraph.\n\nMore.")
    head = head_of(client, article)

    assert meta(head, "twitter:card") == ["summary"]
    assert meta(head, "og:image") == []
    assert meta(head, "description") == ["The lead paragraph."]
    assert "image" not in json_ld(head)


def test_without_site_url_addresses_use_the_host_the_request_reached(client, settings):
    settings.SITE_URL = ""
    article = ArticleFactory(slug="local-story")
    head = head_of(client, article)

    assert meta(head, "og:url") == ["http://testserver/articles/local-story/"]
    assert json_ld(head)["url"] == "http://testserver/articles/local-story/"


def test_hostile_text_stays_text_in_meta_tags_and_json_ld(client):
    article = ArticleFactory(
        headline=HOSTILE,
        standfirst=HOSTILE,
        section=HOSTILE,
        tags=[HOSTILE],
        authors=[HOSTILE],
        dateline_text=HOSTILE,
        dateline_place=HOSTILE,
        lead_image_url="https://images.example.org/a.jpg?x=1&y=%22%3E",
        lead_image_alt=HOSTILE,
    )
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    head = lxml.html.document_fromstring(response.content).head

    # Nothing broke out: the only scripts are the page's own, and each meta holds the text whole.
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    scripts = list(lxml.html.document_fromstring(response.content).iter("script"))
    assert [s.get("type") for s in scripts if s.get("src") is None] == ["application/ld+json"]
    for key in (
        "description",
        "og:title",
        "og:description",
        "twitter:title",
        "article:section",
        "og:image:alt",
    ):
        assert meta(head, key) == [HOSTILE], key
    assert meta(head, "og:image") == ["https://images.example.org/a.jpg?x=1&y=%22%3E"]
    data = json_ld(head)
    raw = next(s for s in head.iter("script") if s.get("type") == "application/ld+json").text
    assert "<" not in raw and ">" not in raw and "&" not in raw
    assert data["headline"] == HOSTILE
    assert data["author"] == [{"@type": "Person", "name": HOSTILE.strip()}]
    assert data["locationCreated"]["name"] == HOSTILE
    assert node_errors(data) == []


def test_a_draft_preview_is_marked_noindex(client):
    article = ArticleFactory(status=Article.Status.DRAFT)
    client.force_login(user_with_permissions("articles.view_article"))

    assert meta(head_of(client, article), "robots") == ["noindex"]


def test_mentions_come_from_what_the_page_already_loads(client, full_story, monkeypatch):
    url = full_story.get_absolute_url()

    def mention_queries(context):
        return [q["sql"] for q in context.captured_queries if "entities_mention" in q["sql"]]

    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    assert len(mention_queries(cold)) == 1  # the JSON-LD and "In this story" share one read
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    assert mention_queries(warm) == []  # and it is cached after

    monkeypatch.setitem(hooks._registry, hooks.STRUCTURED_DATA, [])
    with CaptureQueriesContext(connection) as without_mentions:
        client.get(url)
    # The whole head costs no query of its own.
    assert len(warm.captured_queries) == len(without_mentions.captured_queries)
