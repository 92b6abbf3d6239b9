"""Polling followed sources against feeds served on 127.0.0.1: each story fetched and ingested once."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from articles.models import Article, RawDocument
from sources import politeness, services
from sources.models import SeenItem, Source
from tests.factories import AgencyFactory, ArticleFactory, SourceFactory

from .feeds import atom, news_sitemap, rss, sitemap_index, story

pytestmark = pytest.mark.django_db

ETAG = '"v1"'
LAST_MODIFIED = "Mon, 05 Oct 2015 10:00:00 GMT"


@pytest.fixture
def wire(local_web, trusted_loopback, settings):
    """The test server, reachable by the fetcher, with a host interval short enough not to slow the suite."""
    settings.SOURCE_HOST_INTERVAL = 0.01
    return local_web


def poll(source: Source) -> services.PollOutcome:
    outcome = services.source_poll(source_id=source.pk)
    source.refresh_from_db()
    return outcome


def story_requests(server) -> list[str]:
    return [seen.path for seen in server.seen if seen.path.startswith("/story/")]


def test_an_rss_feed_brings_in_each_story_with_the_agency_and_the_items_date(
    wire, django_capture_on_commit_callbacks
):
    kuna = AgencyFactory(name="KUNA")
    for slug in ("a", "b"):
        wire.publish(f"/story/{slug}", story(slug))
    wire.publish(
        "/feed.xml",
        rss(
            (wire.url("/story/a"), "Mon, 05 Oct 2015 10:00:00 GMT"),
            (wire.url("/story/b"), "Tue, 06 Oct 2015 08:00:00 GMT"),
        ),
        "application/rss+xml",
        etag=ETAG,
    )
    source = SourceFactory(url=wire.url("/feed.xml"), agency=kuna)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = poll(source)

    assert (outcome.listed, outcome.new, outcome.ingested) == (2, 2, 2)
    raw = {doc.source: doc for doc in RawDocument.objects.all()}
    assert set(raw) == {wire.url("/story/a"), wire.url("/story/b")}
    first = raw[wire.url("/story/a")]
    assert first.source_kind == RawDocument.SourceKind.URL
    assert first.agency_hint == kuna
    assert first.reference_date == dt.date(2015, 10, 5)
    assert raw[wire.url("/story/b")].reference_date == dt.date(2015, 10, 6)
    assert first.publish_on_extract is False
    # Extraction ran on each page: two stories credited to the agency wait for an editor.
    articles = Article.objects.all()
    assert [article.agency for article in articles] == [kuna, kuna]
    assert not any(article.status == Article.Status.PUBLISHED for article in articles)
    assert source.kind == Source.Kind.FEED
    assert (source.items_seen, source.failures, source.last_error) == (2, 0, "")
    assert source.etag == ETAG
    assert source.last_success_at is not None
    assert source.next_poll_at == source.last_success_at + dt.timedelta(seconds=source.poll_interval)
    assert set(SeenItem.objects.values_list("raw_document__source", flat=True)) == set(raw)


def test_an_atom_feed_is_read_and_a_publishing_source_asks_for_publication(wire):
    wire.publish("/story/x", story("x"))
    wire.publish("/atom", atom((wire.url("/story/x"), "2015-10-07T09:30:00Z")), "application/atom+xml")
    source = SourceFactory(url=wire.url("/atom"), publish=True)

    outcome = poll(source)

    assert outcome.ingested == 1
    raw = RawDocument.objects.get()
    assert (raw.source, raw.reference_date, raw.publish_on_extract) == (
        wire.url("/story/x"),
        dt.date(2015, 10, 7),
        True,
    )
    assert source.kind == Source.Kind.FEED


def test_a_sitemap_index_leads_to_the_stories_of_its_news_sitemaps(wire):
    for slug in ("n1", "n2", "o1"):
        wire.publish(f"/story/{slug}", story(slug))
    wire.publish(
        "/news-1.xml",
        news_sitemap(
            (wire.url("/story/n1"), "2015-10-08T10:00:00+00:00"),
            (wire.url("/story/n2"), "2015-10-08"),
        ),
        "application/xml",
    )
    wire.publish("/news-0.xml", news_sitemap((wire.url("/story/o1"), "2015-09-30")), "application/xml")
    wire.publish(
        "/sitemap.xml",
        sitemap_index((wire.url("/news-0.xml"), "2015-09-30"), (wire.url("/news-1.xml"), "2015-10-08")),
        "application/xml",
    )
    source = SourceFactory(url=wire.url("/sitemap.xml"))

    outcome = poll(source)

    assert (outcome.listed, outcome.ingested) == (3, 3)
    dates = dict(RawDocument.objects.values_list("source", "reference_date"))
    assert dates == {
        wire.url("/story/n1"): dt.date(2015, 10, 8),
        wire.url("/story/n2"): dt.date(2015, 10, 8),
        wire.url("/story/o1"): dt.date(2015, 9, 30),
    }
    assert source.kind == Source.Kind.SITEMAP


def test_a_sitemap_index_that_lists_itself_is_followed_only_to_the_depth_limit(wire, settings):
    settings.SOURCE_SITEMAP_MAX_DEPTH = 2
    wire.publish("/loop.xml", sitemap_index((wire.url("/loop.xml"), "2015-10-08")), "application/xml")
    source = SourceFactory(url=wire.url("/loop.xml"))

    outcome = poll(source)

    assert outcome.listed == 0
    assert len(wire.asked("/loop.xml")) == 1 + settings.SOURCE_SITEMAP_MAX_DEPTH
    assert source.failures == 0


def test_a_second_poll_sends_the_validators_gets_304_and_ingests_nothing(wire):
    wire.publish("/story/a", story("a"))
    wire.publish(
        "/feed.xml",
        rss((wire.url("/story/a"), "Mon, 05 Oct 2015 10:00:00 GMT")),
        "application/rss+xml",
        etag=ETAG,
        last_modified=LAST_MODIFIED,
    )
    source = SourceFactory(url=wire.url("/feed.xml"))
    poll(source)
    assert (source.etag, source.last_modified) == (ETAG, LAST_MODIFIED)

    outcome = poll(source)

    first, second = wire.asked("/feed.xml")
    assert "If-None-Match" not in first.headers
    assert second.headers["If-None-Match"] == ETAG
    assert second.headers["If-Modified-Since"] == LAST_MODIFIED
    assert outcome.not_modified
    assert outcome.ingested == 0
    assert story_requests(wire) == ["/story/a"]
    assert RawDocument.objects.count() == 1
    assert source.last_error == ""


def test_the_next_poll_fetches_only_the_stories_that_are_new(wire):
    for slug in ("a", "b"):
        wire.publish(f"/story/{slug}", story(slug))
    wire.publish("/feed.xml", rss((wire.url("/story/a"), "Mon, 05 Oct 2015 10:00:00 GMT")), etag='"1"')
    source = SourceFactory(url=wire.url("/feed.xml"))
    poll(source)
    wire.publish(
        "/feed.xml",
        rss(
            (wire.url("/story/b"), "Tue, 06 Oct 2015 10:00:00 GMT"),
            (wire.url("/story/a"), "Mon, 05 Oct 2015 10:00:00 GMT"),
        ),
        etag='"2"',
    )

    outcome = poll(source)

    assert (outcome.listed, outcome.new, outcome.ingested) == (2, 1, 1)
    assert story_requests(wire) == ["/story/a", "/story/b"]
    assert RawDocument.objects.count() == 2
    assert (source.items_seen, source.etag) == (2, '"2"')


def test_one_story_under_two_spellings_of_its_address_is_fetched_once(wire):
    wire.publish("/story/a", story("a"))
    wire.publish("/story/a?utm_source=rss&utm_medium=feed", story("a"))
    wire.publish(
        "/feed.xml",
        rss(
            (wire.url("/story/a?utm_source=rss&utm_medium=feed"), "Mon, 05 Oct 2015 10:00:00 GMT"),
            (wire.url("/story/a/"), "Mon, 05 Oct 2015 10:00:00 GMT"),
        ),
    )
    source = SourceFactory(url=wire.url("/feed.xml"))

    outcome = poll(source)

    assert (outcome.listed, outcome.new, outcome.ingested) == (1, 1, 1)
    assert len(story_requests(wire)) == 1
    assert SeenItem.objects.count() == 1


def test_the_same_bytes_at_two_addresses_are_stored_once(wire):
    wire.publish("/story/a", story("a"))
    wire.publish("/story/a-copy", story("a"))
    wire.publish(
        "/feed.xml",
        rss(
            (wire.url("/story/a"), "Mon, 05 Oct 2015 10:00:00 GMT"),
            (wire.url("/story/a-copy"), "Mon, 05 Oct 2015 10:00:00 GMT"),
        ),
    )
    source = SourceFactory(url=wire.url("/feed.xml"))

    outcome = poll(source)

    assert (outcome.new, outcome.ingested, outcome.duplicates) == (2, 1, 1)
    raw = RawDocument.objects.get()
    assert list(SeenItem.objects.values_list("raw_document", flat=True)) == [raw.pk, raw.pk]


def test_a_story_another_source_or_the_desk_already_has_is_not_fetched_again(wire):
    for slug in ("a", "b"):
        wire.publish(f"/story/{slug}", story(slug))
    listing = rss(
        (wire.url("/story/a"), "Mon, 05 Oct 2015 10:00:00 GMT"),
        (wire.url("/story/b"), "Mon, 05 Oct 2015 10:00:00 GMT"),
    )
    wire.publish("/feed.xml", listing)
    wire.publish("/other.xml", listing)
    first = SourceFactory(url=wire.url("/feed.xml"))
    ArticleFactory(source_url=wire.url("/story/b?utm_campaign=x"))
    poll(first)
    assert story_requests(wire) == ["/story/a"]

    outcome = poll(SourceFactory(url=wire.url("/other.xml")))

    assert (outcome.new, outcome.ingested, outcome.duplicates) == (2, 0, 2)
    assert story_requests(wire) == ["/story/a"]
    assert RawDocument.objects.filter(source=wire.url("/story/a")).count() == 1


def test_a_broken_feed_is_recorded_with_a_readable_reason_and_the_source_backs_off(wire):
    wire.publish(
        "/feed.xml", b'<?xml version="1.0"?><rss version="2.0"><channel><item><link>http://x', "text/xml"
    )
    source = SourceFactory(url=wire.url("/feed.xml"), poll_interval=600)

    before = timezone.now()
    poll(source)

    assert source.failures == 1
    assert source.last_error.startswith(f"{wire.url('/feed.xml')} could not be read: the feed cannot be read")
    assert source.last_success_at is None
    assert source.next_poll_at >= before + dt.timedelta(seconds=1200)

    wire.publish("/feed.xml", b"", "text/html", status=500)
    before = timezone.now()
    poll(source)

    assert source.failures == 2
    assert source.last_error == f"could not fetch {wire.url('/feed.xml')}: HTTP 500"
    assert source.next_poll_at >= before + dt.timedelta(seconds=2400)
    assert not RawDocument.objects.exists()


def test_a_web_page_where_a_feed_was_expected_says_so(wire):
    wire.publish("/feed.xml", story("not-a-feed"))
    source = SourceFactory(url=wire.url("/feed.xml"))

    poll(source)

    assert "answers with a web page, not a feed or sitemap" in source.last_error


def test_a_good_poll_after_failures_clears_the_error(wire):
    wire.publish("/feed.xml", rss())
    source = SourceFactory(url=wire.url("/feed.xml"), failures=3, last_error="HTTP 500")

    poll(source)

    assert (source.failures, source.last_error) == (0, "")


def test_a_429_with_retry_after_puts_the_source_and_the_host_off(wire):
    wire.publish("/feed.xml", b"", status=429, headers={"Retry-After": "3600"})
    wire.publish("/other.xml", rss())
    source = SourceFactory(url=wire.url("/feed.xml"), poll_interval=60)

    before = timezone.now()
    poll(source)

    assert source.failures == 1
    assert "HTTP 429" in source.last_error
    assert "asked to wait 3600 s" in source.last_error
    assert source.next_poll_at >= before + dt.timedelta(seconds=3600)
    # Every source on that host waits too, without a single request.
    other = SourceFactory(url=wire.url("/other.xml"))
    outcome = poll(other)
    assert outcome.deferred is not None and outcome.deferred > 3000
    assert wire.asked("/other.xml") == []
    assert other.failures == 0
    assert other.next_poll_at >= before + dt.timedelta(seconds=3000)


def test_a_429_on_a_story_stops_the_poll_and_the_rest_comes_later(wire, settings):
    wire.publish("/story/a", b"", status=429, headers={"Retry-After": "120"})
    wire.publish("/story/b", story("b"))
    wire.publish(
        "/feed.xml",
        rss(
            (wire.url("/story/a"), "Mon, 05 Oct 2015 10:00:00 GMT"),
            (wire.url("/story/b"), "Mon, 05 Oct 2015 10:00:00 GMT"),
        ),
        etag=ETAG,
    )
    source = SourceFactory(url=wire.url("/feed.xml"))

    outcome = poll(source)

    assert (outcome.failed, outcome.left_for_later) == (1, 2)
    assert story_requests(wire) == ["/story/a"]
    # The listing is asked for in full next time: the validators are kept only once all is done.
    assert source.etag == ""
    assert SeenItem.objects.get().error.endswith("HTTP 429")


def test_requests_to_one_host_are_spaced_by_the_host_interval(wire, settings):
    settings.SOURCE_HOST_INTERVAL = 0.3
    slugs = ("a", "b", "c")
    for slug in slugs:
        wire.publish(f"/story/{slug}", story(slug))
    wire.publish(
        "/feed.xml", rss(*[(wire.url(f"/story/{s}"), "Mon, 05 Oct 2015 10:00:00 GMT") for s in slugs])
    )
    source = SourceFactory(url=wire.url("/feed.xml"))

    poll(source)

    times = [seen.at for seen in wire.seen]
    assert len(times) == 4
    # Each request waited for the turn booked by the one before it (a little slack for delivery).
    assert all(later - earlier >= 0.25 for earlier, later in itertools.pairwise(times))


def test_the_host_turn_is_shared_and_retry_after_extends_it(settings):
    settings.SOURCE_HOST_INTERVAL = 30
    host = f"turn-{timezone.now().timestamp()}.example"

    assert politeness.host_turn(host) == 0
    wait = politeness.host_turn(host)
    assert 25 < wait <= 30
    assert politeness.host_wait(host, max_wait=1) == pytest.approx(wait, abs=1)
    politeness.host_hold(host, 600)
    assert politeness.host_turn(host) > 500


def test_a_story_that_cannot_be_fetched_is_tried_again_up_to_the_limit(wire, settings):
    settings.SOURCE_ITEM_MAX_ATTEMPTS = 2
    wire.publish("/feed.xml", rss((wire.url("/story/gone"), "Mon, 05 Oct 2015 10:00:00 GMT")))
    source = SourceFactory(url=wire.url("/feed.xml"))

    for _ in range(3):
        poll(source)

    assert story_requests(wire) == ["/story/gone", "/story/gone"]
    item = SeenItem.objects.get()
    assert (item.attempts, item.raw_document) == (2, None)
    assert item.error.endswith("HTTP 404")
    assert source.failures == 0  # the feed itself was read fine


def test_at_most_the_poll_limit_of_stories_is_fetched_and_the_next_poll_comes_soon(wire, settings):
    settings.SOURCE_ITEMS_PER_POLL = 2
    slugs = ("a", "b", "c")
    for slug in slugs:
        wire.publish(f"/story/{slug}", story(slug))
    wire.publish(
        "/feed.xml", rss(*[(wire.url(f"/story/{s}"), "Mon, 05 Oct 2015 10:00:00 GMT") for s in slugs])
    )
    source = SourceFactory(url=wire.url("/feed.xml"), poll_interval=3600)

    outcome = poll(source)

    assert (outcome.ingested, outcome.left_for_later) == (2, 1)
    assert source.next_poll_at <= source.last_success_at + services.CATCH_UP_AFTER
    assert poll(source).ingested == 1
    assert RawDocument.objects.count() == 3


def test_a_source_held_by_a_running_poll_is_not_polled_twice(wire):
    wire.publish("/feed.xml", rss())
    source = SourceFactory(url=wire.url("/feed.xml"), polling_until=timezone.now() + dt.timedelta(minutes=5))

    assert services.source_poll(source_id=source.pk) is None
    assert wire.seen == []


def test_a_private_address_is_refused_without_trust(local_web):
    source = SourceFactory(url=local_web.url("/feed.xml"))

    poll(source)

    assert "127.0.0.1 is a loopback address" in source.last_error
    assert local_web.seen == []


def test_a_child_sitemap_that_fails_costs_only_its_own_stories(wire):
    wire.publish("/story/n1", story("n1"))
    wire.publish("/news-1.xml", news_sitemap((wire.url("/story/n1"), "2015-10-08")), "application/xml")
    wire.publish(
        "/sitemap.xml",
        sitemap_index((wire.url("/gone.xml"), "2015-10-09"), (wire.url("/news-1.xml"), "2015-10-08")),
        "application/xml",
    )
    source = SourceFactory(url=wire.url("/sitemap.xml"))

    outcome = poll(source)

    assert outcome.ingested == 1
    assert outcome.errors == [f"could not fetch {wire.url('/gone.xml')}: HTTP 404"]
    assert (source.failures, source.items_seen) == (0, 1)
