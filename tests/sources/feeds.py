"""Feeds, sitemaps and story pages for the polling tests, served by ``tests/web_server.py``."""

from __future__ import annotations

from xml.sax.saxutils import escape


def story(slug: str) -> bytes:
    """A story page whose bytes differ by ``slug``."""
    return (
        f"<html><head><title>Story {slug}</title></head><body><article><h1>Story {slug}</h1>"
        f"<p>VIENNA, Oct 5 -- Oil ministers met on {slug} and agreed to keep output steady until the "
        "spring, officials said after the talks, which had been expected to last two days.</p>"
        "<p>Prices rose after the announcement, and traders said the market had not expected it.</p>"
        "</article></body></html>"
    ).encode()


def rss(*items: tuple[str, str]) -> bytes:
    """RSS 2.0 listing ``(link, RFC 822 date)`` pairs."""
    entries = "".join(
        f"<item><title>Item {index}</title><link>{escape(link)}</link><pubDate>{date}</pubDate></item>"
        for index, (link, date) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>'
        f"<link>http://wire.example/</link><description>Latest</description>{entries}</channel></rss>"
    ).encode()


def atom(*items: tuple[str, str]) -> bytes:
    """Atom 1.0 listing ``(link, ISO date)`` pairs."""
    entries = "".join(
        f'<entry><title>Item {index}</title><link rel="alternate" href="{escape(link)}"/>'
        f"<id>urn:item:{index}</id><updated>{date}</updated><published>{date}</published></entry>"
        for index, (link, date) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>'
        f"<id>urn:wire</id><updated>2015-10-06T00:00:00Z</updated>{entries}</feed>"
    ).encode()


def news_sitemap(*items: tuple[str, str]) -> bytes:
    """A Google News sitemap listing ``(loc, publication date)`` pairs."""
    urls = "".join(
        f"<url><loc>{escape(loc)}</loc><news:news><news:publication><news:name>Wire</news:name>"
        f"<news:language>en</news:language></news:publication><news:publication_date>{date}"
        f"</news:publication_date><news:title>Item {index}</news:title></news:news></url>"
        for index, (loc, date) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    ).encode()


def sitemap_index(*sitemaps: tuple[str, str]) -> bytes:
    """A sitemap index listing ``(loc, lastmod)`` pairs."""
    entries = "".join(
        f"<sitemap><loc>{escape(loc)}</loc><lastmod>{lastmod}</lastmod></sitemap>"
        for loc, lastmod in sitemaps
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'
    ).encode()
