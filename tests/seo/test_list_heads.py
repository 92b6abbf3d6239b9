"""Front, agency and entity pages give search engines a description and their canonical address."""

import lxml.html
import pytest

from articles.paging import PAGE_SIZE
from tests.factories import AgencyFactory, ArticleFactory, EntityFactory, MentionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://news.example.org"
    settings.SITE_NAME = 'The "Gulf" <Desk>'


def head_of(response):
    assert response.status_code == 200, response.status_code
    head = lxml.html.document_fromstring(response.content).head
    description = [m.get("content") for m in head.iter("meta") if m.get("name") == "description"]
    canonical = [link.get("href") for link in head.iter("link") if link.get("rel") == "canonical"]
    robots = [m.get("content") for m in head.iter("meta") if m.get("name") == "robots"]
    return description, canonical, robots


def test_the_front_page_and_its_later_pages_are_each_their_own_canonical(client):
    ArticleFactory.create_batch(PAGE_SIZE + 1)

    assert head_of(client.get("/?utm_source=x")) == (
        ['The latest stories published on The "Gulf" <Desk>.'],
        ["https://news.example.org/"],
        [],
    )
    assert head_of(client.get("/?page=2"))[1] == ["https://news.example.org/?page=2"]


def test_search_results_are_not_for_indexing(client):
    ArticleFactory(headline="Oil output steady")

    _, canonical, robots = head_of(client.get("/search/?q=oil"))

    assert canonical == []
    assert robots == ["noindex"]


def test_agency_page(client):
    agency = AgencyFactory(name="Kuwait News Agency", slug="kuna")
    ArticleFactory(agency=agency)

    assert head_of(client.get("/agencies/kuna/")) == (
        ['Stories from Kuwait News Agency on The "Gulf" <Desk>.'],
        ["https://news.example.org/agencies/kuna/"],
        [],
    )


def test_entity_page_uses_its_description_when_it_has_one(client):
    opec = EntityFactory(name="OPEC", type="organization", slug="opec", description="Oil producers' cartel")
    bare = EntityFactory(name="Ann Lee", slug="ann-lee")
    for entity in (opec, bare):
        MentionFactory(entity=entity)

    assert head_of(client.get("/entities/opec/")) == (
        ["Oil producers' cartel"],
        ["https://news.example.org/entities/opec/"],
        [],
    )
    assert head_of(client.get("/entities/ann-lee/"))[0] == ['Stories about Ann Lee on The "Gulf" <Desk>.']


@pytest.mark.parametrize(
    ("value", "errors"),
    [
        ("", 0),
        ("https://news.example.org", 0),
        ("http://127.0.0.1:8000", 0),
        ("news.example.org", 1),
        ("https://news.example.org/news", 1),
        ("ftp://news.example.org", 1),
        ("https://x.org?a=1", 1),
    ],
)
def test_site_url_must_be_an_origin(settings, value, errors):
    from articles.checks import site_url_check

    settings.SITE_URL = value
    assert [e.id for e in site_url_check()] == ["articles.E002"] * errors
