"""Most read in the last 24 hours and 7 days: from the daily figures, as an API endpoint and a page block."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from articles import counters
from articles.counters import reads
from articles.models import Article, ArticleViewDay
from articles.services import workflow
from tests.factories import CHROME, ArticleFactory

pytestmark = [pytest.mark.django_db]

NOW = dt.datetime(2026, 11, 25, 6, 0, tzinfo=dt.UTC)  # a quarter of the day gone
TODAY = NOW.date()


def days(article, **views_by_days_ago):
    for name, views in views_by_days_ago.items():
        ago = int(name.removeprefix("d"))
        ArticleViewDay.objects.create(article=article, day=TODAY - dt.timedelta(days=ago), views=views)


def ranking(window, now=NOW):
    return [(item.article.headline, item.views) for item in reads._most_read(days=window, now=now)]


def test_24_hours_is_today_and_the_part_of_yesterday_still_inside_the_window():
    a, b, c = (ArticleFactory(headline=h) for h in "ABC")
    days(a, d0=10, d1=40)  # 10 + 40 * 18/24 = 40
    days(b, d0=30, d1=0)  # 30
    days(c, d0=0, d1=100, d2=1000)  # 75; two days ago is outside

    assert ranking(1) == [("C", 75), ("A", 40), ("B", 30)]
    # Just before midnight yesterday has almost left the window.
    late = NOW.replace(hour=23, minute=59)
    assert ranking(1, now=late) == [("B", 30), ("A", 10)]


def test_7_days_counts_six_whole_days_before_today_and_part_of_the_seventh():
    a, b = ArticleFactory(headline="A"), ArticleFactory(headline="B")
    days(a, d0=1, d3=10, d6=10, d7=100)  # 21 + 75
    days(b, d0=50, d8=1000)  # the eighth day back is out

    assert ranking(7) == [("A", 96), ("B", 50)]


def test_drafts_and_articles_without_views_are_left_out_and_ties_are_stable():
    a, b = ArticleFactory(headline="A"), ArticleFactory(headline="B")
    draft = ArticleFactory(headline="Draft", status=Article.Status.DRAFT)
    ArticleFactory(headline="Unread")
    days(a, d0=5)
    days(b, d0=5)
    days(draft, d0=500)

    assert ranking(1) == [("B", 5), ("A", 5)]  # equal views: the newer article first


def test_the_lists_are_cached_briefly(settings, django_assert_num_queries):
    settings.MOST_READ_CACHE_SECONDS = 60
    article = ArticleFactory()
    ArticleViewDay.objects.create(article=article, day=timezone.now().date(), views=3)

    with django_assert_num_queries(2):
        first = counters.articles_most_read(window="24h", limit=5)
    with django_assert_num_queries(0):
        again = counters.articles_most_read(window="24h", limit=1)

    assert [i.article.pk for i in first] == [i.article.pk for i in again] == [article.pk]


def test_an_unknown_window_is_refused():
    with pytest.raises(ValueError):
        counters.articles_most_read(window="1y", limit=5)


# --- API -------------------------------------------------------------------------------------------


def test_the_api_lists_the_most_read_with_their_window_views():
    today = timezone.now().date()
    top, second = ArticleFactory(headline="Top story"), ArticleFactory(headline="Second story")
    ArticleViewDay.objects.create(article=top, day=today, views=20)
    ArticleViewDay.objects.create(article=second, day=today, views=7)
    ArticleViewDay.objects.create(article=second, day=today - dt.timedelta(days=3), views=100)

    day = APIClient().get("/api/articles/most-read/", {"window": "24h", "limit": 5})
    week = APIClient().get("/api/articles/most-read/", {"window": "7d"})

    assert day.status_code == 200
    assert "max-age=" in day["Cache-Control"]
    assert [(i["headline"], i["views"]) for i in day.json()] == [("Top story", 20), ("Second story", 7)]
    assert day.json()[0]["url"] == f"http://testserver{top.get_absolute_url()}"
    assert day.json()[0]["api_url"] == f"http://testserver/api/articles/{top.pk}/"
    assert [i["headline"] for i in week.json()] == ["Second story", "Top story"]


def test_the_api_checks_window_and_limit():
    api = APIClient()

    assert api.get("/api/articles/most-read/", {"window": "30d"}).status_code == 400
    assert api.get("/api/articles/most-read/", {"limit": 0}).status_code == 400
    assert api.get("/api/articles/most-read/", {"limit": 21}).status_code == 400
    assert api.get("/api/articles/most-read/").json() == []


def test_the_limit_cuts_the_list():
    today = timezone.now().date()
    for n in range(4):
        ArticleViewDay.objects.create(article=ArticleFactory(), day=today, views=n + 1)

    assert len(APIClient().get("/api/articles/most-read/", {"limit": 2}).json()) == 2


def test_the_schema_documents_the_view_endpoints():
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()

    assert "/api/articles/most-read/" in schema["paths"]
    assert "/api/articles/{id}/views/daily/" in schema["paths"]


# --- Public pages -------------------------------------------------------------------------------------


def test_the_front_page_and_the_article_page_show_the_most_read_block(client):
    today = timezone.now().date()
    read = ArticleFactory(headline="Widely read story")
    ArticleViewDay.objects.create(article=read, day=today, views=12)
    ArticleViewDay.objects.create(article=read, day=today - dt.timedelta(days=4), views=30)
    other = ArticleFactory(headline="Another story")

    front = client.get("/").content.decode()
    page = client.get(other.get_absolute_url()).content.decode()

    for html in (front, page):
        assert "Most read" in html
        assert "In the last 24 hours" in html and "In the last 7 days" in html
        assert (
            f'<a href="{read.get_absolute_url()}">Widely read story</a> <span class="meta">12 reads</span>'
            in html
        )
        assert "42 reads" in html


def test_without_any_views_there_is_no_block(client):
    article = ArticleFactory()

    assert "Most read" not in client.get("/").content.decode()
    assert "Most read" not in client.get(article.get_absolute_url()).content.decode()


def test_views_counted_today_reach_the_block_after_the_flush(client, settings):
    settings.VIEW_COUNTER_BACKEND = "database"
    article = ArticleFactory(headline="Counted story")
    for n in range(3):
        APIClient().post(
            f"/api/articles/{article.pk}/views/", HTTP_USER_AGENT=CHROME, REMOTE_ADDR=f"198.51.100.{n}"
        )

    counters.view_counts_flush()

    assert 'Counted story</a> <span class="meta">3 reads</span>' in client.get("/").content.decode()


# --- Leaving the public ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "take_down",
    [
        lambda article: workflow.article_unpublish(article=article, by=None),
        lambda article: workflow.article_kill(
            article=article, by=None, notice="Withdrawn for legal reasons."
        ),
        lambda article: workflow.articles_expire_due(now=timezone.now() + dt.timedelta(days=1)),
    ],
    ids=["unpublished", "killed", "expired"],
)
def test_a_story_taken_down_leaves_most_read_at_once_though_the_list_is_cached(
    client, settings, django_capture_on_commit_callbacks, take_down
):
    settings.MOST_READ_CACHE_SECONDS = 3600
    today = timezone.now().date()
    gone = ArticleFactory(headline="Story taken down", expire_at=timezone.now() + dt.timedelta(hours=1))
    stays = ArticleFactory(headline="Story that stays")
    ArticleViewDay.objects.create(article=gone, day=today, views=50)
    ArticleViewDay.objects.create(article=stays, day=today, views=5)
    api = APIClient()
    assert [i["headline"] for i in api.get("/api/articles/most-read/").json()] == [
        gone.headline,
        stays.headline,
    ]
    assert gone.headline in client.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        take_down(Article.objects.get(pk=gone.pk))

    assert [i["headline"] for i in api.get("/api/articles/most-read/").json()] == [stays.headline]
    assert [i.article.pk for i in counters.articles_most_read(window="7d", limit=5)] == [stays.pk]
    front = client.get("/").content.decode()
    assert stays.headline in front and gone.headline not in front


def test_a_list_computed_before_a_take_down_and_stored_after_it_is_never_served(
    settings, django_capture_on_commit_callbacks
):
    settings.MOST_READ_CACHE_SECONDS = 3600
    gone = ArticleFactory(headline="Story taken down")
    ArticleViewDay.objects.create(article=gone, day=timezone.now().date(), views=50)
    # A reader reads the generation and the database before the take-down commits...
    stale_key = f"articles:most-read:24h:{reads._most_read_generation()}"
    stale = reads._most_read(days=1, now=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_unpublish(article=gone, by=None)
    # ...and stores its list after it.
    cache.set(stale_key, stale, 3600)

    assert counters.articles_most_read(window="24h", limit=5) == []


def test_a_published_story_deleted_leaves_most_read_at_once(settings, django_capture_on_commit_callbacks):
    settings.MOST_READ_CACHE_SECONDS = 3600
    gone, stays = ArticleFactory(), ArticleFactory()
    ArticleViewDay.objects.create(article=gone, day=timezone.now().date(), views=50)
    ArticleViewDay.objects.create(article=stays, day=timezone.now().date(), views=5)
    assert [i.article.pk for i in counters.articles_most_read(window="24h", limit=5)] == [gone.pk, stays.pk]

    with django_capture_on_commit_callbacks(execute=True):
        gone.delete()

    assert [i.article.pk for i in counters.articles_most_read(window="24h", limit=5)] == [stays.pk]
