"""The related API and widget over HTTP: ETags, caching without queries, invalidation, CORS, framing."""

from pathlib import Path

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from articles import services
from articles.models import Article, RelatedLink
from articles.related.refresh import article_related_refresh
from tests.conftest import REPO_ROOT
from tests.factories import AgencyFactory, ArticleFactory, EntityFactory, MentionFactory, RelatedLinkFactory

pytestmark = pytest.mark.django_db

ALLOWED = "https://partner.example"
SYRIA = ["syria", "assad", "strikes", "latakia", "damascus", "rebels"]


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def origins(settings):
    settings.WIDGET_ALLOWED_ORIGINS = [ALLOWED]
    settings.CORS_ALLOWED_ORIGINS = [ALLOWED]


def story(**kwargs):
    entity = EntityFactory(name="Bashar al-Assad")
    kwargs.setdefault("keywords", SYRIA)
    kwargs.setdefault("body_text", "The story of " + ", ".join(SYRIA) + ".")
    article = ArticleFactory(**kwargs)
    MentionFactory(article=article, entity=entity, count=2)
    return article


@pytest.fixture
def related_pair():
    article = story(agency=AgencyFactory(name="Reuters"))
    neighbour = story(headline="Russian jets strike near Latakia", agency=AgencyFactory(name="AFP"))
    article_related_refresh(article=article)
    return article, neighbour


def related_url(article, **params):
    query = "".join(f"&{k}={v}" for k, v in params.items())
    return f"/api/articles/{article.pk}/related/?limit=5{query}"


# --- API: representation, ETag, Cache-Control ------------------------------------------------------


def test_related_items_carry_headline_url_agency_date_score_reasons_and_also_from(api, related_pair):
    article, neighbour = related_pair
    response = api.get(related_url(article))

    assert response.status_code == 200
    [item] = response.json()
    assert item["article_id"] == neighbour.pk
    assert item["headline"] == "Russian jets strike near Latakia"
    assert item["url"] == f"http://testserver{neighbour.get_absolute_url()}"
    assert item["agency"] == "AFP"
    assert item["published_at"]
    assert item["lead_image"] is None
    assert item["kind"] == "computed" and item["score"] > 0
    assert item["reasons"]["entities"][0]["name"] == "Bashar al-Assad"
    assert item["also_from"] == []


def test_the_fast_representation_is_what_the_serializer_gives(rf, related_pair):
    from articles.api.serializers import RelatedItemSerializer, related_item_representation
    from articles.related.cache import related_list

    article, _ = related_pair
    RelatedLink.objects.create(from_article=article, kind="found", url="https://x.test/a", title="A")
    items = related_list(article=article).items
    request = rf.get("/")

    assert len(items) == 2
    assert [related_item_representation(item, request) for item in items] == RelatedItemSerializer(
        items, many=True, context={"request": request}
    ).data


def test_a_cache_hit_answers_exactly_as_the_api_action_does(api, related_pair):
    article, _ = related_pair
    miss = api.get(related_url(article))  # built by ArticleViewSet.related, then cached
    hit = api.get(related_url(article))  # served by the cache-hit view
    through_drf = api.get(related_url(article, format="json"))  # the action again, from the cache

    assert hit.content == miss.content == through_drf.content
    for header in ("ETag", "Cache-Control", "Content-Type"):
        assert hit[header] == miss[header] == through_drf[header]
    assert api.get(f"/api/articles/{article.pk}/related/?limit=abc").status_code == 400


def test_the_api_sends_an_etag_and_answers_a_conditional_get_with_304(api, related_pair):
    article, _ = related_pair
    first = api.get(related_url(article))
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert first["Cache-Control"].startswith("public, max-age=60")

    again = api.get(related_url(article), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again["Cache-Control"] == first["Cache-Control"]
    assert not again.content

    assert api.get(related_url(article), HTTP_IF_NONE_MATCH='"other"').status_code == 200
    assert api.get(related_url(article), HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304


def test_a_cached_read_runs_no_database_query(api, related_pair, django_assert_num_queries):
    article, _ = related_pair
    warm = api.get(related_url(article))

    with django_assert_num_queries(0):
        cached = api.get(related_url(article))
        not_modified = api.get(related_url(article), HTTP_IF_NONE_MATCH=warm["ETag"])
        widget = api.get(f"/widgets/related/{article.pk}/")

    assert cached.json() == warm.json()
    assert not_modified.status_code == 304
    assert widget.status_code == 200


def test_a_drafts_list_is_for_editors_only_and_never_cached(api, related_pair, admin_user):
    article, _ = related_pair
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert api.get(related_url(article)).status_code == 404

    api.force_authenticate(admin_user)
    response = api.get(related_url(article))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    api.force_authenticate(None)
    assert api.get(related_url(article)).status_code == 404


# --- Invalidation -----------------------------------------------------------------------------------


def test_a_recomputed_list_is_served_at_once(api, related_pair, django_capture_on_commit_callbacks):
    article, _ = related_pair
    before = api.get(related_url(article))
    newcomer = story(headline="Assad visits Moscow")

    with django_capture_on_commit_callbacks(execute=True):
        article_related_refresh(article=newcomer)

    after = api.get(related_url(article))
    assert after["ETag"] != before["ETag"]
    assert newcomer.pk in [item["article_id"] for item in after.json()]


def test_publishing_and_unpublishing_a_neighbour_changes_the_cached_list(
    api, related_pair, django_capture_on_commit_callbacks
):
    article, neighbour = related_pair
    etag = api.get(related_url(article))["ETag"]

    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(article=neighbour, by=None)
    response = api.get(related_url(article), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response.json() == []

    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=neighbour, by=None)
    assert [item["article_id"] for item in api.get(related_url(article)).json()] == [neighbour.pk]


def test_an_unpublished_articles_own_list_is_no_longer_served(
    api, related_pair, django_capture_on_commit_callbacks
):
    article, _ = related_pair
    assert api.get(related_url(article)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(article=article, by=None)
    assert api.get(related_url(article)).status_code == 404
    assert api.get(f"/widgets/related/{article.pk}/").status_code == 404


def test_a_headline_edit_in_the_admin_reaches_the_lists_that_show_the_story(
    api, admin_client, related_pair, django_capture_on_commit_callbacks
):
    article, neighbour = related_pair
    assert api.get(related_url(article)).json()[0]["headline"] == "Russian jets strike near Latakia"
    form = {
        "headline": "Russian jets strike Latakia again",
        "slug": neighbour.slug,
        "agency": neighbour.agency_id,
        "published_at_0": neighbour.published_at.strftime("%Y-%m-%d"),
        "published_at_1": neighbour.published_at.strftime("%H:%M:%S"),
        "published_precision": neighbour.published_precision,
        "body_text": neighbour.body_text,
        "related_links-TOTAL_FORMS": "0",
        "related_links-INITIAL_FORMS": "0",
        "related_links-MIN_NUM_FORMS": "0",
        "related_links-MAX_NUM_FORMS": "1000",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:articles_article_change", args=[neighbour.pk]), form)
    assert response.status_code == 302, response.content[:2000]

    assert api.get(related_url(article)).json()[0]["headline"] == "Russian jets strike Latakia again"


def test_pinning_and_blocking_in_the_admin_change_the_served_list(
    api, admin_client, related_pair, django_capture_on_commit_callbacks
):
    article, neighbour = related_pair
    pinned = ArticleFactory(headline="Background: the war in Syria")
    assert [i["article_id"] for i in api.get(related_url(article)).json()] == [neighbour.pk]
    link = RelatedLink.objects.get(from_article=article, to_article=neighbour)
    form = {
        "headline": article.headline,
        "slug": article.slug,
        "agency": article.agency_id,
        "published_precision": article.published_precision,
        "body_text": article.body_text,
        "related_links-TOTAL_FORMS": "2",
        "related_links-INITIAL_FORMS": "1",
        "related_links-MIN_NUM_FORMS": "0",
        "related_links-MAX_NUM_FORMS": "1000",
        "related_links-0-id": link.pk,
        "related_links-0-from_article": article.pk,
        "related_links-0-kind": "blocked",
        "related_links-0-to_article": neighbour.pk,
        "related_links-0-position": "0",
        "related_links-1-from_article": article.pk,
        "related_links-1-kind": "editor",
        "related_links-1-to_article": pinned.pk,
        "related_links-1-position": "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:articles_article_change", args=[article.pk]), form)
    assert response.status_code == 302, response.content[:3000]

    assert [i["article_id"] for i in api.get(related_url(article)).json()] == [pinned.pk]
    assert not RelatedLink.objects.filter(
        from_article=article, to_article=neighbour, kind="computed"
    ).exists()


def test_the_admin_shows_why_a_link_was_computed(admin_client, related_pair):
    article, _ = related_pair
    html = admin_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "Bashar al-Assad" in html
    assert "recency" in html


# --- CORS ------------------------------------------------------------------------------------------


def test_cors_allows_the_configured_origin_on_the_related_endpoints_only(api, related_pair, origins):
    article, _ = related_pair

    allowed = api.get(related_url(article), HTTP_ORIGIN=ALLOWED)
    other = api.get(related_url(article), HTTP_ORIGIN="https://evil.example")
    elsewhere = api.get("/api/articles/", HTTP_ORIGIN=ALLOWED)
    widget = api.get(f"/widgets/related/{article.pk}/", HTTP_ORIGIN=ALLOWED)

    assert allowed["Access-Control-Allow-Origin"] == ALLOWED
    assert "ETag" in allowed["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Origin" not in other
    assert "Access-Control-Allow-Origin" not in elsewhere
    assert widget["Access-Control-Allow-Origin"] == ALLOWED


def test_cors_preflight_is_answered_for_the_allowed_origin(api, related_pair, origins):
    article, _ = related_pair
    response = api.options(
        related_url(article), HTTP_ORIGIN=ALLOWED, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ALLOWED


def test_no_origin_is_allowed_when_none_is_configured(api, related_pair, settings):
    settings.CORS_ALLOWED_ORIGINS = []
    article, _ = related_pair
    assert "Access-Control-Allow-Origin" not in api.get(related_url(article), HTTP_ORIGIN=ALLOWED)


# --- The embeddable widget ---------------------------------------------------------------------------


def test_the_widget_escapes_what_it_shows_and_opens_links_in_the_top_window(client, origins):
    article = story()
    hostile = story(
        headline='<script>alert("x")</script> & <b>bold</b>', agency=AgencyFactory(name="<i>A</i>")
    )
    RelatedLinkFactory(from_article=article, to_article=hostile, kind=RelatedLink.Kind.PINNED)
    RelatedLink.objects.create(
        from_article=article, kind=RelatedLink.Kind.FOUND_ON_PAGE, url="javascript:alert(1)", title="bad"
    )

    response = client.get(f"/widgets/related/{article.pk}/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "<script>alert" not in html and "<b>bold</b>" not in html and "<i>A</i>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "javascript:" not in html
    assert f'href="http://testserver{hostile.get_absolute_url()}" target="_top"' in html


def test_the_widget_may_be_framed_by_the_allowed_origins_only(client, related_pair, origins):
    article, _ = related_pair
    response = client.get(f"/widgets/related/{article.pk}/")

    assert "X-Frame-Options" not in response
    policy = dict(part.split(maxsplit=1) for part in response["Content-Security-Policy"].split("; "))
    assert policy["frame-ancestors"] == "'self' https://partner.example"
    assert policy["form-action"] == "'none'" and policy["base-uri"] == "'none'"
    assert response["ETag"] and response["Cache-Control"].startswith("public")
    # Every other page still refuses to be framed.
    assert client.get("/")["X-Frame-Options"] == "DENY"


def test_the_widget_shows_other_agencies_takes_as_also_from(client):
    from articles.models import StoryCluster, StoryFingerprint

    article = story()
    takes = [story(agency=AgencyFactory(name=name)) for name in ("Reuters", "AFP")]
    group = StoryCluster.objects.create()
    for take in takes:
        StoryFingerprint.objects.create(article=take, signature=b"\0", shingles=20, cluster=group)
    article_related_refresh(article=article)

    html = client.get(f"/widgets/related/{article.pk}/").content.decode()
    assert html.count("<li>") == 1
    assert "Also from" in html


def test_the_widget_answers_a_conditional_get_with_304(client, related_pair):
    article, _ = related_pair
    etag = client.get(f"/widgets/related/{article.pk}/")["ETag"]
    assert client.get(f"/widgets/related/{article.pk}/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_widget_of_an_unknown_or_draft_article_is_404(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    assert client.get(f"/widgets/related/{draft.pk}/").status_code == 404
    assert client.get("/widgets/related/999999/").status_code == 404


def test_the_widget_script_builds_the_list_without_parsing_html():
    script = Path(REPO_ROOT / "articles" / "static" / "articles" / "related-widget.js").read_text()
    assert "textContent" in script
    for unsafe in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert unsafe not in script
    assert 'credentials: "omit"' in script


# --- The trivial baseline view ------------------------------------------------------------------------


def test_healthz_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


# --- The process-local second of cache -----------------------------------------------------------------


@pytest.fixture
def local_lists(settings):
    from articles.related import cache as related_cache

    settings.RELATED_LOCAL_CACHE_SECONDS = 30
    related_cache._local_lists.clear()
    yield related_cache._local_lists
    related_cache._local_lists.clear()


def test_a_hot_list_is_served_from_the_process_without_a_cache_round_trip(
    api, related_pair, local_lists, monkeypatch
):
    from django.core.cache import cache

    article, _ = related_pair
    first = api.get(related_url(article))
    assert article.pk in local_lists

    def no_cache(*args, **kwargs):
        raise AssertionError("the shared cache was asked")

    monkeypatch.setattr(cache, "get_many", no_cache)
    assert api.get(related_url(article)).content == first.content


def test_a_change_made_in_this_process_drops_its_local_copy_at_once(
    api, related_pair, local_lists, django_capture_on_commit_callbacks
):
    article, neighbour = related_pair
    api.get(related_url(article))

    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(article=neighbour, by=None)

    assert article.pk not in local_lists
    assert api.get(related_url(article)).json() == []


def test_there_is_no_local_copy_in_development(api, related_pair, settings):
    from articles.related import cache as related_cache

    settings.RELATED_LOCAL_CACHE_SECONDS = 0
    article, _ = related_pair
    api.get(related_url(article))
    assert article.pk not in related_cache._local_lists


def test_an_expired_local_copy_is_renewed_by_one_small_read_while_nothing_changed(
    api, related_pair, local_lists, monkeypatch
):
    from django.core.cache import cache

    from articles.related import cache as related_cache

    article, _ = related_pair
    related_cache.related_cache_forget([article.pk])  # a change gives the list a generation
    first = api.get(related_url(article))
    _, related, generation = local_lists[article.pk]
    assert generation is not None
    local_lists[article.pk] = (0.0, related, generation)  # expired

    def no_list_read(*args, **kwargs):
        raise AssertionError("the cached list was read again")

    monkeypatch.setattr(cache, "get_many", no_list_read)
    assert api.get(related_url(article)).content == first.content
    expires, renewed, _ = local_lists[article.pk]
    assert renewed is related and expires > 0


def test_an_expired_local_copy_is_read_again_after_a_change_made_by_another_process(
    api, related_pair, local_lists, django_capture_on_commit_callbacks
):
    from articles.related import cache as related_cache

    article, neighbour = related_pair
    related_cache.related_cache_forget([article.pk])
    assert len(api.get(related_url(article)).json()) == 1
    stale = local_lists[article.pk]

    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(article=neighbour, by=None)
    # As another process sees it: the shared cache moved on, its own copy has only expired.
    local_lists[article.pk] = (0.0, stale[1], stale[2])

    assert api.get(related_url(article)).json() == []
