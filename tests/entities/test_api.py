"""The entities API: lists and filters, slug lookups through redirects, an entity's articles, articles' entities."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from articles.models import Article
from entities import services
from entities.models import Entity
from tests.factories import (
    AliasFactory,
    ArticleFactory,
    EntityFactory,
    MentionFactory,
    user_with_permissions,
)

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def api():
    return APIClient()


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


# --- Entities ----------------------------------------------------------------------------------


def test_entities_are_listed_by_name_with_links_and_aliases(api):
    putin = EntityFactory(name="Vladimir Putin", wikidata_id="Q7747", description="President of Russia")
    AliasFactory(entity=putin, text="Putin")
    EntityFactory(name="Francois Hollande")

    response = api.get("/api/entities/")

    assert names(response) == ["Francois Hollande", "Vladimir Putin"]
    row = response.json()["results"][1]
    assert row == {
        "name": "Vladimir Putin",
        "slug": "vladimir-putin",
        "type": "person",
        "status": "approved",
        "description": "President of Russia",
        "wikidata_id": "Q7747",
        "aliases": ["Putin"],
        "url": "http://testserver/entities/vladimir-putin/",
        "api_url": "http://testserver/api/entities/vladimir-putin/",
        "articles_url": "http://testserver/api/entities/vladimir-putin/articles/",
    }
    assert (response.json()["next"], response.json()["previous"]) == (None, None)


def test_entities_filter_by_type_status_and_name_or_alias(api):
    putin = EntityFactory(name="Vladimir Putin")
    AliasFactory(entity=putin, text="Putin")
    AliasFactory(entity=putin, text="President Putin")
    EntityFactory(name="Russia", type="place")
    EntityFactory(name="Puteaux", type="place", status=Entity.Status.SUGGESTED)

    assert names(api.get("/api/entities/", {"type": "place"})) == ["Puteaux", "Russia"]
    assert names(api.get("/api/entities/", {"status": "suggested"})) == ["Puteaux"]
    # Matching two aliases still lists the entity once.
    assert names(api.get("/api/entities/", {"name": "putin"})) == ["Vladimir Putin"]
    assert names(api.get("/api/entities/", {"name": "pute"})) == ["Puteaux"]
    assert api.get("/api/entities/", {"type": "planet"}).status_code == 400


def test_blocked_entities_are_hidden_except_from_editors(api):
    EntityFactory(name="Will", status=Entity.Status.BLOCKED)
    EntityFactory(name="Paris", type="place")

    assert names(api.get("/api/entities/")) == ["Paris"]
    assert api.get("/api/entities/will/").status_code == 404
    api.force_authenticate(user_with_permissions("entities.view_entity"))
    assert names(api.get("/api/entities/", {"status": "blocked"})) == ["Will"]


def test_entity_lists_are_paginated_in_a_stable_order(api):
    for n in range(5):
        EntityFactory(name=f"Minister {n}")

    first = api.get("/api/entities/", {"page_size": 2})
    second = api.get(first.json()["next"])

    assert names(first) == ["Minister 0", "Minister 1"]
    assert names(second) == ["Minister 2", "Minister 3"]


def test_an_entity_is_found_by_slug_and_old_slugs_and_ids_redirect_for_good(api):
    target = EntityFactory(name="Islamic State", type="organization")
    source = EntityFactory(name="ISIL", type="organization")
    source_id = source.pk
    services.entity_merge(source=source, target=target, by=None)

    assert api.get("/api/entities/islamic-state/").json()["name"] == "Islamic State"
    moved = api.get("/api/entities/isil/")
    assert moved.status_code == 301
    assert moved["Location"] == "/api/entities/islamic-state/"
    by_id = api.get(f"/api/entities/{source_id}/")
    assert (by_id.status_code, by_id["Location"]) == (301, "/api/entities/islamic-state/")
    articles = api.get("/api/entities/isil/articles/", {"page": 1})
    assert (articles.status_code, articles["Location"]) == (
        301,
        "/api/entities/islamic-state/articles/?page=1",
    )
    assert api.get("/api/entities/nothing-here/").status_code == 404


def test_an_entitys_articles_are_its_published_stories_newest_first(api):
    putin = EntityFactory(name="Vladimir Putin")
    now = timezone.now()
    older = ArticleFactory(published_at=now - dt.timedelta(days=2))
    newer = ArticleFactory(published_at=now)
    draft = ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory()  # does not mention him
    for article in (older, newer, draft):
        MentionFactory(article=article, entity=putin)

    response = api.get("/api/entities/vladimir-putin/articles/")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [newer.pk, older.pk]
    assert response.json()["results"][0]["entities"][0]["slug"] == "vladimir-putin"


def test_entities_cannot_be_written_through_the_api(api):
    api.force_authenticate(user_with_permissions("entities.change_entity", "entities.add_entity"))

    assert api.post("/api/entities/", {"name": "X", "type": "person"}).status_code == 405


# --- Entities on articles ------------------------------------------------------------------------


def test_each_article_in_the_api_lists_its_entities_with_type_count_and_confidence(api):
    article = ArticleFactory()
    putin = EntityFactory(name="Vladimir Putin")
    syria = EntityFactory(name="Syria", type="place")
    blocked = EntityFactory(name="Will", status=Entity.Status.BLOCKED)
    MentionFactory(article=article, entity=putin, count=5, confidence=0.98)
    MentionFactory(article=article, entity=syria, count=9, confidence=0.9)
    MentionFactory(article=article, entity=blocked, count=1)

    expected = [
        {
            "name": "Syria",
            "slug": "syria",
            "type": "place",
            "count": 9,
            "confidence": 0.9,
            "url": "http://testserver/entities/syria/",
        },
        {
            "name": "Vladimir Putin",
            "slug": "vladimir-putin",
            "type": "person",
            "count": 5,
            "confidence": 0.98,
            "url": "http://testserver/entities/vladimir-putin/",
        },
    ]
    assert api.get(f"/api/articles/{article.pk}/").json()["entities"] == expected
    assert api.get("/api/articles/").json()["results"][0]["entities"] == expected


def test_the_article_list_loads_entities_for_the_whole_page_in_one_query(api, django_assert_max_num_queries):
    for n in range(3):
        MentionFactory(article=ArticleFactory(), entity=EntityFactory(name=f"Person {n}"))
    with django_assert_max_num_queries(50) as few:
        api.get("/api/articles/")
    for n in range(10):
        MentionFactory(article=ArticleFactory(), entity=EntityFactory(name=f"Person more {n}"))

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get("/api/articles/")

    assert len(response.json()["results"]) == 13
