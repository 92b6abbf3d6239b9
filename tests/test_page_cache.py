"""The public pages' shared cache: hits without queries, validators and 304, turned over by every desk move."""

import datetime as dt
import re
import time

import pytest
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from articles import services, tasks
from articles.models import Article
from newsroom import page_cache
from tests.factories import CHROME, ArticleFactory, EntityFactory, user_with_permissions

pytestmark = [pytest.mark.django_db]

S = Article.Status


@pytest.fixture(autouse=True, params=[0, 30], ids=["shared-only", "with-local-copies"])
def _cache_on(request, settings):
    """Every test twice: each hit from the shared cache, and with this process's copies in front."""
    settings.PAGE_CACHE_SECONDS = 60
    settings.PAGE_CACHE_LOCAL_SECONDS = request.param
    settings.VIEW_COUNTER_BACKEND = "database"


@pytest.fixture
def moves(django_capture_on_commit_callbacks):
    """Run the desk's moves with what follows their commit, as in production."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def get(client, url, **headers):
    return client.get(url, headers=headers)


def queries_made(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- Hits ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page", ["article", "/", "/?page=1", "/search/?q=oil", "agency", "/feeds/latest/", "/sitemaps/news.xml"]
)
def test_a_second_request_is_served_from_the_cache_without_a_query(client, django_assert_num_queries, page):
    article = ArticleFactory(headline="Oil output rises")
    url = {"article": article.get_absolute_url(), "agency": article.agency.get_absolute_url()}.get(page, page)
    first = client.get(url)
    assert first.status_code == 200

    with django_assert_num_queries(0):
        second = client.get(url)

    assert second.status_code == 200
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"] == first["Cache-Control"]
    assert "Cookie" in second["Vary"]


def test_an_entity_page_is_served_from_the_cache(client, django_assert_num_queries):
    entity = EntityFactory(name="Kuwait", type="place")
    assert client.get(entity.get_absolute_url()).status_code == 200

    with django_assert_num_queries(0):
        assert client.get(entity.get_absolute_url()).status_code == 200


def test_pages_tell_caches_to_revalidate_and_sitemaps_keep_their_lifetime(client):
    assert client.get("/")["Cache-Control"] == "max-age=0, must-revalidate"
    assert "max-age=0" not in client.get("/sitemaps/news.xml")["Cache-Control"]


def test_the_news_sitemap_follows_a_publish(client, moves):
    ready = ArticleFactory(status=S.READY, headline="Budget day")
    assert ready.get_absolute_url() not in client.get("/sitemaps/news.xml").content.decode()

    with moves():
        services.article_publish(article=ready, by=None)

    assert ready.get_absolute_url() in client.get("/sitemaps/news.xml").content.decode()


def test_pages_differ_by_their_known_parameters(client):
    ArticleFactory(headline="Oil output rises")
    ArticleFactory(headline="Asylum talks resume")

    assert "output rises" in text(client.get("/search/?q=oil"))
    assert "output rises" not in text(client.get("/search/?q=asylum"))
    assert "talks resume" in text(client.get("/search/?q=asylum"))


def test_unknown_query_parameters_neither_read_nor_fill_the_cache(client):
    article = ArticleFactory()
    url = article.get_absolute_url()
    text(client.get(url))

    for address in (url + "?utm_source=feed", url + "?page=1&page=2", url + "?q=" + "x" * 500):
        first = client.get(address)
        assert first.status_code == 200
        assert "private" in first["Cache-Control"]
        assert not first.has_header("ETag")
        # Rendered again each time: nothing stored for it, and the stored plain page not used.
        assert queries_made(lambda a=address: client.get(a)) > 0


# --- Validators ------------------------------------------------------------------------------------


def test_a_matching_etag_answers_304_without_a_body_or_policy(client):
    article = ArticleFactory()
    url = article.get_absolute_url()
    etag = client.get(url)["ETag"]

    response = get(client, url, if_none_match=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert "Content-Security-Policy" not in response
    assert get(client, url, if_none_match='W/"something-else"').status_code == 200


def test_if_modified_since_answers_304_until_the_page_changes(client, moves):
    article = ArticleFactory()
    url = article.get_absolute_url()
    first = client.get(url)
    since = first["Last-Modified"]

    assert get(client, url, if_modified_since=since).status_code == 304
    assert get(client, url, if_modified_since=http_date(time.time() - 3600)).status_code == 200

    time.sleep(1.05)  # Last-Modified has whole seconds: the next render must be a later one
    with moves():
        services.article_correct(article=article, by=None, kind="update", text="Talks resumed.")
    response = get(client, url, if_modified_since=since)
    assert response.status_code == 200
    assert "Talks resumed." in text(response)


def test_the_first_render_answers_304_to_a_validator_it_matches(client, django_capture_on_commit_callbacks):
    article = ArticleFactory()
    url = article.get_absolute_url()
    etag = client.get(url)["ETag"]
    page_cache.site_changed()  # the stored page is gone; the page itself is the same

    response = get(client, url, if_none_match=etag)

    assert response.status_code == 304


# --- The CSP nonce ---------------------------------------------------------------------------------


def test_each_hit_has_a_fresh_nonce_matching_its_header(client):
    article = ArticleFactory()
    nonces = []
    for _ in range(3):
        response = client.get(article.get_absolute_url())
        in_body = set(re.findall(r'nonce="([^"]+)"', text(response)))
        assert len(in_body) == 1
        nonce = in_body.pop()
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)

    assert len(set(nonces)) == 3


# --- Never shared ----------------------------------------------------------------------------------


def test_a_signed_in_editor_neither_reads_nor_fills_the_shared_cache(client):
    article = ArticleFactory(headline="Live story")
    draft = ArticleFactory(status=S.DRAFT, headline="Not yet out")
    reader = client.__class__()
    text(reader.get(article.get_absolute_url()))  # stored for readers

    client.force_login(user_with_permissions("articles.view_article", is_staff=True))
    preview = client.get(draft.get_absolute_url())
    live = client.get(article.get_absolute_url())

    assert "Draft preview" in text(preview)
    for response in (preview, live):
        assert "private" in response["Cache-Control"]
        assert "Cookie" in response["Vary"]
        assert not response.has_header("ETag")
    # The editor's page is rendered, not the readers' copy.
    assert queries_made(lambda: client.get(article.get_absolute_url())) > 0
    assert reader.get(draft.get_absolute_url()).status_code == 404


def test_cached_pages_set_no_cookie(client):
    article = ArticleFactory()
    for url in (article.get_absolute_url(), "/", "/feeds/latest/"):
        for response in (client.get(url), client.get(url)):
            assert response.status_code == 200
            assert not response.cookies
            assert "Set-Cookie" not in response


def test_a_response_that_sets_a_cookie_or_uses_the_csrf_token_is_not_stored():
    rendered = []

    def sets_cookie(request):
        rendered.append("cookie")
        response = HttpResponse("hello")
        response.set_cookie("seen", "1")
        return response

    def uses_token(request):
        rendered.append("token")
        return HttpResponse(f"<input value='{get_token(request)}'>")

    factory = RequestFactory()
    for view in (page_cache.page_cache(sets_cookie), page_cache.page_cache(uses_token)):
        for _ in range(2):
            response = view(factory.get("/x/"))
            assert response.status_code == 200
            assert not response.has_header("ETag")

    assert rendered == ["cookie", "cookie", "token", "token"]


def test_errors_are_not_stored(client):
    assert client.get("/articles/no-such-story/").status_code == 404
    ArticleFactory(slug="no-such-story")

    assert client.get("/articles/no-such-story/").status_code == 200


# --- Turned over by the desk ---------------------------------------------------------------------


def test_publishing_shows_the_story_at_once(client, moves):
    ready = ArticleFactory(status=S.READY, headline="Budget day")
    assert "Budget day" not in text(client.get("/"))
    assert client.get(ready.get_absolute_url()).status_code == 404

    with moves():
        services.article_publish(article=ready, by=None)

    assert "Budget day" in text(client.get("/"))
    assert "Budget day" in text(client.get("/feeds/latest/"))
    assert "Budget day" in text(client.get(ready.get_absolute_url()))


def test_a_correction_is_shown_at_once(client, moves):
    article = ArticleFactory()
    text(client.get(article.get_absolute_url()))

    with moves():
        services.article_correct(article=article, by=None, kind="correction", text="The date was wrong.")

    assert "The date was wrong." in text(client.get(article.get_absolute_url()))


def test_an_edit_of_a_live_story_is_shown_at_once(client, moves):
    article = ArticleFactory(headline="Old headline")
    assert "Old headline" in text(client.get("/"))

    article.headline = "New headline"
    with moves():
        services.article_save(article=article, by=None, fields=["headline"])

    assert "New headline" in text(client.get("/"))
    assert "New headline" in text(client.get(article.get_absolute_url()))


@pytest.mark.parametrize(
    ("move", "status"),
    [
        (lambda a: services.article_kill(article=a, by=None, notice="Not confirmed."), 410),
        (lambda a: services.article_unpublish(article=a, by=None), 404),
    ],
)
def test_a_story_taken_down_leaves_its_page_and_the_lists_at_once(client, moves, move, status):
    article = ArticleFactory(headline="Wrong figures")
    assert "Wrong figures" in text(client.get("/"))
    text(client.get(article.get_absolute_url()))

    with moves():
        move(article)

    assert client.get(article.get_absolute_url()).status_code == status
    assert "Wrong figures" not in text(client.get("/"))
    assert "Wrong figures" not in text(client.get("/feeds/latest/"))


def test_the_scheduler_task_puts_a_story_live_and_takes_an_expired_one_down(client, moves):
    scheduled = ArticleFactory(status=S.READY, headline="Budget day")
    services.article_schedule(article=scheduled, by=None, publish_at=timezone.now() + dt.timedelta(seconds=1))
    expiring = ArticleFactory(headline="Old offer", expire_at=timezone.now() + dt.timedelta(seconds=1))
    home = text(client.get("/"))
    assert "Budget day" not in home
    assert "Old offer" in home
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    text(client.get(expiring.get_absolute_url()))

    time.sleep(1.1)
    with moves():
        assert tasks.articles_publish_due_task.delay().get() == 2

    home = text(client.get("/"))
    assert "Budget day" in home
    assert "Old offer" not in home
    assert "Budget day" in text(client.get(scheduled.get_absolute_url()))
    assert client.get(expiring.get_absolute_url()).status_code == 404


def test_a_page_rendered_while_the_site_changed_is_not_served(client):
    """The generation is read before the render: a change during it leaves the page marked stale."""
    article = ArticleFactory(headline="Before")
    rendering = page_cache.page_cache(lambda request: _change_during_render(article))

    rendering(RequestFactory().get(article.get_absolute_url()))

    assert "After" in text(client.get(article.get_absolute_url()))


def _change_during_render(article):
    response = HttpResponse(f"<h1>{article.headline}</h1>")
    Article.objects.filter(pk=article.pk).update(headline="After")
    page_cache.site_changed()
    return response


# --- Counts ------------------------------------------------------------------------------------------


def test_the_pixel_counts_every_view_of_a_cached_page(client):
    article = ArticleFactory(view_count=0)
    for _ in range(3):
        text(client.get(article.get_absolute_url()))
        response = client.get(f"/articles/{article.pk}/pixel.gif", HTTP_USER_AGENT=CHROME)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]

    assert Article.objects.get(pk=article.pk).view_count == 3


def test_the_count_shown_is_at_most_the_cache_time_old(client, settings):
    settings.PAGE_CACHE_SECONDS = 1
    article = ArticleFactory(view_count=7)
    assert shown_count(client.get(article.get_absolute_url())) == 7
    Article.objects.filter(pk=article.pk).update(view_count=1234)

    assert shown_count(client.get(article.get_absolute_url())) == 7
    time.sleep(1.05)
    assert shown_count(client.get(article.get_absolute_url())) == 1234


def shown_count(response) -> int:
    return int(re.search(r"read ([\d,]+) times", text(response), re.IGNORECASE).group(1).replace(",", ""))


# --- The in-process copies ---------------------------------------------------------------------------


def test_local_copies_follow_a_change_made_in_this_process_at_once(client, moves, settings):
    settings.PAGE_CACHE_LOCAL_SECONDS = 60
    article = ArticleFactory()
    text(client.get(article.get_absolute_url()))
    text(client.get(article.get_absolute_url()))

    with moves():
        services.article_correct(article=article, by=None, kind="update", text="Talks resumed.")

    assert "Talks resumed." in text(client.get(article.get_absolute_url()))


def test_local_copies_follow_another_process_within_the_interval(client, settings, django_assert_num_queries):
    settings.PAGE_CACHE_LOCAL_SECONDS = 0.5
    article = ArticleFactory(headline="Before")
    text(client.get(article.get_absolute_url()))
    text(client.get(article.get_absolute_url()))
    # Another process changes the story and the generation in the shared cache.
    Article.objects.filter(pk=article.pk).update(headline="After")
    from django.core.cache import cache

    cache.set(page_cache.GENERATION_KEY, "another-process", timeout=None)

    with django_assert_num_queries(0):
        assert "Before" in text(client.get(article.get_absolute_url()))  # within the interval
    time.sleep(0.55)
    assert "After" in text(client.get(article.get_absolute_url()))


def test_the_cache_switched_off_passes_every_request_to_the_view(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    article = ArticleFactory()

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert not response.has_header("ETag")
