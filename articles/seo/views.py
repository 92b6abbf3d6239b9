"""What crawlers fetch besides pages: the sitemap index, its pages, the news sitemap, robots.txt, the favicon.

The sitemaps are written as plain strings rather than through templates: a page holds up to
50,000 addresses, and building them directly keeps it to a fraction of a template's time.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import quote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import require_GET

from articles.seo.site import news_language, site_root
from articles.seo.sitemaps import news_sitemap_entries, sitemap_page_count, sitemap_page_entries

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
# How long crawlers and caches may keep each answer, in seconds.
INDEX_MAX_AGE = 3600
PAGE_MAX_AGE = 3600
NEWS_MAX_AGE = 300
ROBOTS_MAX_AGE = 86400
FAVICON_MAX_AGE = 7 * 86400
FAVICON_PATH = "articles/favicon.ico"
# Characters XML 1.0 cannot carry at all, even escaped: a headline holding one would make the whole
# news sitemap unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Stand-in slug: the article address is reversed once per response, not once per story.
_SLUG_MARK = "__slug__"


def xml_text(value: str) -> str:
    """``value`` escaped for an XML element, without the characters XML forbids."""
    return escape(_NOT_XML.sub("", value))


@require_GET
def sitemap_index(request):
    """The sitemap index: one sitemap per id range of published stories, and the news sitemap."""
    root = site_root(request)
    pages = sitemap_page_count(page_size=settings.SITEMAP_PAGE_SIZE)
    locations = [root + reverse("articles:sitemap_news")]
    locations += [
        root + reverse("articles:sitemap_articles", kwargs={"page": n}) for n in range(1, pages + 1)
    ]
    body = "".join(f"<sitemap><loc>{xml_text(location)}</loc></sitemap>\n" for location in locations)
    return _xml(f'<sitemapindex xmlns="{SITEMAP_NS}">\n{body}</sitemapindex>\n', INDEX_MAX_AGE)


@require_GET
def sitemap_articles(request, page: int):
    """One id range of published stories, each with the time it last changed."""
    page_size = settings.SITEMAP_PAGE_SIZE
    if not 1 <= page <= sitemap_page_count(page_size=page_size):
        raise Http404("No such sitemap.")
    entries = sitemap_page_entries(page=page, page_size=page_size)
    if not entries:
        # Every story of the range was unpublished or deleted; the schema allows no empty page.
        raise Http404("No published story in this sitemap.")
    # The address around the slug is escaped once; a quoted slug holds nothing XML would escape.
    before, after = xml_text(
        site_root(request) + reverse("articles:article_detail", kwargs={"slug": _SLUG_MARK})
    ).split(_SLUG_MARK)
    body = "".join(
        f"<url><loc>{before}{quote(slug)}{after}</loc><lastmod>{updated_at.isoformat(timespec='seconds')}</lastmod></url>\n"
        for slug, updated_at in entries
    )
    return _xml(f'<urlset xmlns="{SITEMAP_NS}">\n{body}</urlset>\n', PAGE_MAX_AGE)


@require_GET
def sitemap_news(request):
    """Google News sitemap: the stories published in the last 48 hours, newest first."""
    address = site_root(request) + reverse("articles:article_detail", kwargs={"slug": _SLUG_MARK})
    publication = xml_text(settings.SITE_NAME)
    default_language = settings.LANGUAGE_CODE
    body = "".join(
        f"<url><loc>{xml_text(address.replace(_SLUG_MARK, quote(entry.slug)))}</loc>"
        "<news:news><news:publication>"
        f"<news:name>{publication}</news:name>"
        f"<news:language>{news_language(entry.language or default_language)}</news:language>"
        "</news:publication>"
        f"<news:publication_date>{entry.published_at.isoformat(timespec='seconds')}</news:publication_date>"
        f"<news:title>{xml_text(entry.headline)}</news:title>"
        "</news:news></url>\n"
        for entry in news_sitemap_entries(now=timezone.now())
    )
    # With no story in the window the set is empty: crawlers read that as "nothing new".
    return _xml(f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n{body}</urlset>\n', NEWS_MAX_AGE)


@require_GET
def robots_txt(request):
    """Crawl the public site; stay out of the admin, the API and search results; find the sitemaps here."""
    sitemap = site_root(request) + reverse("articles:sitemap_index")
    lines = [
        "User-agent: *",
        "Allow: /",
        "Disallow: /admin/",
        "Disallow: /api/",
        # Search results are endless and costly to answer; the stories are all in the sitemaps.
        "Disallow: /*?q=",
        "Disallow: /*&q=",
        "Disallow: /articles/*/pixel.gif",
        "",
        f"Sitemap: {sitemap}",
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={ROBOTS_MAX_AGE}"
    return response


@require_GET
def favicon(request):
    """The site's icon where browsers and crawlers look for it without reading a page."""
    response = HttpResponse(_favicon_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = f"public, max-age={FAVICON_MAX_AGE}"
    return response


@cache
def _favicon_bytes() -> bytes:
    path = finders.find(FAVICON_PATH)
    with open(path, "rb") as icon:
        return icon.read()


def _xml(document: str, max_age: int) -> HttpResponse:
    response = HttpResponse(XML_DECLARATION + document, content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response
