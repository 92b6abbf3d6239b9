"""The NewsArticle JSON-LD of an article page, and how it is written safely into the HTML.

What each property holds (schema.org's NewsArticle, as Google's article rich results read it):

- ``headline``, ``description`` (``Article.summary``), ``url`` and ``mainEntityOfPage`` (the
  canonical address), ``inLanguage``, ``datePublished`` / ``dateModified``;
- ``author``: a ``Person`` per name of the byline; a story with no byline is credited to its
  agency, which is also its ``sourceOrganization``;
- ``dateline`` and ``locationCreated`` (a ``Place`` named by the dateline);
- ``articleSection``, ``keywords`` (the source's tags), ``image`` (the lead picture);
- ``publisher``: this site, an ``Organization`` with its logo;
- whatever other apps add through ``hooks.STRUCTURED_DATA`` (entities: ``mentions``).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from articles import hooks
from articles.seo.site import absolute_url, article_language, site_root

SCHEMA_ORG = "https://schema.org"
LOGO_PATH = "articles/logo.png"

# Inside <script> the HTML parser ends the element at "</script>" whatever JSON thinks of it, and
# "<!--" changes how it reads on. Escaped as JSON escapes, the data means the same and cannot break out.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def publisher_data(request) -> dict:
    """This site as the publisher of its stories."""
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": site_root(request) + "/",
        "logo": {"@type": "ImageObject", "url": absolute_url(request, static(LOGO_PATH))},
    }


def article_structured_data(*, article, request) -> dict:
    """The ``NewsArticle`` describing ``article``, with every address absolute."""
    url = absolute_url(request, article.get_absolute_url())
    data = {
        "@context": SCHEMA_ORG,
        "@type": "NewsArticle",
        "headline": article.headline,
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": article_language(article),
        "isAccessibleForFree": True,
    }
    if summary := article.summary:
        data["description"] = summary
    if article.published_at is not None:
        data["datePublished"] = article.published_at.isoformat()
    if (modified := article_modified_at(article)) is not None:
        data["dateModified"] = modified.isoformat()
    agency = _agency_data(article, request)
    authors = [{"@type": "Person", "name": name} for name in _author_names(article)]
    if authors:
        data["author"] = authors
    elif agency is not None:
        data["author"] = [agency]
    if agency is not None:
        data["sourceOrganization"] = agency
    if dateline := article.dateline_text.strip(" \t-–—:"):
        data["dateline"] = dateline
    if article.dateline_place:
        data["locationCreated"] = {"@type": "Place", "name": article.dateline_place}
    if article.section:
        data["articleSection"] = article.section
    tags = [tag for tag in article.tags if isinstance(tag, str) and tag.strip()]
    if tags:
        data["keywords"] = tags
    if article.lead_image_url:
        data["image"] = [{"@type": "ImageObject", "url": article.lead_image_url}]
    data["publisher"] = publisher_data(request)
    for contribute in hooks.registered(hooks.STRUCTURED_DATA):
        data.update(contribute(article, request))
    return data


def article_modified_at(article):
    """When the story last changed, never before it was published (a source's date can be later
    than our last save, and search engines refuse a modification before publication)."""
    return max(filter(None, (article.updated_at, article.published_at)), default=None)


def json_ld_script(data: dict, *, nonce: str = "") -> SafeString:
    """``data`` as a ``<script type="application/ld+json">`` element that no value can break out of.

    A data block never runs, but it carries the page's CSP nonce like every inline script, so the
    rule "no inline script without the nonce" has no exception to remember.
    """
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    nonce_attribute = format_html(' nonce="{}"', nonce) if nonce else ""
    # Every character that could end or alter the element is a JSON escape now.
    return mark_safe(  # noqa: S308 - the escapes above leave no markup in the text; the nonce is escaped
        f'<script type="application/ld+json"{nonce_attribute}>{text.translate(_SCRIPT_ESCAPES)}</script>'
    )


def _author_names(article) -> list[str]:
    return [name.strip() for name in article.authors if isinstance(name, str) and name.strip()]


def _agency_data(article, request) -> dict | None:
    if article.agency is None or article.agency.is_generic:
        return None
    agency = {"@type": "Organization", "name": article.agency.name}
    agency["url"] = article.agency.website or absolute_url(request, article.agency.get_absolute_url())
    return agency
