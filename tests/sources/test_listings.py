"""Reading feeds and sitemaps: pure Python, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from sources.listings import FEED, SITEMAP, ListingError, listing_parse

from .feeds import atom, news_sitemap, rss, sitemap_index


def test_rss_items_keep_their_links_resolved_and_their_dates():
    listing = listing_parse(
        rss(("/story/a", "Mon, 05 Oct 2015 10:00:00 GMT")), url="https://wire.example/feed.xml"
    )

    assert listing.kind == FEED
    assert [(item.url, item.published) for item in listing.items] == [
        ("https://wire.example/story/a", dt.date(2015, 10, 5))
    ]


def test_atom_entries_are_read_by_their_alternate_link():
    listing = listing_parse(
        atom(("https://wire.example/b", "2015-10-06T23:30:00Z")), url="https://wire.example/"
    )

    assert [(item.url, item.published) for item in listing.items] == [
        ("https://wire.example/b", dt.date(2015, 10, 6))
    ]


def test_a_news_sitemap_gives_the_publication_date_and_title():
    listing = listing_parse(news_sitemap(("https://wire.example/c", "2015-10-07T10:00:00+00:00")), url="x")

    assert listing.kind == SITEMAP
    assert listing.items[0].published == dt.date(2015, 10, 7)
    assert listing.items[0].title == "Item 0"


def test_a_sitemap_index_lists_its_sitemaps_newest_first():
    listing = listing_parse(
        sitemap_index(
            ("https://w.example/old.xml", "2015-01-01"), ("https://w.example/new.xml", "2015-10-01")
        ),
        url="x",
    )

    assert listing.items == ()
    assert [item.url for item in listing.sitemaps] == [
        "https://w.example/new.xml",
        "https://w.example/old.xml",
    ]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"<!doctype html><html><body>Home</body></html>", "a web page"),
        (b'{"items": []}', "neither an RSS or Atom feed nor a sitemap"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>x', "the feed cannot be read"),
        (b"<urlset><url><loc>http://x/</loc></url>", "not well-formed XML"),
    ],
)
def test_what_cannot_be_read_says_why(content, reason):
    with pytest.raises(ListingError, match=reason):
        listing_parse(content, url="https://wire.example/feed.xml")


def test_a_document_that_declares_entities_is_refused_before_parsing():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://x/&b;</loc></url></urlset>'
    )

    with pytest.raises(ListingError, match="declares XML entities"):
        listing_parse(bomb, url="x")
    with pytest.raises(ListingError, match="declares XML entities"):
        listing_parse(bomb.replace(b"urlset", b"rss"), url="x")


def test_feed_bytes_that_name_a_local_file_are_never_opened(tmp_path):
    secret = tmp_path / "secret.xml"
    secret.write_bytes(rss(("https://secret.example/a", "Mon, 05 Oct 2015 10:00:00 GMT")))

    # feedparser opens a string or bytes naming a file; the listing hands it a stream of the bytes.
    with pytest.raises(ListingError):
        listing_parse(str(secret).encode(), url="x", content_type="application/rss+xml")


def test_a_source_set_to_follow_a_sitemap_refuses_a_feed():
    with pytest.raises(ListingError, match="is a feed, but the source is set to follow a sitemap"):
        listing_parse(rss(), url="x", kind=SITEMAP)
