"""What a feed or a sitemap lists: story addresses and their dates. Pure Python, no Django.

RSS 0.9x-2.0, RSS 1.0 and Atom are read by feedparser, always from a stream of the bytes
already downloaded (given a string or even bytes, feedparser may open a URL or a local file of
that name). Sitemaps (``urlset``, Google News sitemaps, ``sitemapindex``) are read by lxml with
entities, DTDs and the network switched off. A document that declares entities is refused
before either reads it: no feed or sitemap needs them, and they are how XML bombs and external
entity attacks begin.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import feedparser
from lxml import etree

from articles.extraction.sniff import followable_kind

FEED = "feed"
SITEMAP = "sitemap"

_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


# What feedparser reports about a readable feed: a charset or media type the server got wrong.
_HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


class ListingError(Exception):
    """The document is no feed or sitemap that can be read; the message says why, for an editor."""


@dataclass(frozen=True)
class Item:
    url: str
    published: dt.date | None = None
    title: str = ""


@dataclass(frozen=True)
class Listing:
    kind: str  # FEED or SITEMAP
    items: tuple[Item, ...] = ()
    # A sitemap index lists sitemaps rather than stories: these, newest first.
    sitemaps: tuple[Item, ...] = ()
    title: str = ""


def listing_kind(content: bytes, content_type: str = "") -> str | None:
    """FEED or SITEMAP as the bytes show it; None when they are neither."""
    what = followable_kind(content, content_type)
    if what is None:
        return None
    return SITEMAP if "sitemap" in what else FEED


def listing_parse(content: bytes, *, url: str, content_type: str = "", kind: str = "") -> Listing:
    """The stories (or child sitemaps) ``content`` lists; ``kind`` FEED or SITEMAP, or "" to detect it."""
    if b"<!ENTITY" in content[:65536].upper():
        raise ListingError(
            "the document declares XML entities, which no feed or sitemap needs; it is not read"
        )
    found = listing_kind(content, content_type)
    if found is None:
        head = content[:200].decode("utf-8", "replace").strip()
        if not head:
            raise ListingError("the answer was empty: no feed or sitemap")
        if head.lstrip().lower().startswith(("<!doctype html", "<html")):
            raise ListingError("the address answers with a web page, not a feed or sitemap")
        raise ListingError("the document is neither an RSS or Atom feed nor a sitemap")
    if kind and kind != found:
        raise ListingError(f"the document is a {found}, but the source is set to follow a {kind}")
    return (
        _sitemap_parse(content)
        if found == SITEMAP
        else _feed_parse(content, url=url, content_type=content_type)
    )


def _feed_parse(content: bytes, *, url: str, content_type: str) -> Listing:
    # The bytes were already recognised as a feed: a server calling it text/html changes nothing.
    xml_type = "xml" in content_type.split(";", 1)[0] or "rss" in content_type or "atom" in content_type
    parsed = feedparser.parse(
        io.BytesIO(content),
        response_headers={
            "content-location": url,
            "content-type": content_type if xml_type else "application/xml",
        },
        sanitize_html=False,
    )
    items = []
    for entry in parsed.entries:
        link = _entry_link(entry)
        if link:
            items.append(Item(link, _struct_date(entry), " ".join(entry.get("title", "").split())[:500]))
    # Many real feeds are a little ill-formed and still list their stories; one that lists none is broken.
    broken = parsed.get("bozo") and not isinstance(parsed.get("bozo_exception"), _HARMLESS)
    if not items and (broken or not parsed.get("version")):
        reason = parsed.get("bozo_exception")
        raise ListingError(f"the feed cannot be read: {reason}" if reason else "the feed cannot be read")
    return Listing(FEED, tuple(items), title=parsed.feed.get("title", "")[:200])


def _entry_link(entry) -> str:
    candidates = [entry.get("link", "")]
    candidates += [link.get("href", "") for link in entry.get("links", []) if link.get("rel") == "alternate"]
    candidates.append(entry.get("id", ""))  # Atom ids are often the story's address
    return next((link.strip() for link in candidates if link.strip().startswith(("http://", "https://"))), "")


def _struct_date(entry) -> dt.date | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if not stamp:
        return None
    try:
        return dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
    except ValueError:
        return None


def _sitemap_parse(content: bytes) -> Listing:
    try:
        root = etree.fromstring(content, parser=etree.XMLParser(**_PARSER_OPTIONS))
    except etree.XMLSyntaxError as exc:
        raise ListingError(f"the sitemap is not well-formed XML: {exc}") from exc
    entries = []
    for node in root:
        if not isinstance(node.tag, str) or etree.QName(node).localname not in ("url", "sitemap"):
            continue
        fields = _children(node)
        loc = fields.get("loc", "").strip()
        if not loc.startswith(("http://", "https://")):
            continue
        news = next((child for child in node if _local(child) == "news"), None)
        news_fields = _children(news) if news is not None else {}
        published = _iso_date(news_fields.get("publication_date", "")) or _iso_date(fields.get("lastmod", ""))
        entries.append(Item(loc, published, " ".join(news_fields.get("title", "").split())[:500]))
    if _local(root) == "sitemapindex":
        newest_first = sorted(entries, key=lambda item: item.published or dt.date.min, reverse=True)
        return Listing(SITEMAP, sitemaps=tuple(newest_first))
    return Listing(SITEMAP, tuple(entries))


def _local(node) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ""


def _children(node) -> dict[str, str]:
    return {_local(child): child.text or "" for child in node if _local(child)}


def _iso_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
