"""The site's absolute addresses and languages, as search engines, cards and sitemaps must be given them."""

from __future__ import annotations

import re

from django.conf import settings

# What ``Article.language`` holds (a BCP 47 tag in lower case, as extraction keeps it).
_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})*")


def site_root(request) -> str:
    """The site's origin without a trailing slash: ``SITE_URL``, else the host this request reached.

    A deployment sets ``SITE_URL`` so that every address it publishes is the one canonical
    origin, whichever host name or proxy a crawler came through.
    """
    if settings.SITE_URL:
        return settings.SITE_URL
    return request.build_absolute_uri("/").rstrip("/")


def absolute_url(request, path: str) -> str:
    """``path`` (a site path such as ``/articles/x/``) under the site's origin; absolute URLs pass."""
    if path.startswith(("http://", "https://")):
        return path
    return site_root(request) + path


def article_language(article) -> str:
    """The story's language as a BCP 47 tag ("en", "en-us", "ar"); the site's own when unknown."""
    code = (article.language or "").strip().lower().replace("_", "-")
    if _LANGUAGE_TAG.fullmatch(code):
        return code
    return settings.LANGUAGE_CODE.lower()


def news_language(tag: str) -> str:
    """A language tag as Google News sitemaps ask for it: ISO 639 (2 or 3 letters), or zh-cn / zh-tw."""
    tag = tag.lower()
    if tag.startswith("zh-"):
        traditional = any(part in {"tw", "hk", "mo", "hant"} for part in tag.split("-")[1:])
        return "zh-tw" if traditional else "zh-cn"
    return tag.split("-", 1)[0]
