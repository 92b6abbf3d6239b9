"""Honest figures: bots, prefetches and repeats are not counted; visitors are hashes, never addresses."""

import datetime as dt
import logging
import socket

import pytest
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.test import APIClient

from articles import counters
from articles.counters import keys, visitors
from articles.models import Article, ArticleViewDay
from tests.factories import CHROME, ArticleFactory

pytestmark = [pytest.mark.django_db]

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
    "curl/8.5.0",
    "python-requests/2.32.3",
    "Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
]
PREFETCHES = [
    {"HTTP_SEC_PURPOSE": "prefetch"},
    {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
    {"HTTP_PURPOSE": "prefetch"},
    {"HTTP_X_PURPOSE": "preview"},
    {"HTTP_X_MOZ": "prefetch"},
]
# From the documentation range (RFC 5737): no real reader's address.
ADDRESS = "203.0.113.77"


@pytest.fixture
def api():
    return APIClient()


def beacon(api, article, *, ua=CHROME, ip=ADDRESS, cookie=None, **headers):
    if cookie is not None:
        api.cookies["nr_vid"] = cookie
    response = api.post(f"/api/articles/{article.pk}/views/", HTTP_USER_AGENT=ua, REMOTE_ADDR=ip, **headers)
    assert response.status_code == 204
    return response


def counted(article):
    """Views counted so far: flushed, plus pending in Redis."""
    return Article.objects.get(pk=article.pk).view_count + counters.article_pending_views(
        article_id=article.pk
    )


# --- What is not a page view (any backend) -----------------------------------------------------


@pytest.mark.parametrize("ua", BOTS)
def test_known_bots_get_a_204_and_are_not_counted(api, ua):
    article = ArticleFactory()

    beacon(api, article, ua=ua)

    assert counted(article) == 0


@pytest.mark.parametrize("ua", [CHROME, IPHONE])
def test_browsers_are_counted(api, settings, ua):
    settings.VIEW_COUNTER_BACKEND = "database"
    article = ArticleFactory()

    beacon(api, article, ua=ua)

    assert counted(article) == 1


@pytest.mark.parametrize("ua", ["", "   "])
def test_a_hit_without_a_user_agent_is_not_counted(api, settings, ua):
    # Every browser sends one with sendBeacon and image loads; scripts and tools need not.
    settings.VIEW_COUNTER_BACKEND = "database"
    article = ArticleFactory()

    beacon(api, article, ua=ua)

    assert counted(article) == 0
    assert visitors.hit_ignored(RequestFactory().post("/"), fetch_dest="empty") == visitors.Ignored.BOT


@pytest.mark.parametrize("headers", PREFETCHES)
def test_prefetches_and_prerenders_are_not_counted(api, headers):
    article = ArticleFactory()

    beacon(api, article, **headers)

    assert counted(article) == 0


def test_a_beacon_that_is_no_beacon_fetch_or_comes_from_another_site_is_not_counted(api, settings):
    settings.VIEW_COUNTER_BACKEND = "database"
    article = ArticleFactory()

    beacon(api, article, HTTP_SEC_FETCH_DEST="document")
    beacon(api, article, HTTP_SEC_FETCH_DEST="empty", HTTP_SEC_FETCH_SITE="cross-site")
    assert counted(article) == 0
    beacon(api, article, HTTP_SEC_FETCH_DEST="empty", HTTP_SEC_FETCH_SITE="same-origin")
    assert counted(article) == 1


def test_the_pixel_counts_an_image_load_but_not_a_visit_to_its_address(client, settings):
    settings.VIEW_COUNTER_BACKEND = "database"
    article = ArticleFactory()
    url = f"/articles/{article.pk}/pixel.gif"

    assert client.get(url, HTTP_USER_AGENT=CHROME, HTTP_SEC_FETCH_DEST="document").status_code == 200
    assert client.get(url, HTTP_USER_AGENT=BOTS[0], HTTP_SEC_FETCH_DEST="image").status_code == 200
    assert counted(article) == 0
    client.get(url, HTTP_USER_AGENT=CHROME, HTTP_SEC_FETCH_DEST="image")
    assert counted(article) == 1


def test_bot_patterns_of_our_own_come_from_the_data_file():
    assert visitors.user_agent_is_bot("Mozilla/5.0 (compatible; Pingdom.com_bot_version_1.4)")
    assert visitors.user_agent_is_bot("Mozilla/5.0 Playwright/1.49")
    assert not visitors.user_agent_is_bot(CHROME)


def test_outcomes_say_why_a_hit_was_not_counted(settings):
    settings.VIEW_COUNTER_BACKEND = "database"
    article = ArticleFactory()
    factory = RequestFactory()

    def outcome(**meta):
        request = factory.post("/", **meta)
        return counters.article_view_hit(request=request, article_id=article.pk, fetch_dest="empty")

    assert outcome(HTTP_USER_AGENT=BOTS[0]) == counters.Outcome.BOT
    assert outcome(HTTP_USER_AGENT=CHROME, HTTP_SEC_PURPOSE="prefetch") == counters.Outcome.PREFETCH
    assert outcome(HTTP_USER_AGENT=CHROME, HTTP_SEC_FETCH_DEST="iframe") == counters.Outcome.NOT_A_VIEW
    assert outcome(HTTP_USER_AGENT=CHROME) == counters.Outcome.COUNTED


# --- Visitors -----------------------------------------------------------------------------------


def test_a_visitor_is_a_keyed_hash_of_address_and_agent_or_of_the_cookie_id(settings):
    factory = RequestFactory()
    by_address = factory.get("/", REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=CHROME)
    other_agent = factory.get("/", REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=IPHONE)
    with_cookie = factory.get("/", REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=CHROME)
    with_cookie.COOKIES["nr_vid"] = "reader-0123456789"
    elsewhere = factory.get("/", REMOTE_ADDR="198.51.100.9", HTTP_USER_AGENT=IPHONE)
    elsewhere.COOKIES["nr_vid"] = "reader-0123456789"

    ids = [visitors.visitor_id(r, salt="s1") for r in (by_address, other_agent, with_cookie, elsewhere)]

    assert all(len(i) == 32 and ADDRESS not in i for i in ids)
    assert ids[0] != ids[1]
    assert ids[2] == ids[3] != ids[0]  # the cookie id wins over address and agent
    assert visitors.visitor_id(by_address, salt="s2") != ids[0]  # a new day's salt, a new hash
    settings.SECRET_KEY = "another-secret"
    assert visitors.visitor_id(by_address, salt="s1") != ids[0]


def test_behind_trusted_proxies_the_address_is_the_one_the_outermost_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    factory = RequestFactory()
    a = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.66, {ADDRESS}")
    b = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=ADDRESS)
    c = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"{ADDRESS}, 198.51.100.9")

    assert (
        visitors.visitor_id(a, salt="s")
        == visitors.visitor_id(b, salt="s")
        != visitors.visitor_id(c, salt="s")
    )


def test_without_trusted_proxies_a_forwarded_for_header_changes_nothing(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    factory = RequestFactory()
    plain = factory.get("/", REMOTE_ADDR=ADDRESS)
    spoofed = factory.get("/", REMOTE_ADDR=ADDRESS, HTTP_X_FORWARDED_FOR="203.0.113.66")

    assert visitors.visitor_id(plain, salt="s") == visitors.visitor_id(spoofed, salt="s")
    assert visitors.address_id(plain, salt="s") == visitors.address_id(spoofed, salt="s")


def test_a_malformed_cookie_id_is_ignored():
    factory = RequestFactory()
    plain = factory.get("/", REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=CHROME)
    odd = factory.get("/", REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=CHROME)
    odd.COOKIES["nr_vid"] = "<script>"

    assert visitors.visitor_id(odd, salt="s") == visitors.visitor_id(plain, salt="s")


# --- Dedupe window and unique visitors (Redis) --------------------------------------------------


@pytest.mark.services
def test_repeated_hits_of_one_visitor_within_the_window_count_once(api, settings, redis_client):
    settings.VIEW_DEDUPE_WINDOW = 1800
    settings.VIEW_MAX_PER_ADDRESS = 2
    article, other = ArticleFactory(), ArticleFactory()

    for _ in range(5):
        beacon(api, article)
    beacon(api, article, ip="198.51.100.9")  # another reader
    beacon(api, article, ua=IPHONE)  # another device behind the same address
    beacon(api, other)  # the same reader on another story

    assert counted(article) == 3
    assert counted(other) == 1
    seen = list(redis_client.scan_iter(match=f"{keys.KEY_PREFIX}:seen:{article.pk}:*"))
    assert len(seen) == 3
    assert 1790 <= redis_client.ttl(seen[0]) <= 1800
    addresses = list(redis_client.scan_iter(match=f"{keys.KEY_PREFIX}:addr:{article.pk}:*"))
    assert len(addresses) == 2  # two addresses, each a keyed hash
    assert not any(ADDRESS.encode() in key for key in addresses)


@pytest.mark.services
def test_a_changing_user_agent_or_cookie_does_not_multiply_one_addresss_views(api, settings, redis_client):
    """The probe: fifty hits from one address, each with a new agent or a new cookie, count one view."""
    settings.VIEW_DEDUPE_WINDOW = 1800
    by_agent, by_cookie, elsewhere = ArticleFactory(), ArticleFactory(), ArticleFactory()

    for n in range(50):
        beacon(APIClient(), by_agent, ua=f"{CHROME} Extra/{n}")
        beacon(APIClient(), by_cookie, cookie=f"random-visitor-{n:08d}")
    for n in range(5):
        beacon(APIClient(), elsewhere, ip=f"198.51.100.{n + 10}", cookie=f"random-visitor-{n:08d}")

    assert (counted(by_agent), counted(by_cookie)) == (1, 1)
    assert counted(elsewhere) == 5  # readers at other addresses still count


@pytest.mark.services
def test_a_spoofed_forwarded_for_header_does_not_multiply_views(api, settings, redis_client):
    settings.VIEW_DEDUPE_WINDOW = 1800
    direct, proxied = ArticleFactory(), ArticleFactory()

    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(50):
        beacon(APIClient(), direct, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    # One proxy: only the address it appended counts, not what the client put before it.
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(50):
        beacon(APIClient(), proxied, ip="10.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, {ADDRESS}")
    beacon(APIClient(), proxied, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9")

    assert counted(direct) == 1
    assert counted(proxied) == 2


@pytest.mark.services
def test_an_address_may_count_more_views_where_many_readers_share_it(api, settings, redis_client):
    settings.VIEW_DEDUPE_WINDOW = 1800
    settings.VIEW_MAX_PER_ADDRESS = 3
    article = ArticleFactory()

    for n in range(10):
        beacon(APIClient(), article, cookie=f"office-reader-{n:04d}")

    assert counted(article) == 3


@pytest.mark.services
def test_a_visitor_counts_again_once_the_window_has_passed(api, settings, redis_client):
    settings.VIEW_DEDUPE_WINDOW = 1
    article = ArticleFactory()

    beacon(api, article)
    beacon(api, article)
    assert counted(article) == 1
    for pattern in (f"{keys.KEY_PREFIX}:seen:{article.pk}:*", f"{keys.KEY_PREFIX}:addr:{article.pk}:*"):
        for key in redis_client.scan_iter(match=pattern):
            assert redis_client.pttl(key) <= 1000
            redis_client.delete(key)  # what the expiry does a second later
    beacon(api, article)

    assert counted(article) == 2


@pytest.mark.services
def test_a_window_of_zero_counts_every_hit(api, settings, redis_client):
    settings.VIEW_DEDUPE_WINDOW = 0
    article = ArticleFactory()

    for _ in range(4):
        beacon(api, article)

    assert counted(article) == 4


@pytest.mark.services
def test_readers_with_a_cookie_id_are_told_apart_behind_one_address(settings, redis_client):
    settings.VIEW_MAX_PER_ADDRESS = 10
    article = ArticleFactory()

    for n in range(3):
        beacon(APIClient(), article, cookie=f"reader-cookie-{n:04d}")
    beacon(APIClient(), article, cookie="reader-cookie-0000", ip="198.51.100.9")  # the same reader, moved

    assert counted(article) == 3


@pytest.mark.services
def test_unique_visitors_per_day_come_from_a_hyperloglog(settings, redis_client):
    settings.VIEW_DEDUPE_WINDOW = 0
    article = ArticleFactory()
    client = APIClient()
    for n in range(40):
        beacon(client, article, ip=f"198.51.100.{n % 25}")

    counters.view_counts_flush()

    row = ArticleViewDay.objects.get(article=article, day=timezone.now().date())
    estimate = redis_client.pfcount(keys.uniques_key(article.pk, row.day))
    assert row.views == 40
    assert row.unique_visitors == estimate
    # Exact but for a collision of two hashes in one register (about 2% at 25 visitors).
    assert 24 <= estimate <= 25


@pytest.mark.services
def test_the_daily_salt_is_shared_through_redis_and_expires(redis_client):
    day = dt.date(2030, 1, 2)
    visitors._salts.clear()

    salt = visitors.daily_salt(redis_client, day)
    visitors._salts.clear()  # another process
    assert visitors.daily_salt(redis_client, day) == salt
    assert 0 < redis_client.ttl(keys.salt_key(day)) <= visitors.SALT_TTL
    redis_client.delete(keys.salt_key(day))
    visitors._salts.clear()


# --- No raw address anywhere ---------------------------------------------------------------------


def _redis_dump(client) -> bytes:
    parts = []
    for key in client.scan_iter(match="*"):
        parts.append(key)
        kind = client.type(key)
        if kind == b"string":
            parts.append(client.get(key) or b"")
        elif kind == b"hash":
            for field, value in client.hgetall(key).items():
                parts += [field, value]
        elif kind == b"list":
            parts += client.lrange(key, 0, -1)
        elif kind == b"set":
            parts += list(client.smembers(key))
        elif kind == b"zset":
            parts += [member for member, _ in client.zrange(key, 0, -1, withscores=True)]
    return b"\n".join(parts)


def _database_dump() -> str:
    """Every row of every table, as text."""
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows += [repr(row) for row in cursor.fetchall()]
    return "\n".join(rows)


@pytest.mark.services
def test_no_raw_address_is_stored_in_redis_the_database_or_the_logs(settings, redis_client, caplog):
    caplog.set_level(logging.DEBUG)
    settings.VIEW_DEDUPE_WINDOW = 1800
    article = ArticleFactory()
    api = APIClient()
    for _ in range(3):
        beacon(api, article)
    beacon(api, article, ip="198.51.100.9")
    assert counters.article_pending_views(article_id=article.pk) == 2

    needles = [ADDRESS.encode(), socket.inet_aton(ADDRESS), ADDRESS.replace(".", "").encode()]
    dump = _redis_dump(redis_client)
    assert not [n for n in needles if n in dump]

    counters.view_counts_flush()
    assert Article.objects.get(pk=article.pk).view_count == 2
    assert ADDRESS not in _database_dump()
    assert not [n for n in needles if n in _redis_dump(redis_client)]
    assert ADDRESS not in caplog.text


def test_without_redis_no_raw_address_is_stored_either(settings, caplog):
    caplog.set_level(logging.DEBUG)
    settings.VIEW_COUNTER_BACKEND = "database"
    article = ArticleFactory()

    beacon(APIClient(), article)

    assert Article.objects.get(pk=article.pk).view_count == 1
    assert ADDRESS not in _database_dump()
    assert ADDRESS not in caplog.text


# --- Legacy counts stay apart -----------------------------------------------------------------------


def test_legacy_views_stay_apart_the_page_shows_the_sum_the_api_both(client, settings):
    settings.VIEW_COUNTER_BACKEND = "database"
    article = ArticleFactory(legacy_view_count=7484)
    beacon(APIClient(), article)

    html = client.get(article.get_absolute_url()).content.decode()
    detail = APIClient().get(f"/api/articles/{article.pk}/").json()
    daily = APIClient().get(f"/api/articles/{article.pk}/views/daily/", {"days": 3}).json()

    assert "Read 7,485 times" in html
    assert (detail["legacy_view_count"], detail["view_count"], detail["total_views"]) == (7484, 1, 7485)
    assert daily["legacy_view_count"] == 7484 and daily["view_count"] == 1 and daily["total_views"] == 7485
    today = timezone.now().date()
    assert daily["days"] == [
        {"day": today.isoformat(), "views": 1, "unique_visitors": 0},
        {"day": (today - dt.timedelta(days=1)).isoformat(), "views": 0, "unique_visitors": 0},
        {"day": (today - dt.timedelta(days=2)).isoformat(), "views": 0, "unique_visitors": 0},
    ]


@pytest.mark.services
def test_the_api_adds_pending_views_to_the_total(settings, redis_client):
    article = ArticleFactory(legacy_view_count=10, view_count=5)
    beacon(APIClient(), article)

    daily = APIClient().get(f"/api/articles/{article.pk}/views/daily/").json()

    assert (daily["view_count"], daily["pending_views"], daily["total_views"]) == (5, 1, 16)
    assert len(daily["days"]) == 14


def test_daily_views_of_a_draft_are_not_public_and_days_are_bounded(settings):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    article = ArticleFactory()
    api = APIClient()

    assert api.get(f"/api/articles/{draft.pk}/views/daily/").status_code == 404
    assert api.get(f"/api/articles/{article.pk}/views/daily/", {"days": 0}).status_code == 400
    assert api.get(f"/api/articles/{article.pk}/views/daily/", {"days": 91}).status_code == 400
    assert len(api.get(f"/api/articles/{article.pk}/views/daily/", {"days": 90}).json()["days"]) == 90


def test_the_admin_shows_both_counts_and_the_last_14_days(admin_client):
    article = ArticleFactory(legacy_view_count=7484, view_count=16)
    today = timezone.now().date()
    ArticleViewDay.objects.create(article=article, day=today, views=12, unique_visitors=9)
    ArticleViewDay.objects.create(
        article=article, day=today - dt.timedelta(days=3), views=4, unique_visitors=4
    )
    ArticleViewDay.objects.create(
        article=article, day=today - dt.timedelta(days=20), views=99, unique_visitors=1
    )

    html = admin_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()

    assert "7484" in html and "16" in html
    assert f"<tr><td>{today.isoformat()}</td><td>12</td><td>9</td></tr>" in html
    assert f"<tr><td>{(today - dt.timedelta(days=3)).isoformat()}</td><td>4</td><td>4</td></tr>" in html
    assert (today - dt.timedelta(days=20)).isoformat() not in html
    assert html.count("<tr><td>") == 14
